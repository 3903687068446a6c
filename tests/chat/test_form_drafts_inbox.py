"""The inbox socket shows the citizen's form drafts: in the transcript frame of a conversation opened or claimed, and
live (`drafts` frames) while a colleague watches the citizen answer; personal data in the answers masked per role by
the agency's policy; in the console's language; another agency's staff never get them."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from tests.chat.conftest import chat_application, citizen, frames_until, nothing_more, staff_socket
from tests.requests_app.conftest import make_catalogue

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = "12 Elm St, call me on 217-555-0188"


@pytest.fixture
def alpha(agency_a, lexical_knowledge, settings):
    make_catalogue(agency_a)
    agency_a.pii_policy = {"reveal": {"phone": ["supervisor"]}}  # agents do not see phone numbers
    agency_a.save(update_fields=["pii_policy"])
    return agency_a


async def tell(chat, text: str, action: str = "", *, ident: str) -> dict:
    """The citizen's message; returns the assistant's reply to it."""
    await chat.send_json_to({"type": "message", "text": text, "action": action, "client_msg_id": ident})
    mine = await frames_until(chat, lambda f: f["type"] == "message" and f.get("client_msg_id") == ident)
    seq = mine[-1]["seq"]
    frames = await frames_until(chat, lambda f: f["type"] == "message" and f.get("reply_to") == seq)
    return frames[-1]


async def inbox(slug: str, user, lang: str):
    communicator = WebsocketCommunicator(chat_application(), f"/ws/a/{slug}/inbox/?lang={lang}")
    communicator.scope["user"] = user
    connected, _code = await communicator.connect(timeout=10)
    assert connected
    await communicator.receive_json_from(timeout=10)  # hello
    return communicator


def answers(drafts: list[dict]) -> list[list[str]]:
    return [[answer["text"] for answer in draft["answers"]] for draft in drafts]


async def test_the_agent_who_takes_the_handoff_sees_the_report_kept(alpha, agency_b, staff_a, staff_b):
    chat, hello = await citizen("alpha")
    conversation_id = hello["conversation_id"]
    await tell(chat, "report a problem", ident="1")
    await tell(chat, "Pothole", "report:val:pothole", ident="2")
    await tell(chat, ADDRESS, ident="3")
    reply = await tell(chat, "I want to talk to a person", ident="4")
    assert "report:leave" in [action["value"] for action in reply["actions"]], reply
    await tell(chat, "Yes", "report:leave", ident="5")

    # Another agency's agent and admin: the same "not found" as a missing conversation, and no draft.
    console_b, connected, _ = await staff_socket("beta", staff_b["admin"])
    assert connected
    await console_b.receive_json_from(timeout=10)
    for kind in ("open", "claim"):
        await console_b.send_json_to({"type": kind, "conversation_id": conversation_id})
        error = await console_b.receive_json_from(timeout=10)
        assert error["type"] == "error" and error["code"] == "not_found", error
    await nothing_more(console_b, wait=0.5, types=("transcript", "drafts"))

    agent = await inbox("alpha", staff_a["agent"], "en")
    await agent.send_json_to({"type": "claim", "conversation_id": conversation_id})
    transcript = (await frames_until(agent, lambda f: f["type"] == "transcript"))[-1]
    (draft,) = transcript["drafts"]
    assert draft["skill"] == "report_problem" and draft["in_progress"] is False
    assert [a["question"] for a in draft["answers"]] == ["What kind of problem is it?", "Where is it?"]
    assert answers(transcript["drafts"]) == [["Pothole", "12 Elm St, call me on [phone]"]]
    assert draft["saved_at"] and draft["expires_at"] > draft["saved_at"]
    assert draft["next_question"] == "Describe the problem in a few words."

    supervisor = await inbox("alpha", staff_a["supervisor"], "en")
    await supervisor.send_json_to({"type": "open", "conversation_id": conversation_id})
    transcript = (await frames_until(supervisor, lambda f: f["type"] == "transcript"))[-1]
    assert answers(transcript["drafts"]) == [["Pothole", ADDRESS]]  # supervisors see phone numbers here

    for communicator in (chat, console_b, agent, supervisor):
        await communicator.disconnect()


async def test_a_supervisor_watching_sees_the_draft_change_live(alpha, agency_b, staff_a, staff_b):
    chat, hello = await citizen("alpha")
    conversation_id = hello["conversation_id"]
    await tell(chat, "report a problem", ident="1")
    await tell(chat, "Pothole", "report:val:pothole", ident="2")

    watcher = await inbox("alpha", staff_a["supervisor"], "es")
    await watcher.send_json_to({"type": "open", "conversation_id": conversation_id})
    transcript = (await frames_until(watcher, lambda f: f["type"] == "transcript"))[-1]
    assert answers(transcript["drafts"]) == [["Pothole"]] and transcript["drafts"][0]["in_progress"]
    assert transcript["drafts"][0]["next_question"] == "¿Dónde está?"  # the console's language
    foreign = await inbox("beta", staff_b["supervisor"], "en")

    await tell(chat, "12 Elm St", ident="3")
    live = (await frames_until(watcher, lambda f: f["type"] == "drafts"))[-1]
    assert live["conversation_id"] == conversation_id
    assert answers(live["drafts"]) == [["Pothole", "12 Elm St"]] and live["drafts"][0]["in_progress"]

    # Leaving it for a person: the same answers, now kept for later.
    await tell(chat, "I want to talk to a person", ident="4")
    await tell(chat, "Yes", "report:leave", ident="5")
    live = (await frames_until(watcher, lambda f: f["type"] == "drafts" and not f["drafts"][0]["in_progress"]))[-1]
    assert answers(live["drafts"]) == [["Pothole", "12 Elm St"]] and live["drafts"][0]["expires_at"]
    await nothing_more(foreign, wait=0.5, types=("drafts", "transcript"))

    for communicator in (chat, watcher, foreign):
        await communicator.disconnect()


def _parked(conversation_id):
    from chat.models import Conversation

    return Conversation.objects.unscoped().get(pk=conversation_id).parked_forms


async def test_a_draft_taken_up_again_leaves_the_kept_list(alpha, staff_a):
    chat, hello = await citizen("alpha")
    conversation_id = hello["conversation_id"]
    await tell(chat, "report a problem", ident="1")
    await tell(chat, "Pothole", "report:val:pothole", ident="2")
    await tell(chat, "Check a status", "check_status", ident="3")
    assert "report_problem" in await database_sync_to_async(_parked)(conversation_id)

    watcher = await inbox("alpha", staff_a["supervisor"], "en")
    await watcher.send_json_to({"type": "open", "conversation_id": conversation_id})
    transcript = (await frames_until(watcher, lambda f: f["type"] == "transcript"))[-1]
    assert [d["in_progress"] for d in transcript["drafts"]] == [False]

    await tell(chat, "Continue the report", "report_problem:resume", ident="4")
    live = (await frames_until(watcher, lambda f: f["type"] == "drafts"))[-1]
    assert [d["in_progress"] for d in live["drafts"]] == [True]  # in progress again, no longer kept
    assert await database_sync_to_async(_parked)(conversation_id) == {}
    for communicator in (chat, watcher):
        await communicator.disconnect()
