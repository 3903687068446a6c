"""The demo forms in every language their demo agency lists (issue 19, "replies in their language"): a French
citizen at Springfield got the chat in French and the voter form's questions in English. Every text of the three
demo definitions (titles, questions, help, options, messages) has each language; a database seeded before is
completed as a new published version, and an application filed under the old version keeps it."""

import copy

import pytest

from portal.demo import AGENCIES
from registrations import services
from registrations.demo import DEMO_APPLICATIONS, DEMO_FORMS, install_form, load_demo_definition
from registrations.engine.i18n import LANGUAGES
from registrations.models import FormVersion, Registration
from tenants.context import agency_context
from tests.chat.conftest import lexical_knowledge  # noqa: F401
from tests.chat.test_form_interrupts import agency, say, start  # noqa: F401

pytestmark = pytest.mark.django_db

SESSION_13 = {"en", "es", "zh-hans"}  # what the demo texts had before, plus German titles and descriptions


def _texts(value, where="definition"):
    """Every localised text of a definition, with where it is."""
    if isinstance(value, dict) and value and set(value) <= set(LANGUAGES):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, f"{where}[{index}]")


def _as_seeded_before(name: str) -> dict:
    definition = copy.deepcopy(load_demo_definition(name))
    for where, text in _texts(definition):
        keep = SESSION_13 | ({"de"} if where in ("definition.title", "definition.description") else set())
        for code in set(text) - keep:
            del text[code]
    return definition


@pytest.mark.parametrize("slug", sorted(DEMO_FORMS))
def test_every_text_of_a_demo_form_has_every_language_its_agency_lists(slug):
    languages = next(spec["languages"] for spec in AGENCIES if spec["slug"] == slug)
    missing = [
        f"{name}: {where} lacks {code}"
        for name in DEMO_FORMS[slug]
        for where, text in _texts(load_demo_definition(name))
        for code in languages
        if not (text.get(code) or "").strip()
    ]
    assert not missing, "\n".join(missing)


def test_every_demo_form_is_in_all_eight_languages():
    """Revenue lists two languages today; its form is complete anyway, so listing more needs no new texts."""
    for names in DEMO_FORMS.values():
        for name in names:
            for where, text in _texts(load_demo_definition(name)):
                assert set(text) == set(LANGUAGES), f"{name}: {where}"


def test_a_form_seeded_before_is_completed_and_old_applications_keep_their_version(agency_a):
    with agency_context(agency_a):
        old = services.form_definition_create(
            agency=agency_a, actor=None, slug="voter-registration", definition=_as_seeded_before("voter-registration")
        )
        services.form_definition_publish(agency=agency_a, actor=None, form=old)
        old.refresh_from_db()
        answers, _transitions = DEMO_APPLICATIONS["voter-registration"][0]
        filed = services.registration_create(agency=agency_a, form=old, answers=answers, language="ko", channel="web")
        filed_version = filed.form_version_id

        form = install_form(agency_a, "voter-registration")
        assert form.version == old.version + 1
        published = FormVersion.objects.for_agency(agency_a).get(form=form, number=form.version).definition
        assert published == load_demo_definition("voter-registration")
        assert published["steps"][0]["fields"][0]["label"]["fr"] == "Êtes-vous citoyen des États-Unis ?"
        assert Registration.objects.get(pk=filed.pk).form_version_id == filed_version
        assert install_form(agency_a, "voter-registration").version == form.version  # idempotent


def test_a_text_staff_reworded_in_english_gets_no_old_translation(agency_a):
    with agency_context(agency_a):
        definition = _as_seeded_before("voter-registration")
        definition["steps"][1]["fields"][0]["label"] = {"en": "Your name as on your ID"}
        form = services.form_definition_create(
            agency=agency_a, actor=None, slug="voter-registration", definition=definition
        )
        services.form_definition_publish(agency=agency_a, actor=None, form=form)
        form = install_form(agency_a, "voter-registration")
        assert form.definition["steps"][1]["fields"][0]["label"] == {"en": "Your name as on your ID"}
        assert form.definition["steps"][1]["fields"][1]["label"]["vi"]  # the question after it is completed


def test_a_french_citizen_gets_the_voter_forms_questions_and_buttons_in_french(agency):  # noqa: F811
    conversation = start(agency)
    reply = say(agency, conversation, "Je voudrais m'inscrire sur les listes électorales")
    assert reply.payload["decision"]["form_field"] == "us_citizen", reply.text
    assert "Êtes-vous citoyen des États-Unis ?" in reply.text
    labels = [action["label"] for action in reply.payload.get("actions", [])]
    assert "Oui" in labels and "Non" in labels, labels
    reply = say(agency, conversation, "oui")
    assert reply.payload["decision"]["form_field"] == "date_of_birth", reply.text
    assert "Date de naissance" in reply.text and "18 ans" in reply.text
