"""Issue 19, defects seen on `make run`: a question about a topic is answered, a report starts the
report form, a question inside a form is not taken as its answer, and the reply language follows
the citizen's latest message."""

import pytest

from chat import services
from chat.engine.engine import bot_turn
from tenants.context import agency_context
from tests.chat.conftest import lexical_knowledge  # noqa: F401
from tests.requests_app.conftest import make_catalogue

LANGUAGES = ["en", "es", "zh-hans", "de"]


@pytest.fixture
def agency(agency_a, lexical_knowledge):  # noqa: F811
    agency_a.languages = LANGUAGES
    agency_a.save(update_fields=["languages"])
    make_catalogue(agency_a)
    return agency_a


@pytest.fixture
def conversation(agency):
    with agency_context(agency):
        conversation, _token = services.conversation_start(agency=agency, channel="widget")
        yield conversation


def say(agency, conversation, text, action=""):
    received = services.message_receive(
        agency=agency, conversation_id=conversation.pk, text=text, client_msg_id="", action=action
    )
    reply = bot_turn(agency=agency, conversation_id=conversation.pk, citizen_seq=received.message.seq)
    conversation.refresh_from_db()
    return reply


@pytest.mark.parametrize(
    "text",
    [
        "How long does it take to fix a pothole?",
        "how long does it take to fix a pothole",
        "¿Cuánto tardan en arreglar un bache?",
        "修补坑洞需要多长时间？",  # noqa: RUF001
        "Wie lange dauert es, ein Schlagloch zu reparieren?",
    ],
)
def test_a_question_about_a_topic_is_answered_not_reported(agency, conversation, text):
    reply = say(agency, conversation, text)
    assert reply.payload["decision"]["skill"] == "answer", reply.text
    assert conversation.skill in ("", None)


@pytest.mark.parametrize(
    "text",
    [
        "There is a pothole on Main St",
        "I want to report a pothole",
        "Hay un bache en la calle Mayor",
        "Quiero reportar un bache",
        "主街上有一个坑洞",
        "我要报告一个坑洞",
        "Es gibt ein Schlagloch in der Hauptstraße",
        "Ich möchte ein Schlagloch melden",
    ],
)
def test_a_report_starts_the_report_form(agency, conversation, text):
    reply = say(agency, conversation, text)
    assert reply.payload["decision"]["skill"] == "report_problem", reply.text
    assert conversation.skill == "report_problem"


@pytest.mark.parametrize(
    "text",
    [
        "There is graffiti on the bridge",
        "I want to report graffiti",
        "Hay grafiti en el puente",
        "Quiero reportar un grafiti",
        "桥上有涂鸦",
        "我要举报涂鸦",
        "Es gibt Graffiti an der Brücke",
        "Ich möchte Graffiti melden",
    ],
)
def test_a_report_of_a_problem_without_a_keyword_starts_the_report_form(agency, conversation, text):
    """The agency has no graffiti category: the form asks which kind of problem (its categories as
    buttons) instead of "I don't know"."""
    reply = say(agency, conversation, text)
    assert reply.payload["decision"]["skill"] == "report_problem", reply.text
    assert "Pothole" in {action["label"] for action in reply.payload["actions"]}


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("When is trash collected?", "en"),
        ("¿Cuándo recogen la basura?", "es"),
        ("垃圾什么时候收集？", "zh-hans"),  # noqa: RUF001
        ("Wann wird der Müll abgeholt?", "de"),
    ],
)
def test_a_question_inside_a_form_is_not_taken_as_the_answer(agency, conversation, question, language):
    say(agency, conversation, "report a problem")
    reply = say(agency, conversation, "Pothole", "report:val:pothole")
    assert reply.payload["decision"]["form_field"] == "location"
    reply = say(agency, conversation, question)
    decision = reply.payload["decision"]
    assert decision.get("form_interrupted") == "question", reply.text
    assert decision["language"] == language
    # the draft is kept: the next message still answers "where is it?"
    assert conversation.skill == "report_problem"
    assert conversation.skill_state["form"]["answers"]["category"] == "pothole"
    assert "location" not in conversation.skill_state["form"]["answers"]
    assert decision["form_field"] == "location"


def test_the_reply_language_follows_the_latest_message(agency, conversation):
    reply = say(agency, conversation, "垃圾什么时候收集？")  # noqa: RUF001
    assert reply.payload["decision"]["language"] == "zh-hans"
    reply = say(agency, conversation, "How long does it take to fix a pothole?")
    assert reply.payload["decision"]["language"] == "en"
    assert "返回" not in str(reply.payload["actions"]) and "取消" not in str(reply.payload["actions"])
    reply = say(agency, conversation, "Wann wird der Müll abgeholt?")
    assert reply.payload["decision"]["language"] == "de"
    reply = say(agency, conversation, "¿Cuándo recogen la basura?")
    assert reply.payload["decision"]["language"] == "es"


def test_an_english_message_inside_a_chinese_form_is_answered_in_english(agency, conversation):
    reply = say(agency, conversation, "我要报告一个坑洞")
    assert reply.payload["decision"]["language"] == "zh-hans"
    reply = say(agency, conversation, "Where is the nearest police station please tell me")
    assert reply.payload["decision"]["language"] == "en", reply.text
    assert "未知选项" not in reply.text
    assert not any(ch in str(reply.payload["actions"]) for ch in "返回取消")


@pytest.mark.parametrize("text", ["pothole", "Pothole please", "big"])
def test_a_short_latin_message_in_a_chinese_conversation_is_not_answered_in_chinese(agency, conversation, text):
    """A Latin-script message cannot be Chinese: a short one (too short to detect) was answered with
    Chinese buttons (返回/取消) and Chinese errors because the conversation's language stuck."""
    reply = say(agency, conversation, "我要报告一个坑洞")
    assert reply.payload["decision"]["language"] == "zh-hans"
    reply = say(agency, conversation, text)
    assert reply.payload["decision"]["language"] == "en", reply.text
    assert "未知选项" not in reply.text
    assert not any(ch in str(reply.payload["actions"]) for ch in "返回取消")
