"""Agencies' own words in the UI languages: category names, questions and choices, office hours and
the agency description follow the page's language (web) and the conversation's (chat); the photo help
text is translated; bad translations are refused with a clear message."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from chat import services as chat_services
from chat.engine.engine import bot_turn
from requests_app.models import ServiceAttribute
from tenants.context import agency_context
from tenants.translations import translated, ui_language

ES = {
    "name": "Bache",
    "description": "Un hoyo en la calle.",
    "group": "Calles",
}


@pytest.fixture
def translated_catalogue(agency_a, catalogue_a):
    with agency_context(agency_a):
        pothole = catalogue_a["pothole"]
        pothole.translations = {"es": ES, "zh-hans": {"name": "路面坑洞"}}
        pothole.full_clean()
        pothole.save()
        size = pothole.attributes.get(code="size")
        size.translations = {
            "es": {"description": "¿Qué tamaño tiene?", "values": {"small": "Pequeño", "large": "Grande"}},
            "zh-hans": {"description": "坑洞有多大？", "values": {"small": "小", "large": "大"}},  # noqa: RUF001
        }
        size.full_clean()
        size.save()
    agency_a.office_hours = "Monday to Friday, 8:00-17:00"
    agency_a.translations = {"es": {"office_hours": "De lunes a viernes, de 8:00 a 17:00"}}
    agency_a.full_clean()
    agency_a.save()
    return catalogue_a


def get(client, url, language):
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_report_pages_show_the_agencys_translations(client, translated_catalogue):
    start = reverse("requests:report", kwargs={"agency_slug": "alpha"})
    form = reverse("requests:report-form", kwargs={"agency_slug": "alpha", "code": "pothole"})
    body = get(client, start, "es")
    assert "Bache" in body and "Un hoyo en la calle." in body and "Calles" in body
    body = get(client, form, "es")
    assert "Bache" in body and "¿Qué tamaño tiene?" in body and "Pequeño" in body and "Grande" in body
    body = get(client, form, "zh-hans")
    assert "路面坑洞" in body and "坑洞有多大" in body
    # No translation for a language: the agency's own text.
    body = get(client, form, "en")
    assert "Pothole" in body and "How big is it?" in body and "Small" in body
    # Fallen tree has no translations at all.
    assert "Fallen tree" in get(client, start, "es")


def test_photo_help_text_is_translated(client, translated_catalogue):
    form = reverse("requests:report-form", kwargs={"agency_slug": "alpha", "code": "pothole"})
    assert "imágenes JPEG, PNG o WebP" in get(client, form, "es")
    assert "Up to" not in get(client, form, "es")
    assert "Up to" not in get(client, form, "zh-hans")
    assert "Up to" in get(client, form, "en")


def test_office_hours_inside_translated_sentences(client, translated_catalogue):
    home = get(client, reverse("agency-home", kwargs={"agency_slug": "alpha"}), "es")
    assert "De lunes a viernes, de 8:00 a 17:00" in home and "Monday to Friday" not in home
    chat = get(client, reverse("chat", kwargs={"agency_slug": "alpha"}), "es")
    assert "de lunes a viernes" in chat and "Monday to Friday" not in chat  # inside its sentence
    assert "Monday to Friday" in get(client, reverse("agency-home", kwargs={"agency_slug": "alpha"}), "en")


def say(agency, conversation, text, action=""):
    received = chat_services.message_receive(
        agency=agency, conversation_id=conversation.pk, text=text, client_msg_id="", action=action
    )
    return bot_turn(agency=agency, conversation_id=conversation.pk, citizen_seq=received.message.seq)


def test_chat_report_asks_in_the_conversations_language(agency_a, translated_catalogue):
    agency_a.languages = ["en", "es", "zh-hans"]
    agency_a.save()
    with agency_context(agency_a):
        conversation, _token = chat_services.conversation_start(agency=agency_a, channel="web", language="es")
        reply = say(agency_a, conversation, "quiero reportar un problema")
        labels = [action["label"] for action in reply.payload["actions"]]
        assert "Bache" in labels and "Pothole" not in labels
        say(agency_a, conversation, "Bache")  # typed in Spanish: the category is found
        say(agency_a, conversation, "39.7817, -89.6436")
        say(agency_a, conversation, "Un hoyo profundo en el carril derecho")
        reply = say(agency_a, conversation, "skip", "report:skip")
        assert "¿Qué tamaño tiene?" in reply.text
        assert {"Pequeño", "Grande"} <= {action["label"] for action in reply.payload["actions"]}
        reply = say(agency_a, conversation, "grande")  # a typed translated choice
        assert "Bache" in reply.text


def test_translations_are_validated(agency_a, translated_catalogue):
    with agency_context(agency_a):
        pothole = translated_catalogue["pothole"]
        for bad in ({"it": {"name": "Buca"}}, {"es": {"colour": "rojo"}}, {"es": "Bache"}, ["Bache"]):
            pothole.translations = bad
            with pytest.raises(ValidationError):
                pothole.full_clean()
        size = ServiceAttribute.objects.get(category=pothole, code="size")
        size.translations = {"es": {"values": ["Pequeño"]}}
        with pytest.raises(ValidationError):
            size.full_clean()


def test_language_codes_and_fallback(agency_a):
    assert ui_language("es-MX") == "es" and ui_language("zh") == "zh-hans" and ui_language("zh_Hans") == "zh-hans"
    assert ui_language("it") == "" and ui_language(None) == ""
    agency_a.translations = {"es": {"office_hours": "  "}}
    agency_a.office_hours = "9-5"
    assert translated(agency_a, "office_hours", "es") == "9-5"  # an empty translation is no translation


def test_the_refusal_sentence_in_chinese_and_spanish(agency_a):
    from knowledge.answering import no_answer_text

    agency_a.office_hours = "Monday to Friday, 8:00-17:00"
    agency_a.translations = {"zh-hans": {"office_hours": "周一至周五 8:00-17:00"}}
    chinese = no_answer_text(agency_a, "zh-hans")
    assert chinese.endswith("。") and "周一至周五" in chinese and "Monday" not in chinese
    assert no_answer_text(agency_a, "es").endswith(".")


def test_the_refusal_sentence_reads_right_for_a_name_ending_in_s(agency_a, settings):
    """ "…from Springfield Public Works's published information": the agency's name takes no possessive, in
    any language the chat speaks."""
    from knowledge.answering import no_answer_text

    agency_a.name = "Springfield Public Works"
    agency_a.contact_phone = ""
    agency_a.office_hours = ""
    english = no_answer_text(agency_a, "en")
    assert "information published by Springfield Public Works." in english
    for code, _name in settings.LANGUAGES:
        text = no_answer_text(agency_a, code)
        assert "Springfield Public Works" in text and "Works's" not in text and "Works\u2019s" not in text, code
        if code != "en":
            assert "I'm sorry" not in text, code  # translated
