"""The bot engine: LLM tool calling against a local OpenAI-compatible server, the greeting menu, check status,
feedback, the reply language and the skill plug-in point (offline intents and language: test_offline_detection)."""

import pytest
from django.utils.translation import gettext_lazy

from chat import services
from chat.engine import registry
from chat.engine.engine import bot_turn
from chat.engine.types import BotReply
from chat.models import Conversation, Message
from tenants.context import agency_context
from tests.chat.fake_llm import FakeLLM


def say(agency, conversation, text, action=""):
    received = services.message_receive(
        agency=agency, conversation_id=conversation.pk, text=text, client_msg_id="", action=action
    )
    reply = bot_turn(agency=agency, conversation_id=conversation.pk, citizen_seq=received.message.seq)
    conversation.refresh_from_db()
    return reply


@pytest.fixture
def conversation(agency_a):
    with agency_context(agency_a):
        conversation, _token = services.conversation_start(agency=agency_a, channel="widget")
        yield conversation


def test_greeting_menu_lists_available_skills(agency_a, conversation, no_status_providers):
    reply = say(agency_a, conversation, "Hi")
    values = [action["value"] for action in reply.payload["actions"]]
    assert values == ["answer", "handoff", "feedback"]  # no status providers: no "check status"
    assert reply.payload["decision"]["intent"] == "greeting"


def test_spanish_greeting_is_answered_in_spanish_context(agency_a, conversation):
    reply = say(agency_a, conversation, "Hola")
    assert reply.payload["decision"]["language"] == "es"
    conversation.refresh_from_db()
    assert conversation.language == "es"


@pytest.mark.parametrize("text", ["yes", "ok", "no", "small"])
def test_a_short_reply_keeps_the_conversations_language(agency_a, conversation, text):
    """A word that names no intent says nothing about the language: "yes" was answered in Spanish
    because its nearest example utterance (by letters) was Spanish."""
    agency_a.languages = ["en", "es", "zh-hans"]
    assert conversation.language == "en"
    reply = say(agency_a, conversation, text)
    assert reply.payload["decision"]["language"] == "en"


def test_answer_is_never_faked_without_a_knowledge_base(agency_a, conversation, monkeypatch):
    from chat.engine.skills import answer

    monkeypatch.setattr(answer, "_knowledge", lambda: None)
    reply = say(agency_a, conversation, "How do I pay my water bill?")
    assert "right now" in reply.text
    assert reply.payload["decision"]["knowledge"] == "unavailable"
    assert {"handoff"} <= {a["value"] for a in reply.payload["actions"]}
    assert not reply.citations


def test_check_status_asks_for_the_reference_then_answers(agency_a, conversation, status_provider):
    reply = say(agency_a, conversation, "check status")
    assert "reference number" in reply.text
    assert conversation.skill == "check_status" and conversation.skill_state["step"] == "reference"
    reply = say(agency_a, conversation, "it is alp-2026-000001")
    assert "Pothole ALP-2026-000001: Acknowledged" in reply.text and "Crew on it" in reply.text
    assert reply.citations[0]["url"].endswith("ALP-2026-000001")
    assert conversation.skill == "" and conversation.skill_state == {}


def test_check_status_in_one_message_and_unknown_reference(agency_a, conversation, status_provider):
    reply = say(agency_a, conversation, "status of my request ALP-2026-000001")
    assert "Acknowledged" in reply.text
    reply = say(agency_a, conversation, "where is my request NOPE-2026-999999")
    assert "could not find NOPE-2026-999999" in reply.text
    assert conversation.skill == "check_status"


def test_cancel_ends_a_running_flow(agency_a, conversation, status_provider):
    say(agency_a, conversation, "check status")
    reply = say(agency_a, conversation, "cancel")
    assert reply.payload["decision"]["cancelled"] == "check_status"
    assert conversation.skill == ""


@pytest.mark.parametrize("word", ["stop", "STOP", "Cancel", "cancelar", "取消"])
def test_a_cancel_word_alone_with_nothing_running_shows_the_menu(agency_a, conversation, word):
    """Seen on make run (session 21): "stop" typed with no flow running was passed to the staff as feedback."""
    reply = say(agency_a, conversation, word)
    assert reply.payload["decision"]["intent"] == "greeting"
    assert "feedback" in [action["value"] for action in reply.payload["actions"]]  # the menu, not a thank-you
    assert conversation.skill == "" and conversation.state == Conversation.State.BOT


