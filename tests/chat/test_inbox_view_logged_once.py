"""Opening a conversation in the console and claiming it is one view of its transcript: one entry in the audit
trail (claiming sent the transcript again and logged a second read, seen on the staff pages in session 26). Leaving
it and opening it again is a second view."""

import pytest
from auditlog.models import LogEntry
from channels.db import database_sync_to_async

from tests.chat.conftest import citizen, frames_until, staff_socket
from tests.chat.handoff_support import ask_for_a_person

pytestmark = pytest.mark.django_db(transaction=True)


def _views(conversation_id: str) -> int:
    return LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(conversation_id)).count()


async def test_open_then_claim_logs_one_view(agency_a, staff_a):
    chat, hello = await citizen("alpha")
    await ask_for_a_person(chat)
    conversation_id = hello["conversation_id"]

    console, connected, _ = await staff_socket("alpha", staff_a["agent"])
    assert connected
    await console.receive_json_from(timeout=10)
    await console.send_json_to({"type": "open", "conversation_id": conversation_id})
    await frames_until(console, lambda f: f["type"] == "transcript")
    await console.send_json_to({"type": "claim", "conversation_id": conversation_id})
    await frames_until(console, lambda f: f["type"] == "transcript")
    assert await database_sync_to_async(_views)(conversation_id) == 1

    await console.send_json_to({"type": "leave", "conversation_id": conversation_id})
    await console.send_json_to({"type": "open", "conversation_id": conversation_id})
    await frames_until(console, lambda f: f["type"] == "transcript")
    assert await database_sync_to_async(_views)(conversation_id) == 2
    await console.disconnect()
    await chat.disconnect()
