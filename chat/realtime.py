"""Channel-layer groups and the frames they carry. Broadcasts happen only after the transaction that
stored the data commits: the database is the source of truth, the channel layer only carries."""

import asyncio
import contextlib
import logging
import threading

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction

from chat.models import Conversation, Message, Note
from core.channel_layer import RedisChannelLayer as ExcludingChannelLayer

logger = logging.getLogger(__name__)


def conversation_group(agency_id: int, conversation_id) -> str:
    """Everyone watching one conversation: the citizen's tabs and the agents who opened it."""
    return f"chat.c.{agency_id}.{_hex(conversation_id)}"


def staff_conversation_group(agency_id: int, conversation_id) -> str:
    """Agents who opened one conversation (internal notes and citizen typing go here only)."""
    return f"chat.s.{agency_id}.{_hex(conversation_id)}"


def inbox_group(agency_id: int) -> str:
    return f"chat.inbox.{agency_id}"


def staff_member_group(agency_id: int, user_id: int) -> str:
    """One staff member's inbox sockets in one agency (told when their membership changes)."""
    return f"chat.member.{agency_id}.{user_id}"


def membership_changed(*, agency_id: int, user_id: int) -> None:
    """After commit, the member's open inbox sockets read their role again (and close if it is gone)."""
    send_on_commit(staff_member_group(agency_id, user_id), {"type": "inbox.membership"})


def _hex(conversation_id) -> str:
    return getattr(conversation_id, "hex", str(conversation_id).replace("-", ""))


def message_frame(message: Message) -> dict:
    payload = message.payload or {}
    frame = {
        "type": "message",
        "seq": message.seq,
        "role": message.role,
        "text": message.text,
        "citations": [
            {key: citation.get(key) for key in ("title", "url", "document_id", "version", "chunk_id")}
            for citation in payload.get("citations", [])
        ],
        "actions": list(payload.get("actions", [])),
        "author": message.author_name,
        "created_at": message.created_at.isoformat(),
    }
    # What a person sent on a messaging channel besides text: the photos (served to the agency's agents
    # only, `messaging.media.channel_photo_resolve`) and a shared location.
    photos = [name for name in payload.get("photos") or [] if isinstance(name, str)]
    if photos:
        frame["photos"] = [settings.MEDIA_URL + name for name in photos]
    location = payload.get("location")
    if isinstance(location, dict) and {"lat", "lng"} <= location.keys():
        frame["location"] = {"lat": location["lat"], "lng": location["lng"]}
    if message.client_msg_id:
        frame["client_msg_id"] = message.client_msg_id
    # The language the assistant answered in: clients label the message (and their own words) in it.
    language = (payload.get("decision") or {}).get("language") if message.role == Message.Role.BOT else None
    if isinstance(language, str) and language:
        frame["language"] = language
    if message.reply_to_seq is not None:
        frame["reply_to"] = message.reply_to_seq
    return frame


def note_frame(note: Note) -> dict:
    return {
        "type": "note",
        "id": note.pk,
        "conversation_id": str(note.conversation_id),
        "text": note.text,
        "author": note.author_name,
        "created_at": note.created_at.isoformat(),
    }


def state_frame(conversation: Conversation, agent_name: str = "") -> dict:
    return {"type": "state", "state": conversation.state, "agent": agent_name}


_tails: dict[str, asyncio.Task] = {}


def send_now(group: str, event: dict, *, exclude: str | None = None) -> None:
    """Send from synchronous code (a service's on-commit hook, a worker thread).

    In a worker thread of a running server the send is handed to the event loop without waiting for
    it (the thread goes back to work; sends to one group keep their order). Elsewhere (admin, Celery,
    management commands) it is sent synchronously. `exclude`: a channel that shows this event itself.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:  # sync code in the thread that runs an event loop (e.g. a browser test's): hand it the send
        _start_send(group, event, exclude)
        return
    loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    if loop is not None and loop.is_running() and threading.get_ident() != getattr(loop, "_thread_id", None):
        loop.call_soon_threadsafe(_start_send, group, event, exclude)
        return
    async_to_sync(group_send)(group, event, exclude)


async def group_send(group: str, event: dict, exclude: str | None = None) -> None:
    """Send to a group now, leaving out the channel `exclude` (a socket that shows the event itself)."""
    layer = get_channel_layer()
    if exclude and isinstance(layer, ExcludingChannelLayer):
        await layer.group_send(group, event, exclude=exclude)
    else:
        await layer.group_send(group, event)


def _start_send(group: str, event: dict, exclude: str | None = None) -> None:
    previous = _tails.get(group)
    task = asyncio.ensure_future(_send_after(previous, group, event, exclude))
    _tails[group] = task
    task.add_done_callback(lambda done: _tails.pop(group, None) if _tails.get(group) is done else None)


_send_slots: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}
MAX_CONCURRENT_SENDS = 64  # stay well inside the channel layer's Redis connection pool


async def _send_after(previous: asyncio.Task | None, group: str, event: dict, exclude: str | None = None) -> None:
    if previous is not None and not previous.done():
        with contextlib.suppress(Exception):
            await asyncio.shield(previous)
    loop = asyncio.get_running_loop()
    slots = _send_slots.get(loop)
    if slots is None:
        slots = _send_slots[loop] = asyncio.Semaphore(MAX_CONCURRENT_SENDS)
    try:
        async with slots:
            await group_send(group, event, exclude)
    except Exception:
        logger.warning("group_send to %s failed", group, exc_info=True)


async def wait_for_sends(timeout: float = 10.0) -> None:
    """Wait for handed-off sends (tests, shutdown)."""
    pending = [task for task in _tails.values() if not task.done()]
    if pending:
        await asyncio.wait(pending, timeout=timeout)


def send_on_commit(group: str, event: dict, *, exclude: str | None = None) -> None:
    transaction.on_commit(lambda: send_now(group, event, exclude=exclude))


def broadcast_message(message: Message, *, shown_by: str | None = None) -> None:
    """Everyone watching the conversation gets the message once it is committed, except the socket
    `shown_by` (the channel name of the sender's socket, which shows this message itself)."""
    event = {"type": "chat.message", "conversation_id": str(message.conversation_id), "frame": message_frame(message)}
    original = (message.payload or {}).get("original")
    if isinstance(original, dict) and original.get("text"):
        # A reply sent translated: the agent's own words reach the staff's consoles, never the citizen's socket.
        event["staff"] = {"original": {"text": str(original["text"]), "language": str(original.get("language") or "")}}
    send_on_commit(conversation_group(message.agency_id, message.conversation_id), event, exclude=shown_by)


def broadcast_state(conversation: Conversation, agent_name: str = "") -> None:
    send_on_commit(
        conversation_group(conversation.agency_id, conversation.pk),
        {"type": "chat.state", "conversation_id": str(conversation.pk), "frame": state_frame(conversation, agent_name)},
    )


def broadcast_inbox(conversation: Conversation, summary: dict) -> None:
    send_on_commit(inbox_group(conversation.agency_id), {"type": "inbox.update", "conversation": summary})


def broadcast_note(note: Note) -> None:
    send_on_commit(
        staff_conversation_group(note.agency_id, note.conversation_id),
        {"type": "inbox.note", "frame": note_frame(note)},
    )


def broadcast_drafts(conversation: Conversation) -> None:
    """The agents who opened the conversation read its form drafts again (per member: what each may see)."""
    send_on_commit(
        staff_conversation_group(conversation.agency_id, conversation.pk),
        {"type": "inbox.drafts", "conversation_id": str(conversation.pk)},
    )
