"""The agents' console translates when an LLM is configured (session 20's walk: a Spanish citizen's messages reached
an English agent with no way to read them): a citizen's message into the agent's language, a reply into the
citizen's, the original kept and both in the transcript for supervisors; without an LLM no translation is offered
(the hello says so and a translate frame is refused) and each citizen message carries its detected language.
Another agency's staff get "not found" and cause no LLM call."""

import pytest
from channels.db import database_sync_to_async

from chat.models import Message, MessageTranslation
from chat.trail import conversation_trail
from tenants.context import agency_context
from tests.chat.conftest import citizen, frames_until, nothing_more, staff_socket
from tests.chat.test_form_drafts_inbox import inbox

pytestmark = pytest.mark.django_db(transaction=True)

SPANISH = "Hay un bache enorme delante de mi casa y nadie lo arregla"
ENGLISH = "There is a huge pothole in front of my house and nobody fixes it"


@pytest.fixture
def no_llm(settings, lexical_knowledge):
    settings.LLM_BASE_URL = None
    settings.LLM_MODEL = None
    return settings


async def _waiting_spanish_citizen():
    """A Spanish conversation handed to a person, then the citizen's Spanish message: (citizen, id, its seq)."""
    chat, hello = await citizen("alpha", lang="es")
    await chat.send_json_to({"type": "message", "text": "Quiero hablar con una persona", "client_msg_id": "h1"})
    await frames_until(chat, lambda f: f["type"] == "message" and f["role"] == "bot")
    await chat.send_json_to({"type": "message", "text": SPANISH, "client_msg_id": "c2"})
    mine = await frames_until(chat, lambda f: f["type"] == "message" and f.get("client_msg_id") == "c2")
    return chat, hello["conversation_id"], mine[-1]["seq"]


def _stored(conversation_id):
    return list(Message.objects.unscoped().filter(conversation_id=conversation_id).order_by("seq"))


async def test_without_an_llm_the_console_offers_no_translation_and_names_the_language(no_llm, agency_a, staff_a):
    chat, conversation_id, seq = await _waiting_spanish_citizen()
    agent, connected, _code = await staff_socket("alpha", staff_a["agent"])
    assert connected
    hello = await agent.receive_json_from(timeout=10)
    assert hello["translation"] is False
    await agent.send_json_to({"type": "claim", "conversation_id": conversation_id})
    transcript = (await frames_until(agent, lambda f: f["type"] == "transcript"))[-1]
    await frames_until(chat, lambda f: f["type"] == "message" and f["role"] == "system")  # "… joined"
    line = next(m for m in transcript["messages"] if m["seq"] == seq)
    assert line["language"] == "es" and transcript["translations"] == []
    before = len(await database_sync_to_async(_stored)(conversation_id))
    await agent.send_json_to({"type": "translate", "conversation_id": conversation_id, "seq": seq})
    error = (await frames_until(agent, lambda f: f["type"] == "error"))[-1]
    assert error["code"] == "invalid" and "no language model" in error["message"]
    await agent.send_json_to(
        {"type": "reply", "conversation_id": conversation_id, "text": "Hello", "client_msg_id": "r1", "translate": True}
    )
    error = (await frames_until(agent, lambda f: f["type"] == "error"))[-1]
    assert "no language model" in error["message"]
    await nothing_more(chat, wait=0.5)
    assert len(await database_sync_to_async(_stored)(conversation_id)) == before  # nothing sent
    # a live citizen message names its language too
    await chat.send_json_to({"type": "message", "text": "¿Me puede ayudar, por favor?", "client_msg_id": "c3"})
    live = (await frames_until(agent, lambda f: f["type"] == "message" and f.get("client_msg_id") == "c3"))[-1]
    assert live["language"] == "es"


