# ruff: noqa: RUF001 - Chinese and Arabic punctuation is what the test looks for
"""How a review reads: each question, then its answer on its own line (never "Do you …?: Yes"), and a date
written out in the reader's language ("27 mars 1990", "1990年3月27日"), while exports keep ISO 8601."""

import re

import pytest

from registrations.engine import REVIEW, Flow, display_value, load_definition
from registrations.engine.dates import format_date
from registrations.engine.i18n import LANGUAGES
from tests.registrations.engine_support import TODAY, definition

ANSWERS = [
    {"us_citizen": "yes", "date_of_birth": "1990-03-27", "lives_in_city": "yes"},
    {"full_name": "Pat Doe", "id_type": "ssn", "ssn": "123-45-6789"},
    {
        "home_address": {"line1": "1 Main St", "city": "Springfield", "region": "IL", "postal_code": "62701"},
        "registered_elsewhere": "no",
    },
    {"ballot_language": "en"},
    {"email": "pat@example.com"},
]
WRITTEN = {
    "en": "March 27, 1990",
    "es": "27 de marzo de 1990",
    "zh-hans": "1990年3月27日",
    "fr": "27 mars 1990",
    "vi": "27 tháng 3 năm 1990",
    "ko": "1990년 3월 27일",
    "ar": "27 مارس 1990",
    "de": "27. März 1990",
}


def reviewed(lang: str):
    flow = Flow(load_definition(definition("voter-registration")), lang=lang, today=TODAY)
    state = flow.start()
    for step in ANSWERS:
        state, errors = flow.submit_step(state, step)
        assert not errors, errors
    assert state.stage == REVIEW
    return flow, state


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_chat_review_puts_each_answer_under_its_question(lang):
    flow, state = reviewed(lang)
    text = flow.summary_text(state)
    assert not re.search(r"[?？؟]\s*[:：]", text), text  # no "…?: Oui"
    lines = text.replace("\u00a0", " ").split("\n")
    question = next(item for section in flow.summary(state) for item in section.items if item.field.id == "us_citizen")
    at = lines.index(f"• {question.label}")
    if lang == "ar":  # the answer isolated: "1 Main St" keeps its number in front in a right-to-left message, and
        # the line led by a right-to-left mark (laid out right to left though its only letters are Latin)
        assert lines[at + 1] == f"\u200f   ← \u2068{question.display}\u2069"
        assert (
            f"\u200f   ← \u2068{WRITTEN[lang]}\u2069" in lines
            and "\u200f   ← \u20681 Main St, Springfield, IL 62701\u2069" in lines
        )
    else:
        assert lines[at + 1] == f"   → {question.display}"
        assert f"   → {WRITTEN[lang]}" in lines
    assert "1990-03-27" not in text


def test_french_reads_as_french():
    flow, state = reviewed("fr")
    text = flow.summary_text(state)
    assert "• Êtes-vous citoyen des États-Unis\u00a0?\n   → Oui\n" in text, text  # no colon; "?" kept on its line
    assert "Vérifiez vos réponses\u00a0:\n" in text and "Répondez «\u00a0confirmer\u00a0» pour envoyer" in text
    assert "• Date de naissance\n   → 27 mars 1990\n" in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_dates_are_written_out_in_each_language(lang):
    assert format_date("1990-03-27", lang) == WRITTEN[lang]


def test_the_first_of_the_month_and_text_that_is_not_a_date():
    assert format_date("2026-12-01", "fr") == "1er décembre 2026"
    assert format_date("2026-12-06", "en") == "December 6, 2026"
    assert format_date("not a date", "fr") == "not a date"


def test_the_review_sections_show_the_date_and_exports_keep_iso():
    flow, state = reviewed("de")
    born = next(item for section in flow.summary(state) for item in section.items if item.field.id == "date_of_birth")
    assert born.display == "27. März 1990"
    assert display_value(born.field, "1990-03-27", "de", iso_dates=True) == "1990-03-27"


def test_an_answer_of_several_lines_stays_under_its_question():
    spec = load_definition(
        {
            "schema_version": 1,
            "title": {"en": "Noise complaint"},
            "steps": [
                {
                    "id": "what",
                    "title": {"en": "What happened"},
                    "fields": [
                        {"id": "details", "type": "text", "multiline": True, "label": {"en": "What did you hear?"}}
                    ],
                }
            ],
        }
    )
    for lang, arrow, wrap, mark in (("en", "→", "{}", ""), ("ar", "←", "\u2068{}\u2069", "\u200f")):
        flow = Flow(spec, lang=lang, today=TODAY)
        state, errors = flow.submit_step(flow.start(), {"details": "Music after midnight\nEvery Friday"})
        assert not errors
        text = flow.summary_text(state)
        first, second = wrap.format("Music after midnight"), wrap.format("Every Friday")
        assert f"\n{mark}   {arrow} {first}\n{mark}     {second}\n" in text, text