def test_feedback_rating_and_comment(agency_a, conversation):
    say(agency_a, conversation, "Hi")
    reply = say(agency_a, conversation, "bye")
    assert conversation.state == Conversation.State.CLOSED
    assert conversation.outcome == Conversation.Outcome.CONTAINED
    assert [a["value"] for a in reply.payload["actions"]][:5] == [f"feedback:{n}" for n in range(1, 6)]
    reply = say(agency_a, conversation, "4 ★", action="feedback:4")
    assert conversation.csat_score == 4 and conversation.skill_state["step"] == "comment"
    reply = say(agency_a, conversation, "Quick and clear, thanks")
    assert conversation.csat_comment == "Quick and clear, thanks"
    # the citizen's words stay in the transcript, not in the audit trail (the score is audited)
    from auditlog.models import LogEntry

    entries = LogEntry.objects.get_for_object(conversation)
    assert not [e for e in entries if "Quick and clear" in str(e.changes)]
    assert [e for e in entries if "csat_score" in str(e.changes)]
    assert conversation.skill == "" and conversation.state == Conversation.State.CLOSED
    # writing again reopens the conversation with the assistant
    reply = say(agency_a, conversation, "Hi")
    assert conversation.state == Conversation.State.BOT and reply.payload["decision"]["intent"] == "greeting"


def test_repeated_misses_offer_a_person(agency_a, conversation, monkeypatch):
    from chat.engine.skills import answer

    monkeypatch.setattr(answer, "_knowledge", lambda: None)
    first = say(agency_a, conversation, "How do I pay my water bill?")
    second = say(agency_a, conversation, "Water bill payment options?")
    assert conversation.bot_misses == 2
    assert "Would you like to talk to a person" in first.text
    assert "A person from Alpha City can" in second.text


class _PetitionSkill(registry.Skill):
    """A two-step flow registered by "another app"."""

    name = "petition"
    label = gettext_lazy("Sign a petition")
    description = "Sign a petition."
    menu_order = 50
    examples = {"en": ["sign a petition", "I want to sign the petition"]}

    def handle(self, turn):
        if turn.state.get("step") == "name":
            return turn.reply(f"Thanks {turn.text}, you signed.", decision={"signed": True})
        return turn.reply("What is your name?", state={"step": "name"})


def test_an_agent_closing_is_an_event_the_feedback_skill_answers_once(agency_a, staff_a, conversation):
    """The close service only closes; the rating question is the feedback skill's answer to the
    engine's "closed" event, asked once however often the conversation is closed."""
    from chat.engine.engine import bot_event

    agent = staff_a["agent"]
    say(agency_a, conversation, "I want to talk to a person")
    services.conversation_claim(agency=agency_a, actor=agent, conversation_id=conversation.pk)
    services.conversation_close(agency=agency_a, actor=agent, conversation_id=conversation.pk)
    conversation.refresh_from_db()
    assert conversation.state == Conversation.State.CLOSED and conversation.skill == ""
    asked = bot_event(agency=agency_a, conversation_id=conversation.pk, event="closed")
    assert asked.role == Message.Role.BOT and asked.reply_to_seq is None
    assert [a["value"] for a in asked.payload["actions"]][:5] == [f"feedback:{n}" for n in range(1, 6)]
    conversation.refresh_from_db()
    assert conversation.skill == "feedback" and conversation.state == Conversation.State.CLOSED
    services.conversation_close(agency=agency_a, actor=agent, conversation_id=conversation.pk)
    assert bot_event(agency=agency_a, conversation_id=conversation.pk, event="closed") is None
    assert bot_event(agency=agency_a, conversation_id=conversation.pk, event="no-such-event") is None
    say(agency_a, conversation, "5 ★", action="feedback:5")
    assert conversation.csat_score == 5 and conversation.state == Conversation.State.CLOSED


def test_chat_services_do_not_import_the_engine_beyond_its_types():
    """The services store what the engine decides; they never reach into the engine or a skill (the
    import cycle that a lazy import used to hide)."""
    import ast
    from pathlib import Path

    services_dir = Path(services.__file__).parent
    for path in services_dir.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("chat.engine"):
                assert node.module == "chat.engine.types", f"{path.name} imports {node.module}"


@pytest.fixture
def petition_skill():
    registry.register_skill(_PetitionSkill())
    yield
    registry.unregister_skill("petition")


