"""The chat skill "register for a service" through the real consumer and the real Redis channel layer."""

import pytest
from channels.db import database_sync_to_async

from registrations import services
from registrations.models import Registration, Status
from tenants.context import agency_context
from tests.chat.conftest import citizen, message_frames

pytestmark = pytest.mark.django_db(transaction=True)

SHORT = {
    "schema_version": 1,
    "title": {"en": "Library card", "es": "Tarjeta de biblioteca", "zh-hans": "借书证"},
    "contact": {"name": "full_name"},
    "steps": [
        {
            "id": "about",
            "title": {"en": "About you"},
            "fields": [
                {"id": "full_name", "type": "text", "label": {"en": "Full name"}},
                {"id": "age", "type": "number", "label": {"en": "Your age"}, "min": 5, "max": 120},
                {"id": "city", "type": "text", "label": {"en": "City"}},
            ],
        }
    ],
}


def _form(agency, slug, title):
    definition = {**SHORT, "title": title if isinstance(title, dict) else {"en": title}}
    with agency_context(agency):
        form = services.form_definition_create(agency=agency, actor=None, slug=slug, definition=definition)
        services.form_definition_publish(agency=agency, actor=None, form=form)
        form.refresh_from_db()
        return form


async def _say(communicator, text, action=""):
    frame = {"type": "message", "text": text}
    if action:
        frame["action"] = action
    await communicator.send_json_to(frame)
    _echo, reply = await message_frames(communicator, 2, timeout=20)
    return reply


async def test_register_in_chat_reask_back_resume_and_isolation(agency_a, agency_b):
    await database_sync_to_async(_form)(agency_a, "library-card", "Library card")
    await database_sync_to_async(_form)(agency_b, "dog-licence", "Dog licence")

    communicator, hello = await citizen("alpha")
    reply = await _say(communicator, "I want to register for a service")
    values = {action["value"] for action in reply["actions"]}
    assert "register_service:library-card" in values and not any("dog-licence" in v for v in values)
    # agency B's form cannot be started by typing its title in A's chat
    reply = await _say(communicator, "Dog licence")
    assert "did not find" in reply["text"]
    reply = await _say(communicator, "Library card", action="register_service:library-card")
    assert "Full name" in reply["text"]
    reply = await _say(communicator, "Pat Doe")
    assert "Your age" in reply["text"]
    reply = await _say(communicator, "200")  # invalid: re-asked with the reason
    reason, question = reply["text"].split("\n\n", 1)
    assert "120" in reason and "Your age" in question
    reply = await _say(communicator, "back")
    assert "Full name" in reply["text"]
    reply = await _say(communicator, "Pat Q. Doe")
    assert "Your age" in reply["text"]
    reply = await _say(communicator, "30")
    assert "City" in reply["text"]
    last_seq = reply["seq"]
    await communicator.disconnect()

    # Later, with the token: the same conversation resumes where it stopped.
    again, hello_again = await citizen("alpha", token=hello["token"], after_seq=last_seq)
    assert hello_again["conversation_id"] == hello["conversation_id"]
    reply = await _say(again, "Springfield")
    assert "Pat Q. Doe" in reply["text"] and "30" in reply["text"]  # the summary
    reply = await _say(again, "confirm")
    assert "ALP-REG-" in reply["text"] and "/a/alpha/track" in reply["text"]
    await again.disconnect()

    def check():
        registration = Registration.objects.unscoped().get(conversation_ref=hello["conversation_id"])
        assert registration.agency_id == agency_a.pk and registration.status == Status.SUBMITTED
        assert registration.reference in reply["text"]
        with agency_context(agency_b):
            assert not Registration.objects.for_agency(agency_b).exists()

    await database_sync_to_async(check)()


async def test_returning_to_the_skill_resumes_the_draft(agency_a):
    await database_sync_to_async(_form)(agency_a, "library-card", "Library card")
    communicator, _hello = await citizen("alpha")
    await _say(communicator, "register for a service")
    await _say(communicator, "Library card")
    reply = await _say(communicator, "Pat Doe")
    assert "Your age" in reply["text"]
    reply = await _say(communicator, "cancel")  # the engine ends the flow; the draft is kept
    reply = await _say(communicator, "register for a service", action="register_service")
    assert "Welcome back" in reply["text"] and "Your age" in reply["text"]
    await communicator.disconnect()


