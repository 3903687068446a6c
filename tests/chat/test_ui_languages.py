"""The chat's own words in the UI languages added in session 8 (fr, vi, ko, ar, de): the greeting menu and
its buttons come from the catalogues, and an Arabic message is answered in Arabic."""

import pytest

from chat import services
from chat.engine.engine import bot_turn
from tenants.context import agency_context

GREETINGS = {
    "fr": ("Bonjour\u00a0! Je suis l'assistant virtuel", "Poser une question"),
    "vi": ("Xin chào! Tôi là trợ lý ảo", "Đặt câu hỏi"),
    "ko": ("안녕하세요!", "질문하기"),
    "ar": ("مرحبًا! أنا المساعد الافتراضي", "طرح سؤال"),
    "de": ("Hallo! Alpha City, hier ist der virtuelle Assistent", "Eine Frage stellen"),
}


def say(agency, conversation, text, action=""):
    received = services.message_receive(
        agency=agency, conversation_id=conversation.pk, text=text, client_msg_id="", action=action
    )
    return bot_turn(agency=agency, conversation_id=conversation.pk, citizen_seq=received.message.seq)


@pytest.fixture
def multilingual_agency(agency_a):
    agency_a.languages = ["en", "es", "zh-hans", "fr", "vi", "ko", "ar", "de"]
    agency_a.full_clean()
    agency_a.save()
    return agency_a


@pytest.mark.parametrize("language", sorted(GREETINGS))
def test_the_greeting_menu_is_in_the_pages_language(multilingual_agency, language):
    with agency_context(multilingual_agency):
        conversation, _token = services.conversation_start(agency=multilingual_agency, channel="web", language=language)
        reply = say(multilingual_agency, conversation, "Hi")
    greeting, button = GREETINGS[language]
    assert reply.payload["decision"]["language"] == language
    assert greeting in reply.text, reply.text
    assert button in [action["label"] for action in reply.payload["actions"]]


def test_an_arabic_message_is_answered_in_arabic(multilingual_agency):
    with agency_context(multilingual_agency):
        conversation, _token = services.conversation_start(agency=multilingual_agency, channel="web", language="en")
        reply = say(multilingual_agency, conversation, "مرحبا، أريد التحدث إلى شخص")
    assert reply.payload["decision"]["language"] == "ar"
    assert not any("a" <= ch <= "z" for ch in reply.text.replace(multilingual_agency.name, "").casefold()), reply.text


def test_an_agency_may_list_the_new_languages(agency_a):
    agency_a.languages = ["ar", "ko"]
    agency_a.full_clean()  # validated against settings.LANGUAGES


def test_a_german_question_gets_german_buttons(multilingual_agency):
    """Issue 19: a German citizen gets menus in German (they were English: no German catalogue)."""
    with agency_context(multilingual_agency):
        conversation, _token = services.conversation_start(agency=multilingual_agency, channel="web", language="en")
        reply = say(multilingual_agency, conversation, "Ich möchte mit einem Menschen sprechen")
    assert reply.payload["decision"]["language"] == "de"
    german = ("Ich verbinde Sie mit einer Person", "Gerade ist niemand erreichbar")
    assert any(text in reply.text for text in german), reply.text
