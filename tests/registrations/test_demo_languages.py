"""The demo forms in German (issue 19): "Ich will mich zur Wahl anmelden" names the voter form. A database
seeded before the German titles existed is completed with them as a new published version; what staff typed
in a language, and a working copy with unpublished edits, are left alone."""

import copy

import pytest
from channels.db import database_sync_to_async

from registrations import services
from registrations.demo import install_form, load_demo_definition
from registrations.models import FormVersion, Registration
from registrations.selectors import form_title
from tenants.context import agency_context
from tests.chat.conftest import citizen, message_frames

pytestmark = pytest.mark.django_db(transaction=True)


def _without_german(name: str) -> dict:
    definition = copy.deepcopy(load_demo_definition(name))
    for key in ("title", "description"):
        definition[key].pop("de", None)
    return definition


def _seeded_before_german(agency, name: str):
    form = services.form_definition_create(agency=agency, actor=None, slug=name, definition=_without_german(name))
    services.form_definition_publish(agency=agency, actor=None, form=form)
    form.refresh_from_db()
    return form


def _title(agency, form, lang):
    version = FormVersion.objects.for_agency(agency).get(form=form, number=form.version)
    return form_title(form, version, lang)


def test_every_demo_form_has_a_german_title_and_description():
    for name in ("voter-registration", "employment-assistance", "business-tax-registration"):
        definition = load_demo_definition(name)
        assert definition["title"].get("de"), name
        assert definition["description"].get("de"), name


def test_a_form_seeded_before_german_is_completed_as_a_new_version(agency_a):
    with agency_context(agency_a):
        old = _seeded_before_german(agency_a, "voter-registration")
        assert _title(agency_a, old, "de") == "Voter registration"  # before: the English title
        form = install_form(agency_a, "voter-registration")
        assert form.version == old.version + 1
        assert _title(agency_a, form, "de") == "Wahlregistrierung"
        assert _title(agency_a, form, "es") == "Registro de votantes"
        again = install_form(agency_a, "voter-registration")  # idempotent
        assert again.version == form.version


def test_what_staff_typed_and_unpublished_edits_are_kept(agency_a):
    with agency_context(agency_a):
        typed = _seeded_before_german(agency_a, "employment-assistance")
        definition = copy.deepcopy(typed.definition)
        definition["title"]["de"] = "Jobhilfe"
        typed = services.form_definition_update(agency=agency_a, actor=None, form=typed, definition=definition)
        services.form_definition_publish(agency=agency_a, actor=None, form=typed)
        form = install_form(agency_a, "employment-assistance")
        assert form.definition["title"]["de"] == "Jobhilfe"  # kept; the missing German description added
        assert form.definition["description"]["de"]

        pending = _seeded_before_german(agency_a, "voter-registration")
        edited = copy.deepcopy(pending.definition)
        edited["title"]["en"] = "Voter registration (draft)"
        pending = services.form_definition_update(agency=agency_a, actor=None, form=pending, definition=edited)
        form = install_form(agency_a, "voter-registration")
        assert form.version == pending.version and "de" not in form.definition["title"]


async def test_a_german_citizen_names_the_voter_form(agency_a):
    def seed():
        with agency_context(agency_a):
            agency_a.languages = ["en", "es", "zh-hans", "de"]
            agency_a.save(update_fields=["languages"])
            _seeded_before_german(agency_a, "voter-registration")
            _seeded_before_german(agency_a, "employment-assistance")
            install_form(agency_a, "voter-registration")  # the seed on an existing database
            install_form(agency_a, "employment-assistance")

    await database_sync_to_async(seed)()
    communicator, hello = await citizen("alpha")
    await communicator.send_json_to({"type": "message", "text": "Ich will mich zur Wahl anmelden"})
    _echo, reply = await message_frames(communicator, 2, timeout=20)
    assert not any(str(a.get("value", "")).startswith("register_service:") for a in reply.get("actions", [])), reply

    def started():
        with agency_context(agency_a):
            return Registration.objects.filter(conversation_ref=hello["conversation_id"]).get().form.slug

    assert await database_sync_to_async(started)() == "voter-registration"
    await communicator.disconnect()