def test_apps_plug_in_multi_turn_skills(agency_a, conversation, petition_skill):
    reply = say(agency_a, conversation, "Hi")
    assert "petition" in [a["value"] for a in reply.payload["actions"]]
    reply = say(agency_a, conversation, "I want to sign the petition")
    assert reply.text == "What is your name?" and conversation.skill == "petition"
    reply = say(agency_a, conversation, "Ada Lovelace")
    assert reply.text == "Thanks Ada Lovelace, you signed."
    assert conversation.skill == "" and reply.payload["decision"]["signed"] is True


@pytest.fixture
def fake_llm(settings):
    server = FakeLLM()
    server.start()
    settings.LLM_BASE_URL = server.base_url
    settings.LLM_MODEL = "test-model"
    settings.LLM_API_KEY = "test-key"
    yield server
    server.stop()


def test_llm_tool_calling_picks_the_intent(agency_a, conversation, fake_llm, status_provider):
    fake_llm.route("my thing from last week", "check_status", {"reference": "ALP-2026-000001"})
    reply = say(agency_a, conversation, "what happened with my thing from last week")
    decision = reply.payload["decision"]
    assert decision["detector"] == "llm" and decision["intent"] == "check_status"
    assert "Acknowledged" in reply.text
    tools = {tool["function"]["name"] for tool in fake_llm.requests[-1]["body"]["tools"]}
    assert {"answer", "handoff", "check_status", "feedback", "greeting"} <= tools


def test_llm_failure_falls_back_to_offline_detection(agency_a, conversation, fake_llm):
    fake_llm.fail = True
    reply = say(agency_a, conversation, "I want to talk to a person")
    assert reply.payload["decision"]["intent"] == "handoff"
    assert reply.payload["decision"]["detector"] != "llm"
    assert fake_llm.requests  # it was tried


def test_bot_decision_is_kept_for_audit(agency_a, conversation):
    reply = say(agency_a, conversation, "Hi")
    decision = reply.payload["decision"]
    assert {"intent", "confidence", "detector", "skill", "language", "ms"} <= decision.keys()
    assert Message.objects.for_agency(agency_a).filter(conversation=conversation).count() == 2


def test_a_turn_for_another_agencys_conversation_reads_and_writes_nothing(agency_a, agency_b, conversation):
    """The turn's plain-SQL reads are scoped by agency like the ORM's: B's worker cannot answer A's
    conversation, a malformed id is not found, and nothing is stored."""
    from chat.selectors import conversation_row

    with agency_context(agency_a):
        received = services.message_receive(agency=agency_a, conversation_id=conversation.pk, text="Hi")
    with agency_context(agency_b):
        assert conversation_row(agency=agency_b, conversation_id=conversation.pk) is None
        assert conversation_row(agency=agency_b, conversation_id=conversation.pk, lock=True) is None
        assert conversation_row(agency=agency_b, conversation_id="not-a-uuid") is None
        assert bot_turn(agency=agency_b, conversation_id=conversation.pk, citizen_seq=received.message.seq) is None
        with pytest.raises(Conversation.DoesNotExist):
            services.bot_reply_post(
                agency=agency_b,
                conversation_id=conversation.pk,
                reply_to_seq=received.message.seq,
                reply=BotReply("from the wrong agency"),
            )
    assert Message.objects.unscoped().filter(conversation_id=conversation.pk).count() == 1
    found = conversation_row(agency=agency_a, conversation_id=str(conversation.pk))
    assert found.pk == conversation.pk and found.agency == agency_a


@pytest.mark.parametrize(("ui", "hi"), [("es", "Hi"), ("zh-hans", "Hi"), ("es", "hello!"), ("zh-hans", "hey")])
def test_a_neutral_greeting_is_answered_in_the_pages_language(agency_a, ui, hi):
    """The chat page starts the conversation in its UI language; "Hi" typed there is answered in it
    (it was answered in English because "hi" matched an English example)."""
    agency_a.languages = ["en", "es", "zh-hans"]
    agency_a.save()
    with agency_context(agency_a):
        conversation, _token = services.conversation_start(agency=agency_a, channel="web", language=ui)
        reply = say(agency_a, conversation, hi)
    assert reply.payload["decision"]["language"] == ui
    greeting = {"es": "Hola", "zh-hans": "您好"}[ui]
    assert greeting in reply.text, reply.text


def test_a_real_greeting_in_another_language_still_switches(agency_a):
    agency_a.languages = ["en", "es", "zh-hans"]
    agency_a.save()
    with agency_context(agency_a):
        conversation, _token = services.conversation_start(agency=agency_a, channel="web", language="en")
        reply = say(agency_a, conversation, "Hola")
    assert reply.payload["decision"]["language"] == "es"