@pytest.mark.parametrize(
    "text", ["register to vote", "I want to sign up for employment assistance", "inscribirme para votar", "登记选民"]
)
async def test_intent_in_three_languages(agency_a, text):
    await database_sync_to_async(_form)(agency_a, "library-card", "Library card")
    communicator, _hello = await citizen("alpha")
    reply = await _say(communicator, text)
    assert reply["actions"][0]["value"] == "register_service:library-card", reply
    await communicator.disconnect()


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("I want to register to vote", "voter-registration"),
        ("quiero inscribirme para votar", "voter-registration"),
        ("quiero apuntarme para votar", "voter-registration"),  # the sign-up verb is not the form's name
        ("我想登记选民", "voter-registration"),
        ("sign me up for the library card", "library-card"),
    ],
)
async def test_a_named_form_starts_at_once(agency_a, text, slug):
    """ "I want to register to vote" goes straight to the voter form (issue 19), instead of listing forms."""
    await database_sync_to_async(_form)(agency_a, "library-card", "Library card")
    voter = {"en": "Voter registration", "es": "Registro de votantes", "zh-hans": "选民登记"}
    await database_sync_to_async(_form)(agency_a, "voter-registration", voter)
    communicator, hello = await citizen("alpha")
    reply = await _say(communicator, text)
    assert not any(str(a.get("value", "")).startswith("register_service:") for a in reply.get("actions", [])), reply

    def started():
        with agency_context(agency_a):
            return Registration.objects.filter(conversation_ref=hello["conversation_id"]).get().form.slug

    assert await database_sync_to_async(started)() == slug
    await communicator.disconnect()


def _demo_form(agency, slug):
    import json
    from pathlib import Path

    definition = json.loads((Path(services.__file__).resolve().parents[1] / "definitions" / f"{slug}.json").read_text())
    with agency_context(agency):
        form = services.form_definition_create(agency=agency, actor=None, slug=slug, definition=definition)
        services.form_definition_publish(agency=agency, actor=None, form=form)


@pytest.mark.parametrize(
    "text",
    [
        "투표하려면 등록하고 싶어요",  # ko: "to vote"; the title says "유권자" (voter)
        "أريد التسجيل للتصويت",  # ar: "for voting"; the title says "الناخبين" (the voters)
        "Je veux m'inscrire pour voter",  # fr: the title says "listes électorales"
        "I want to register to vote",
        "Ich möchte mich für die Wahl registrieren",
        "Ich möchte mich als Wähler registrieren",  # found by the citizen walk: "Wähler" against "Wahlregistrierung"
        "Ich will wählen",
        "我想登记投票",  # zh: "to vote"; the title says "选民" (voters); "想登", "记投" are no words
        # vi, found by the session-21 walk: "đi bầu cử" (to go and vote), said by the description ("…trong các cuộc
        # bầu cử…"), not the title ("Đăng ký cử tri"); Vietnamese words are two syllables, each alone too short.
        "tôi muốn đăng ký đi bầu cử",
        "Tôi muốn đăng ký cử tri",  # the title in Vietnamese, in a conversation the agency holds in English
    ],
)
async def test_a_form_named_only_by_its_description_starts_at_once(agency_a, text):
    """Seen on make run (Korean, Arabic): "register to vote" listed the forms instead of starting the voter form,
    whose title in those languages says "voters" where the citizen says "to vote"; its description says it."""
    for slug in ("voter-registration", "employment-assistance", "business-tax-registration"):
        await database_sync_to_async(_demo_form)(agency_a, slug)
    communicator, hello = await citizen("alpha")
    reply = await _say(communicator, text)
    assert not any(str(a.get("value", "")).startswith("register_service:") for a in reply.get("actions", [])), reply

    def started():
        with agency_context(agency_a):
            return Registration.objects.filter(conversation_ref=hello["conversation_id"]).get().form.slug

    assert await database_sync_to_async(started)() == "voter-registration"
    await communicator.disconnect()


@pytest.mark.parametrize(
    "text",
    [
        "I'd like to register for swimming lessons",
        "sign me up for the city newsletter",
        "tôi muốn đăng ký học bơi cho con",  # vi: swimming lessons for a child; no such form
    ],
)
async def test_a_description_sharing_one_everyday_word_does_not_start_a_form(agency_a, text):
    for slug in ("voter-registration", "employment-assistance", "business-tax-registration"):
        await database_sync_to_async(_demo_form)(agency_a, slug)
    communicator, _hello = await citizen("alpha")
    reply = await _say(communicator, text)
    assert any(str(a.get("value", "")).startswith("register_service:") for a in reply.get("actions", [])), reply
    await communicator.disconnect()


async def test_a_form_started_at_once_says_which_form_began(agency_a):
    """Seen on make run: "(질문 1) 미국 시민이십니까?" alone after "투표하려면 등록하고 싶어요" — which form is this?"""
    for slug in ("voter-registration", "employment-assistance"):
        await database_sync_to_async(_demo_form)(agency_a, slug)
    communicator, _hello = await citizen("alpha")
    reply = await _say(communicator, "I want to register to vote")
    assert reply["text"].split("\n\n")[0] == "Voter registration", reply["text"]
    await communicator.disconnect()
