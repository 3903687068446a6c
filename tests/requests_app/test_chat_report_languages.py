"""Issue 19: a citizen writing in any of the UI languages gets the report form's own words (question
count, hints, buttons, errors) in that language, and can cancel it with their own word for "cancel". The
form engine's messages are checked for every UI language, as the .po catalogues are."""

import pytest
from django.conf import settings

from chat import services
from chat.engine.engine import bot_turn
from registrations.engine import LANGUAGES
from registrations.engine.i18n import MESSAGES
from registrations.engine.questions import COMMANDS, parse_command
from tenants.context import agency_context

UI_LANGUAGES = [code for code, _name in settings.LANGUAGES]


def say(agency, conversation, text, action=""):
    received = services.message_receive(agency=agency, conversation_id=conversation.pk, text=text, action=action)
    reply = bot_turn(agency=agency, conversation_id=conversation.pk, citizen_seq=received.message.seq)
    conversation.refresh_from_db()
    return reply


def labels(reply) -> list[str]:
    return [action["label"] for action in reply.payload.get("actions", [])]


@pytest.fixture
def multilingual_agency(agency_a):
    agency_a.languages = UI_LANGUAGES
    agency_a.full_clean()
    agency_a.save()
    return agency_a


@pytest.fixture
def conversation(multilingual_agency):
    with agency_context(multilingual_agency):
        conversation, _token = services.conversation_start(agency=multilingual_agency, channel="widget")
        yield conversation


def test_the_form_engine_speaks_every_ui_language():
    assert set(UI_LANGUAGES) <= set(LANGUAGES)
    missing = {code: sorted(set(UI_LANGUAGES) - set(texts)) for code, texts in MESSAGES.items()}
    assert not {code: langs for code, langs in missing.items() if langs}, missing
    for code, texts in MESSAGES.items():
        placeholders = ("{min}", "{max}", "{age}", "{date}", "{example}", "{types}", "{n}", "{total}")
        wanted = {p for p in placeholders if p in texts["en"]}
        for language, text in texts.items():
            assert {p for p in placeholders if p in text} == wanted, (code, language, text)


@pytest.mark.parametrize(
    ("language", "word", "command"),
    [("de", "überspringen", "skip"), ("fr", "retour", "back"), ("vi", "xác nhận", "confirm"), ("ko", "뒤로", "back"),
     ("ar", "تخطي", "skip")],
)  # fmt: skip
def test_the_typed_words_the_hints_name_are_commands(language, word, command):
    assert parse_command(word) == command
    assert word in COMMANDS[command]
    hint = {"skip": "hint_skip", "back": "hint_back", "confirm": "review_outro"}[command]
    assert word in MESSAGES[hint][language].casefold()


def test_a_german_report_is_asked_and_cancelled_in_german(multilingual_agency, catalogue_a, conversation):
    reply = say(multilingual_agency, conversation, "Ich möchte ein Problem melden")
    assert conversation.skill == "report_problem"
    assert reply.text.startswith("(Frage 1) ") and "Question" not in reply.text, reply.text  # no total yet
    assert "Antworten Sie mit der Nummer oder dem Namen einer Option." in reply.text
    assert "Abbrechen" in labels(reply)
    reply = say(multilingual_agency, conversation, "abbrechen")  # typed: ends the form
    assert conversation.skill == ""
    assert reply.payload["decision"]["language"] == "de"
    assert "Eine Frage stellen" in labels(reply), reply.text


@pytest.mark.parametrize(("text", "language"), [("취소", "ko"), ("annuler", "fr"), ("hủy", "vi"), ("إلغاء", "ar")])
def test_typed_cancel_ends_the_form_in_other_languages(multilingual_agency, catalogue_a, conversation, text, language):
    say(multilingual_agency, conversation, "report a problem")
    assert conversation.skill == "report_problem"
    say(multilingual_agency, conversation, text)
    assert conversation.skill == "", text


def test_invisible_characters_are_not_an_address(multilingual_agency, catalogue_a, conversation):
    say(multilingual_agency, conversation, "report a problem")
    reply = say(multilingual_agency, conversation, "Pothole", "report:val:pothole")
    assert "Where is it?" in reply.text
    reply = say(multilingual_agency, conversation, "\u200f\u200e\u200d\u200c")
    assert conversation.skill_state["form"]["answers"].get("location") in (None, "", {}), reply.text
    assert "Where is it?" in reply.text


def test_the_demo_catalogue_is_in_every_language_springfield_lists():
    from portal.demo import AGENCIES
    from requests_app.demo_translations import ATTRIBUTE_TRANSLATIONS, CATEGORY_TRANSLATIONS

    springfield = next(spec for spec in AGENCIES if spec["slug"] == "springfield")
    wanted = set(springfield["languages"]) - {"en"}
    for code, languages in CATEGORY_TRANSLATIONS.items():
        assert wanted <= set(languages), (code, wanted - set(languages))
    for key, languages in ATTRIBUTE_TRANSLATIONS.items():
        assert wanted <= set(languages), (key, wanted - set(languages))
        values = [set(entry.get("values", {})) for entry in languages.values()]
        assert all(keys == values[0] for keys in values), key  # every language names the same options
    for language in wanted:
        assert springfield["translations"][language]["office_hours"]
