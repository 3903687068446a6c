"""On the ask page and the front door's ask box the question box's label and the button under it are different
words in every language (found by the session-24 walk: the Korean ask page labelled the box "질문" and its button
"질문", so a screen reader said "질문, 질문")."""

import re

import pytest
from django.conf import settings

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def label_and_button(page: str, box_id: str) -> tuple[str, str]:
    label = re.search(rf'<label for="{box_id}"[^>]*>([^<]+)</label>', page)
    after = page[label.end() :]
    button = re.search(r'<button type="submit"[^>]*>([^<]+)</button>', after)
    return label.group(1).strip(), button.group(1).strip()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_ask_page_box_and_button_differ(client, agency_a, language):
    agency_a.languages = LANGUAGES
    agency_a.save()
    client.cookies["django_language"] = language
    page = client.get("/a/alpha/ask/").content.decode()
    label, button = label_and_button(page, "id_question")
    assert label != button, (label, button)
