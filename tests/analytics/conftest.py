import pytest

from registrations.demo import install_form
from tenants.context import agency_context
from tests.registrations.conftest import VOTER_ANSWERS


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def voter_form(agency_a):
    with agency_context(agency_a):
        return install_form(agency_a, "voter-registration")


@pytest.fixture
def submit(voter_form, agency_a):
    from registrations.services import registration_create

    def make(**overrides):
        with agency_context(agency_a):
            return registration_create(agency=agency_a, form=voter_form, answers={**VOTER_ANSWERS, **overrides})

    return make
