"""Knowledge-base answers in chat: cited, grounded, never invented; streamed as deltas with an LLM."""

import pytest

from chat import services
from chat.engine.engine import bot_turn
from tenants.context import agency_context
from tests.chat.conftest import citizen, frames_until, lexical_knowledge, publish_document  # noqa: F401

TRASH = (
    "Trash and recycling pickup. Trash is collected every Monday morning. Put carts at the curb by 6 a.m. "
    "Recycling is collected every other Thursday. Bulk items need an appointment."
)


def _ask(agency, text):
    with agency_context(agency):
        conversation, _token = services.conversation_start(agency=agency, channel="widget")
        received = services.message_receive(agency=agency, conversation_id=conversation.pk, text=text)
        return bot_turn(agency=agency, conversation_id=conversation.pk, citizen_seq=received.message.seq)


def test_answer_cites_the_document_version(agency_a, lexical_knowledge):  # noqa: F811
    document = publish_document(
        agency_a, title="Trash and recycling", content=TRASH, source_url="https://alpha.example/trash"
    )
    reply = _ask(agency_a, "When is trash collected?")
    assert "Monday" in reply.text
    citation = reply.payload["citations"][0]
    assert citation["document_id"] == document.pk and citation["version"] == 1
    assert citation["url"] == "https://alpha.example/trash" and citation["title"] == "Trash and recycling"
    decision = reply.payload["decision"]
    assert decision["intent"] == "answer" and decision["grounded"] is True
    assert decision["retrieved"] and {"chunk_id", "version_id"} <= decision["retrieved"][0].keys()
    assert decision["cited"][0]["version"] == 1


def test_unknown_question_is_not_invented(agency_a, lexical_knowledge):  # noqa: F811
    publish_document(agency_a, title="Trash and recycling", content=TRASH)
    reply = _ask(agency_a, "How do I apply for a fishing license on the moon?")
    assert not reply.payload.get("citations")
    assert reply.payload["decision"]["grounded"] is False
    assert "handoff" in [action["value"] for action in reply.payload["actions"]]


def test_other_agencies_documents_are_not_used(agency_a, agency_b, lexical_knowledge):  # noqa: F811
    publish_document(agency_b, title="Beta trash", content=TRASH)
    reply = _ask(agency_a, "When is trash collected?")
    assert reply.payload["decision"]["grounded"] is False and not reply.payload.get("citations")


@pytest.mark.django_db(transaction=True)
async def test_llm_answer_streams_deltas_then_the_cited_message(agency_a, llm_server, settings):
    from channels.db import database_sync_to_async

    settings.KNOWLEDGE_EMBEDDER = "none"
    llm_server.configure(settings)
    llm_server.stream_delay = 0.02
    await database_sync_to_async(publish_document)(
        agency_a, title="Trash and recycling", content=TRASH, source_url="https://alpha.example/trash"
    )
    communicator, _hello = await citizen("alpha")
    await communicator.send_json_to({"type": "message", "text": "When is trash collected?", "client_msg_id": "q"})
    frames = await frames_until(
        communicator, lambda f: f.get("type") == "message" and f["role"] == "bot", skip=("typing", "state")
    )
    deltas = [f for f in frames if f["type"] == "delta"]
    final = frames[-1]
    assert deltas and all(d["reply_to"] == 1 for d in deltas)
    assert final["reply_to"] == 1 and final["citations"][0]["url"] == "https://alpha.example/trash"
    await communicator.disconnect()
