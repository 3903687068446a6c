# ruff: noqa: RUF001 - Chinese text uses full-width punctuation
"""The "only available in English" note is in the reply's language (session-25 walk): Natural Resources lists English
and Spanish, so its chat answered a Chinese question in English, under "此回答仅提供英语版本。", the reply's one
Chinese line (tests/knowledge/test_crosslingual.py has the chat). Its pages are in the citizen's UI language: the note
follows the page's (Chinese on a Chinese page, none on an English one, Spanish on a Spanish one)."""

import pytest

from tests.knowledge.test_crosslingual import LIBRARY_EN, POOLS_EN, _publish

NOTE_ZH = "此回答仅提供英语版本。"


@pytest.fixture
def english_and_spanish(agency_a, publish, dense):
    agency_a.languages = ["en", "es"]
    agency_a.save(update_fields=["languages"])
    _publish(publish, agency_a, [("Pools", POOLS_EN), ("Library", LIBRARY_EN)])
    return agency_a


def test_an_english_ask_page_has_no_chinese_line(english_and_spanish, client):
    client.cookies["django_language"] = "en"
    page = client.post("/a/alpha/ask/", {"question": "图书馆的开放时间是什么？"}).content.decode()
    assert '<html lang="en"' in page and "Monday to Saturday" in page  # the English page, the English answer
    assert NOTE_ZH not in page and "only available" not in page


def test_a_chinese_ask_page_says_so_in_chinese(english_and_spanish, client):
    client.cookies["django_language"] = "zh-hans"
    page = client.post("/a/alpha/ask/", {"question": "图书馆的开放时间是什么？"}).content.decode()
    assert '<html lang="zh-hans"' in page and NOTE_ZH in page


def test_the_ask_page_in_spanish_says_the_answer_is_english_in_spanish(english_and_spanish, client):
    client.cookies["django_language"] = "es"
    page = client.post("/a/alpha/ask/", {"question": "图书馆的开放时间是什么？"}).content.decode()
    assert "Esta respuesta solo está disponible en inglés." in page and NOTE_ZH not in page


def test_the_front_door_in_chinese_keeps_the_chinese_note(english_and_spanish, client):
    client.cookies["django_language"] = "zh-hans"
    page = client.get("/ask/", {"q": "图书馆的开放时间是什么？"}).content.decode()
    assert "Monday to Saturday" in page and NOTE_ZH in page