async def test_an_agent_reads_the_citizen_in_english_and_answers_in_spanish(
    no_llm, agency_a, staff_a, llm_server, settings
):
    chat, conversation_id, seq = await _waiting_spanish_citizen()
    llm_server.configure(settings)  # configured once the citizen is waiting: the assistant's turns stay offline
    agent = await inbox("alpha", staff_a["agent"], "en")
    await agent.send_json_to({"type": "claim", "conversation_id": conversation_id})
    await frames_until(agent, lambda f: f["type"] == "transcript")

    llm_server.queue_reply(ENGLISH)
    await agent.send_json_to({"type": "translate", "conversation_id": conversation_id, "seq": seq})
    shown = (await frames_until(agent, lambda f: f["type"] == "translation"))[-1]
    assert shown == {
        "type": "translation",
        "conversation_id": conversation_id,
        "seq": seq,
        "language": "en",
        "source_language": "es",
        "text": ENGLISH,
    }
    (call,) = llm_server.calls("/v1/chat/completions")
    assert call["messages"][-1]["content"] == SPANISH and "into English (en)" in call["messages"][0]["content"]
    # asked again: the kept translation, no second call
    await agent.send_json_to({"type": "translate", "conversation_id": conversation_id, "seq": seq})
    await frames_until(agent, lambda f: f["type"] == "translation")
    assert len(llm_server.calls("/v1/chat/completions")) == 1

    llm_server.queue_reply("Hola, lo revisamos hoy mismo.")
    await agent.send_json_to(
        {
            "type": "reply",
            "conversation_id": conversation_id,
            "text": "Hello, we will look at it today.",
            "client_msg_id": "r1",
            "translate": True,
        }
    )
    received = (await frames_until(chat, lambda f: f["type"] == "message" and f["role"] == "agent"))[-1]
    assert received["text"] == "Hola, lo revisamos hoy mismo." and "original" not in received
    echoed = (await frames_until(agent, lambda f: f["type"] == "message" and f["role"] == "agent"))[-1]
    assert echoed["original"] == {"text": "Hello, we will look at it today.", "language": "en"}
    assert "into Spanish (es)" in llm_server.calls("/v1/chat/completions")[-1]["messages"][0]["content"]

    # a supervisor opening the transcript sees both, as does the admin's trail
    supervisor = await inbox("alpha", staff_a["supervisor"], "en")
    await supervisor.send_json_to({"type": "open", "conversation_id": conversation_id})
    transcript = (await frames_until(supervisor, lambda f: f["type"] == "transcript"))[-1]
    assert [t["text"] for t in transcript["translations"]] == [ENGLISH]
    reply = next(m for m in transcript["messages"] if m["role"] == "agent")
    assert reply["original"]["text"] == "Hello, we will look at it today."

    def trail():
        with agency_context(agency_a):
            from chat.models import Conversation

            conversation = Conversation.objects.get(pk=conversation_id)
            return [item.translations for item in conversation_trail(agency=agency_a, conversation=conversation)]

    lines = [t for item in await database_sync_to_async(trail)() for t in item]
    assert ("translation", "en", ENGLISH) in lines and ("original", "en", "Hello, we will look at it today.") in lines


async def test_a_failed_or_refused_translation_sends_nothing(no_llm, agency_a, staff_a, llm_server, settings):
    chat, conversation_id, _seq = await _waiting_spanish_citizen()
    llm_server.configure(settings)
    agent = await inbox("alpha", staff_a["agent"], "en")
    await agent.send_json_to({"type": "claim", "conversation_id": conversation_id})
    await frames_until(agent, lambda f: f["type"] == "transcript")
    await frames_until(chat, lambda f: f["type"] == "message" and f["role"] == "system")  # "… joined"
    before = len(await database_sync_to_async(_stored)(conversation_id))
    llm_server.fail_next(2, path="/v1/chat/completions", status=500)  # the client's try and its one retry
    await agent.send_json_to(
        {"type": "reply", "conversation_id": conversation_id, "text": "Hello", "client_msg_id": "r1", "translate": True}
    )
    error = (await frames_until(agent, lambda f: f["type"] == "error"))[-1]
    assert "translation failed" in error["message"]
    calls = len(llm_server.calls("/v1/chat/completions"))
    # personal data the agency keeps from the LLM: not translated, not sent, no call
    await agent.send_json_to(
        {
            "type": "reply",
            "conversation_id": conversation_id,
            "text": "Call us at 217-555-0188",
            "client_msg_id": "r2",
            "translate": True,
        }
    )
    error = (await frames_until(agent, lambda f: f["type"] == "error"))[-1]
    assert "personal data" in error["message"]
    assert len(llm_server.calls("/v1/chat/completions")) == calls
    await nothing_more(chat, wait=0.5)
    assert len(await database_sync_to_async(_stored)(conversation_id)) == before


async def test_another_agencys_staff_cannot_translate(
    no_llm, agency_a, agency_b, staff_a, staff_b, llm_server, settings
):
    _chat, conversation_id, seq = await _waiting_spanish_citizen()
    llm_server.configure(settings)
    other = await inbox("beta", staff_b["admin"], "en")
    await other.send_json_to({"type": "translate", "conversation_id": conversation_id, "seq": seq})
    error = (await frames_until(other, lambda f: f["type"] == "error"))[-1]
    assert error["code"] == "not_found"
    await other.send_json_to(
        {"type": "reply", "conversation_id": conversation_id, "text": "Hi", "client_msg_id": "x", "translate": True}
    )
    error = (await frames_until(other, lambda f: f["type"] == "error"))[-1]
    assert error["code"] == "not_found"
    assert llm_server.calls("/v1/chat/completions") == []
    assert await database_sync_to_async(MessageTranslation.objects.unscoped().count)() == 0
    # and only a citizen's message is translated (the assistant's own lines are not)
    agent = await inbox("alpha", staff_a["agent"], "en")
    await agent.send_json_to({"type": "open", "conversation_id": conversation_id})
    transcript = (await frames_until(agent, lambda f: f["type"] == "transcript"))[-1]
    not_citizens = next(m["seq"] for m in transcript["messages"] if m["role"] != "citizen")
    await agent.send_json_to({"type": "translate", "conversation_id": conversation_id, "seq": not_citizens})
    error = (await frames_until(agent, lambda f: f["type"] == "error"))[-1]
    assert error["code"] == "invalid"
