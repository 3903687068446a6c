import pytest

from registrations import services
from registrations.demo import install_form
from tenants.context import agency_context
from tenants.models import Department, Membership, Role

ADDRESS = {"line1": "1 Main St", "city": "Springfield", "region": "IL", "postal_code": "62701"}
VOTER_ANSWERS = {
    "us_citizen": True,
    "date_of_birth": "1990-03-27",
    "lives_in_city": True,
    "full_name": "Pat Doe",
    "id_type": "ssn",
    "ssn": "123-45-6789",
    "home_address": ADDRESS,
    "registered_elsewhere": False,
    "ballot_language": "en",
    "email": "pat@example.com",
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def voter_form(agency_a):
    """Reviewed by agency A's roads department (whose caseworkers see its applications, tenants.cases)."""
    with agency_context(agency_a):
        form = install_form(agency_a, "voter-registration")
        roads = Department.objects.for_agency(agency_a).get(slug="roads")
        form = services.form_definition_department_set(agency=agency_a, actor=None, form=form, department=roads)
        for membership in Membership.objects.for_agency(agency_a).filter(role=Role.CASEWORKER):
            membership.departments.add(roads)
        return form


@pytest.fixture
def employment_form(agency_a):
    with agency_context(agency_a):
        return install_form(agency_a, "employment-assistance")


@pytest.fixture
def tax_form(agency_b):
    with agency_context(agency_b):
        return install_form(agency_b, "business-tax-registration")


@pytest.fixture
def submit(voter_form, agency_a):
    """submit(**overrides) -> a submitted voter registration in agency A."""
    from registrations.services import registration_create

    def make(**overrides):
        with agency_context(agency_a):
            return registration_create(agency=agency_a, form=voter_form, answers={**VOTER_ANSWERS, **overrides})

    return make
