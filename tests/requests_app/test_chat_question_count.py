"""The chat's question count is never a total that later jumps: "Question 1" at the report's category (the
category brings its own questions), "Question 2 of 5" once it is chosen, in every chat language; a registration
whose questions depend on answers counts the same way, and its web form's steps too."""

import re

import pytest
from django.conf import settings

from chat import services
from chat.engine.engine import bot_turn
from registrations.engine import load_definition
from registrations.engine.i18n import message
from registrations.engine.questions import next_question
from registrations.engine.state import FlowState
from tenants.context import agency_context
from tests.requests_app.conftest import LAT, LONG

UI_LANGUAGES = [code for code, _name in settings.LANGUAGES]
OPENINGS = {
    "en": "I want to report a problem",
    "es": "quiero reportar un problema",
    "zh-hans": "我要报告一个问题",
    "de": "Ich möchte ein Problem melden",
    "fr": "je veux signaler un problème",
    "vi": "tôi muốn báo cáo sự cố",
    "ko": "문제를 신고하고 싶어요",
    "ar": "أبلغ عن مشكلة",
}
DESCRIPTIONS = {
    "en": "A deep hole in the right lane",
    "es": "Un bache profundo en el carril derecho",
    "zh-hans": "右车道有一个很深的坑",
    "de": "Ein tiefes Loch auf der rechten Spur",
    "fr": "Un trou profond sur la voie de droite",
    "vi": "Một ổ gà sâu ở làn đường bên phải",
    "ko": "오른쪽 차선에 깊은 구멍이 있어요",
    "ar": "حفرة عميقة في المسار الأيمن",
}


def say(agency, conversation, text, action=""):
    received = services.message_receive(agency=agency, conversation_id=conversation.pk, text=text, action=action)
    reply = bot_turn(agency=agency, conversation_id=conversation.pk, citizen_seq=received.message.seq)
    conversation.refresh_from_db()
    return reply


def counts(language: str, text: str) -> tuple[int, int | None]:
    """(n, total or None) of the count that opens a question, read back through the language's own templates."""
    with_total = re.escape(message("question_of", language, n="@N@", total="@T@"))
    with_total = with_total.replace("@N@", r"(\d+)").replace("@T@", r"(\d+)")
    found = re.match(rf"\({with_total}\)", text)
    if found:
        return int(found.group(1)), int(found.group(2))
    alone = re.escape(message("question_n", language, n="@N@")).replace("@N@", r"(\d+)")
    found = re.match(rf"\({alone}\)", text)
    assert found, text
    return int(found.group(1)), None


@pytest.fixture
def multilingual_agency(agency_a):
    agency_a.languages = UI_LANGUAGES
    agency_a.full_clean()
    agency_a.save()
    return agency_a


def test_every_chat_language_has_a_count_without_a_total():
    assert set(OPENINGS) == set(UI_LANGUAGES)
    for language in UI_LANGUAGES:
        alone = message("question_n", language, n=7)
        assert "7" in alone and alone != message("question_of", language, n=7, total=9)


@pytest.mark.parametrize("language", UI_LANGUAGES)
def test_the_report_counts_no_total_until_the_category_fixes_it(multilingual_agency, catalogue_a, language):
    agency = multilingual_agency
    with agency_context(agency):
        conversation, _token = services.conversation_start(agency=agency, channel="widget")
        reply = say(agency, conversation, OPENINGS[language])
        assert conversation.skill == "report_problem" and reply.payload["decision"]["language"] == language
        assert conversation.skill_state["form"]["field"] == "category"
        assert counts(language, reply.text) == (1, None)  # the category decides how many follow
        shown = [counts(language, say(agency, conversation, "Pothole", "report:val:pothole").text)]
        shown.append(counts(language, say(agency, conversation, f"{LAT}, {LONG}").text))
        shown.append(counts(language, say(agency, conversation, DESCRIPTIONS[language]).text))
        shown.append(counts(language, say(agency, conversation, "skip", "report:skip").text))
        # A pothole asks its size too: five questions, and the total said at question 2 never changes.
        assert shown == [(2, 5), (3, 5), (4, 5), (5, 5)], shown
        back = say(agency, conversation, "back", "report:back")
        assert counts(language, back.text) == (4, 5)


def test_a_category_named_in_the_opening_message_starts_with_the_total(agency_a, catalogue_a):
    with agency_context(agency_a):
        conversation, _token = services.conversation_start(agency=agency_a, channel="widget")
        reply = say(agency_a, conversation, "There is a pothole on Main St")
        assert conversation.skill_state["form"]["field"] == "location"
        assert counts("en", reply.text) == (2, 5)
        back = say(agency_a, conversation, "back", "report:back")  # at the category again: it may change the total
        assert counts("en", back.text) == (1, None)
        tree = say(agency_a, conversation, "Fallen tree", "report:val:fallen-tree")
        assert counts("en", tree.text) == (2, 4)  # no questions of its own


DEPENDENT = {
    "schema_version": 1,
    "title": {"en": "Sign up"},
    "steps": [
        {"id": "one", "title": {"en": "One"}, "fields": [
            {"id": "name", "type": "text", "label": {"en": "Name"}},
            {"id": "kind", "type": "single_choice", "label": {"en": "Kind"},
             "choices": [{"value": "a", "label": {"en": "A"}}, {"value": "b", "label": {"en": "B"}}]},
            {"id": "a_only", "type": "text", "label": {"en": "A only"}, "show_if": {"field": "kind", "equals": "a"}},
            {"id": "last", "type": "text", "label": {"en": "Last"}},
        ]},
    ],
}  # fmt: skip


def test_a_form_counts_its_questions_once_no_answer_ahead_changes_them():
    spec = load_definition(DEPENDENT)
    first = next_question(spec, FlowState(field="name"))
    assert (first.number, first.total) == (1, None) and "(Question 1) Name" in first.prompt()
    at_kind = next_question(spec, FlowState(answers={"name": "Pat"}, field="kind"))
    assert (at_kind.number, at_kind.total) == (2, None)
    a = next_question(spec, FlowState(answers={"name": "Pat", "kind": "a"}, field="a_only"))
    assert (a.number, a.total) == (3, 4) and "(Question 3 of 4) A only" in a.prompt()
    b = next_question(spec, FlowState(answers={"name": "Pat", "kind": "b"}, field="last"))
    assert (b.number, b.total) == (3, 3)
