"""Staff pages name a language ("Vietnamese", "Vietnamesisch"), not its code ("vi")."""

import pytest
from django.template import Context, Template
from django.utils import translation


@pytest.mark.parametrize(
    ("ui", "code", "shown"),
    [("en", "vi", "Vietnamese"), ("de", "vi", "Vietnamesisch"), ("en", "zh-hans", "Simplified Chinese"),
     ("en", "zh_CN", "Simplified Chinese"), ("en", "xx", "xx"), ("en", "", "")],
)  # fmt: skip
def test_a_language_is_named_in_the_pages_language(ui, code, shown):
    template = Template("{% load translated %}{{ code|language_name }}")
    with translation.override(ui):
        assert template.render(Context({"code": code})) == shown


def test_try_a_message_names_the_language(agency_a, staff_a, client_for):
    agency_a.languages = ["en", "de"]
    agency_a.save(update_fields=["languages"])
    page = client_for(staff_a["supervisor"]).get("/a/alpha/staff/chat/try/", {"text": "Wann wird mein Müll abgeholt?"})
    assert page.status_code == 200
    assert 'German <span class="muted">(de)</span>' in page.content.decode()
