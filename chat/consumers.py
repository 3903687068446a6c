"""Sockets: the citizen's chat (/ws/a/<slug>/chat/) and the agents' inbox (/ws/a/<slug>/inbox/).

Thin: parse a frame, call one service or selector, send frames. The protocol is documented in
docs/chat-protocol.md.
"""

from __future__ import annotations

import asyncio
import logging
import time
from urllib.parse import parse_qs

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from chat import presence, realtime, selectors, services
from chat.asyncdb import db
from chat.models import Conversation
from chat.ratelimit import TokenBucket
from tenants.consumers import CLOSE_UNKNOWN_AGENCY, AgencyScopedConsumer
from tenants.selectors import user_has_role

logger = logging.getLogger(__name__)

CLOSE_INVALID_TOKEN = 4401
MAX_CLIENT_ID_CHARS = 64
MAX_ACTION_CHARS = 40
DELTA_FLUSH_SECONDS = 0.05
RECOVERY_GRACE_SECONDS = 3.0
TYPING_DELAY_SECONDS = 0.3

# Per connection: messages (burst, per second) and all frames (burst, per second).
MESSAGE_BURST = getattr(settings, "CHAT_MESSAGE_BURST", 8)
MESSAGE_RATE = getattr(settings, "CHAT_MESSAGE_RATE", 0.5)
FRAME_BURST = getattr(settings, "CHAT_FRAME_BURST", 30)
FRAME_RATE = getattr(settings, "CHAT_FRAME_RATE", 5.0)

# Bot turns outlive the socket that asked (the citizen may reconnect and read the reply).
_background: set[asyncio.Task] = set()
_running_turns: set[tuple[str, int]] = set()  # (conversation id, citizen seq) being answered here


def _spawn(coroutine) -> asyncio.Task:
    task = asyncio.create_task(coroutine)
    _background.add(task)
    task.add_done_callback(_background.discard)
    return task


async def wait_for_background(timeout: float = 30.0) -> None:
    """Wait for bot turns still running and their broadcasts (tests, graceful shutdown)."""
    pending = [task for task in _background if not task.done()]
    if pending:
        await asyncio.wait(pending, timeout=timeout)
    await realtime.wait_for_sends()


def _run_turn(*, agency, conversation_id, citizen_seq: int, message, on_delta):
    from chat.engine.engine import bot_turn

    return bot_turn(
        agency=agency, conversation_id=conversation_id, citizen_seq=citizen_seq, message=message, on_delta=on_delta
    )


def _first(params: dict, name: str) -> str:
    values = params.get(name) or [""]
    return values[0][:200]


def _int(value: str, default: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number >= 0 else default


def _str_field(content: dict, name: str, limit: int) -> str | None:
    value = content.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > limit:
        return None
    return value


class _Throttled:
    """Sends at most one `rate_limited` error per second, however hard the socket floods."""

    def __init__(self):
        self.last = 0.0

    def due(self) -> bool:
        now = time.monotonic()
        if now - self.last >= 1.0:
            self.last = now
            return True
        return False


def _open_conversation(*, agency, token: str, channel: str, language: str):
    """(conversation, token, agent name) for a hello; (None, …) for an unknown token."""
    if token:
        conversation = selectors.conversation_get_by_token(agency=agency, token=token)
        if conversation is None:
            return None, token, ""
    else:
        if channel not in Conversation.Channel.values:
            channel = Conversation.Channel.WIDGET
        conversation, token = services.conversation_start(agency=agency, channel=channel, language=language)
    agent = ""
    if conversation.state == Conversation.State.AGENT and conversation.assigned_agent is not None:
        agent = services.agent_display_name(agency=agency, user=conversation.assigned_agent)
    return conversation, token, agent


class CitizenChatConsumer(AgencyScopedConsumer):
    """A citizen's conversation. Authenticated by its token only (never by cookies)."""

    conversation_id = None

    @property
    def user(self):
        # Any site may embed the widget (any origin may connect), so a staff session cookie that rides
        # along must not make the citizen's actions look like that staff member's in the audit trail.
        return None

    async def agency_connect(self):
        params = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        token = _first(params, "token")
        self.delivered = 0
        self.deliver_lock = asyncio.Lock()
        self.bot_lock = asyncio.Lock()
        self.messages = TokenBucket(capacity=MESSAGE_BURST, rate=MESSAGE_RATE)
        self.frames = TokenBucket(capacity=FRAME_BURST, rate=FRAME_RATE)
        self.throttle_notice = _Throttled()
        self.last_typing = 0.0
        conversation, token, agent = await db(_open_conversation)(
            agency=self.agency, token=token, channel=_first(params, "channel"), language=_first(params, "lang")
        )
        if conversation is None:
            await self.accept()
            await self.send_error("invalid_token", "This conversation does not exist here. Start a new one.")
            await self.close(code=CLOSE_INVALID_TOKEN)
            return
        self.conversation_id = conversation.pk
        self.group = realtime.conversation_group(self.agency.pk, conversation.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json(
            {
                "type": "hello",
                "conversation_id": str(conversation.pk),
                "token": token,
                "seq": conversation.last_seq,
                "state": conversation.state,
                "agent": agent,
                "language": conversation.language,
            }
        )
        self.delivered = min(_int(_first(params, "after_seq"), 0), conversation.last_seq)
        async with self.deliver_lock:
            await self._catch_up(upto=None)
        if conversation.last_seq:
            _spawn(self._recover())

    async def agency_disconnect(self, code):
        if self.conversation_id is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    # --- from the client --------------------------------------------------------------------------
    async def agency_receive_json(self, content: dict):
        if self.conversation_id is None:
            return
        if not self.frames.take():
            await self._rate_limited()
            return
        kind = content.get("type")
        if kind == "message":
            await self._on_message(content)
        elif kind == "typing":
            await self._on_typing(content)
        elif kind == "ping":
            await self.send_json({"type": "pong"})
            # The channel layer may drop an event (a full or expired channel): the client's heartbeat
            # doubles as a check against the database, so a live socket never stays behind.
            async with self.deliver_lock:
                await self._catch_up(upto=None)
        else:
            await self.send_error("unknown_type", "Unknown message type.")

    async def _rate_limited(self):
        if self.throttle_notice.due():
            await self.send_error("rate_limited", "Too many messages; wait a moment and try again.")

    async def _on_message(self, content: dict):
        text = content.get("text")
        client_msg_id = _str_field(content, "client_msg_id", MAX_CLIENT_ID_CHARS)
        action = _str_field(content, "action", MAX_ACTION_CHARS)
        if not isinstance(text, str) or client_msg_id is None or action is None:
            await self.send_error("bad_message", "A message needs text and at most a 64-character client_msg_id.")
            return
        if not self.messages.take():
            await self._rate_limited()
            return
        try:
            received = await db(services.message_receive)(
                agency=self.agency,
                conversation_id=self.conversation_id,
                text=text,
                client_msg_id=client_msg_id,
                action=action,
            )
        except ValidationError as error:
            await self.send_error("bad_message", error.messages[0])
            return
        except Conversation.DoesNotExist:
            await self.send_error("invalid_token", "This conversation no longer exists.")
            await self.close(code=CLOSE_INVALID_TOKEN)
            return
        if received.duplicate:
            return  # already stored (and answered): no second echo, no second reply
        await self._deliver(realtime.message_frame(received.message))
        if received.state == Conversation.State.QUEUED and action == "cancel_handoff":
            await db(services.conversation_cancel_queue)(agency=self.agency, conversation_id=self.conversation_id)
        elif received.state in (Conversation.State.BOT, Conversation.State.CLOSED):
            _spawn(self._bot_turn(received.message.seq, received.message))

    async def _on_typing(self, content: dict):
        now = time.monotonic()
        if now - self.last_typing < 1.0:
            return
        self.last_typing = now
        await self.channel_layer.group_send(
            realtime.staff_conversation_group(self.agency.pk, self.conversation_id),
            {
                "type": "inbox.typing",
                "conversation_id": str(self.conversation_id),
                "role": "citizen",
                "active": bool(content.get("active", True)),
            },
        )

    # --- the bot ----------------------------------------------------------------------------------
    async def _bot_turn(self, seq: int, message=None):
        key = (str(self.conversation_id), seq)
        if key in _running_turns:
            return
        _running_turns.add(key)
        try:
            await self._bot_turn_locked(seq, message)
        finally:
            _running_turns.discard(key)

    async def _bot_turn_locked(self, seq: int, message=None):
        async with self.bot_lock:  # one turn at a time per socket: replies come in question order
            # "typing…" only when the turn is slow enough to notice (an LLM, a busy server): most
            # answers arrive before it would show, and every frame costs the channel layer.
            shown = []
            typing = asyncio.get_running_loop().call_later(
                TYPING_DELAY_SECONDS, lambda: shown.append(_spawn(self._typing("bot", True)))
            )
            stream = _DeltaStream(self.group, seq)
            reply = None
            try:
                reply = await db(_run_turn)(
                    agency=self.agency,
                    conversation_id=self.conversation_id,
                    citizen_seq=seq,
                    message=message,
                    on_delta=stream.add,
                )
            except Exception:
                logger.exception("bot turn failed")
            finally:
                typing.cancel()
                if shown:
                    await shown[0]
                if shown or reply is None:
                    await self._typing("bot", False)

    async def _recover(self):
        """Answer the citizen's last message if it was left without a reply (a server restarted mid-turn).

        A turn younger than the grace period may still be running elsewhere: wait it out, then look
        again. Should two turns race anyway, the one-reply-per-message constraint keeps one reply.
        """
        pending = await db(selectors.unanswered_citizen_message)(
            agency=self.agency, conversation_id=self.conversation_id
        )
        if pending is None:
            return
        seq, age = pending
        if (str(self.conversation_id), seq) in _running_turns:
            return  # this process is answering it
        if age < RECOVERY_GRACE_SECONDS:
            await asyncio.sleep(RECOVERY_GRACE_SECONDS - age)
            again = await db(selectors.unanswered_citizen_message)(
                agency=self.agency, conversation_id=self.conversation_id
            )
            if again is None or again[0] != seq:
                return
        await self._bot_turn(seq)

    async def _typing(self, role: str, active: bool, name: str = ""):
        await self.channel_layer.group_send(
            self.group,
            {
                "type": "chat.typing",
                "conversation_id": str(self.conversation_id),
                "frame": {"type": "typing", "role": role, "name": name, "active": active},
            },
        )

    # --- to the client ----------------------------------------------------------------------------
    async def _deliver(self, frame: dict):
        """Send message frames strictly in seq order, once each; fill any gap from the database."""
        async with self.deliver_lock:
            seq = frame["seq"]
            if seq <= self.delivered:
                return
            if seq > self.delivered + 1:
                await self._catch_up(upto=seq - 1)
            if seq == self.delivered + 1:
                await self.send_json(frame)
                self.delivered = seq

    async def _catch_up(self, *, upto: int | None):
        """Replay stored messages after `self.delivered` (hold `deliver_lock`)."""
        while True:
            missed = await db(selectors.messages_after)(
                agency=self.agency, conversation_id=self.conversation_id, after_seq=self.delivered, upto_seq=upto
            )
            for message in missed:
                if message.seq != self.delivered + 1:
                    return  # never skip ahead over a gap
                await self.send_json(realtime.message_frame(message))
                self.delivered = message.seq
            if len(missed) < selectors.REPLAY_LIMIT:
                return

    async def chat_message(self, event):
        await self._deliver(event["frame"])

    async def chat_state(self, event):
        await self.send_json(event["frame"])

    async def chat_typing(self, event):
        await self.send_json(event["frame"])

    async def chat_delta(self, event):
        await self.send_json(event["frame"])


class _DeltaStream:
    """Collects streamed text in the worker thread and sends it in ~50 ms batches as delta frames."""

    def __init__(self, group: str, reply_to: int):
        self.group = group
        self.reply_to = reply_to
        self.buffer: list[str] = []
        self.last = 0.0

    def add(self, text: str) -> None:
        self.buffer.append(text)
        now = time.monotonic()
        if now - self.last >= DELTA_FLUSH_SECONDS:
            self.last = now
            chunk, self.buffer = "".join(self.buffer), []
            realtime.send_now(
                self.group, {"type": "chat.delta", "frame": {"type": "delta", "reply_to": self.reply_to, "text": chunk}}
            )


def _inbox_hello(*, agency, user) -> dict:
    conversations = selectors.inbox_conversations(agency=agency, user=user)
    return {
        "type": "hello",
        "agent": {"id": user.pk, "name": services.agent_display_name(agency=agency, user=user)},
        "supervisor": user_has_role(user=user, agency=agency, roles=services.CHAT_SUPERVISOR_ROLES),
        "conversations": [selectors.conversation_summary(c) for c in conversations],
        "agents_online": presence.agents_online(agency_id=agency.pk),
        "office_hours": agency.office_hours,
    }


def _open_transcript(*, agency, user, conversation_id):
    conversation = selectors.conversation_for_staff(agency=agency, user=user, conversation_id=conversation_id)
    if conversation is None:
        return None
    services.transcript_access_record(agency=agency, actor=user, conversation=conversation, via="console")
    data = selectors.transcript(agency=agency, conversation=conversation)
    return {
        "type": "transcript",
        "conversation": selectors.conversation_summary(conversation),
        "messages": [realtime.message_frame(message) for message in data["messages"]],
        "notes": [realtime.note_frame(note) for note in data["notes"]],
    }


class InboxConsumer(AgencyScopedConsumer):
    """An agent's console: the agency's queue, live transcripts, replies, notes, handback, close.

    Staff authenticate with their session; anyone without an inbox role in this agency gets the same
    close code as an unknown agency (4404): another agency's inbox does not admit it exists.
    """

    async def agency_connect(self):
        user = self.user
        self.opened: set[str] = set()
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNKNOWN_AGENCY)
            return
        allowed = await db(user_has_role)(user=user, agency=self.agency, roles=services.CHAT_AGENT_ROLES)
        if not allowed:
            self.user_ok = False
            await self.close(code=CLOSE_UNKNOWN_AGENCY)
            return
        self.user_ok = True
        self.frames = TokenBucket(capacity=FRAME_BURST * 2, rate=FRAME_RATE * 4)
        self.inbox = realtime.inbox_group(self.agency.pk)
        await self.channel_layer.group_add(self.inbox, self.channel_name)
        await self.accept()
        await self._seen()
        hello = await db(_inbox_hello)(agency=self.agency, user=user)
        self.supervisor = hello["supervisor"]
        await self.send_json(hello)

    async def agency_disconnect(self, code):
        if not getattr(self, "user_ok", False):
            return
        await self.channel_layer.group_discard(self.inbox, self.channel_name)
        for conversation_id in list(self.opened):
            await self._leave(conversation_id)
        await db(presence.agent_gone)(agency_id=self.agency.pk, user_id=self.user.pk, connection=self.channel_name)

    async def _seen(self):
        await db(presence.agent_seen)(agency_id=self.agency.pk, user_id=self.user.pk, connection=self.channel_name)

    async def agency_receive_json(self, content: dict):
        if not getattr(self, "user_ok", False):
            return
        if not self.frames.take():
            await self.send_error("rate_limited", "Too many frames.")
            return
        kind = content.get("type")
        handler = {
            "ping": self._on_ping,
            "open": self._on_open,
            "leave": self._on_leave,
            "claim": self._on_claim,
            "reply": self._on_reply,
            "note": self._on_note,
            "handback": self._on_handback,
            "close": self._on_close,
            "typing": self._on_typing,
        }.get(kind)
        if handler is None:
            await self.send_error("unknown_type", "Unknown message type.")
            return
        conversation_id = selectors.parse_conversation_id(content.get("conversation_id"))
        if kind != "ping" and conversation_id is None:
            await self.send_error("not_found", "No such conversation.")
            return
        try:
            await handler(str(conversation_id) if conversation_id else None, content)
        except (PermissionDenied, Conversation.DoesNotExist):
            await self.send_error("not_found", "No such conversation.")
        except ValidationError as error:
            await self.send_error("invalid", error.messages[0])

    async def _on_ping(self, conversation_id, content):
        await self._seen()
        online = await db(presence.agents_online)(agency_id=self.agency.pk)
        await self.send_json({"type": "pong", "agents_online": online})

    async def _on_open(self, conversation_id, content):
        frame = await db(_open_transcript)(agency=self.agency, user=self.user, conversation_id=conversation_id)
        if frame is None:
            raise PermissionDenied
        if conversation_id not in self.opened:
            self.opened.add(conversation_id)
            await self.channel_layer.group_add(
                realtime.conversation_group(self.agency.pk, conversation_id), self.channel_name
            )
            await self.channel_layer.group_add(
                realtime.staff_conversation_group(self.agency.pk, conversation_id), self.channel_name
            )
        await self.send_json(frame)

    async def _leave(self, conversation_id):
        self.opened.discard(conversation_id)
        await self.channel_layer.group_discard(
            realtime.conversation_group(self.agency.pk, conversation_id), self.channel_name
        )
        await self.channel_layer.group_discard(
            realtime.staff_conversation_group(self.agency.pk, conversation_id), self.channel_name
        )

    async def _on_leave(self, conversation_id, content):
        await self._leave(conversation_id)

    async def _on_claim(self, conversation_id, content):
        await db(_visible(services.conversation_claim))(
            agency=self.agency, actor=self.user, conversation_id=conversation_id
        )
        await self._on_open(conversation_id, content)

    async def _on_reply(self, conversation_id, content):
        client_msg_id = _str_field(content, "client_msg_id", MAX_CLIENT_ID_CHARS)
        if client_msg_id is None:
            raise ValidationError("client_msg_id is at most 64 characters.")
        await db(services.message_post_agent)(
            agency=self.agency,
            actor=self.user,
            conversation_id=conversation_id,
            text=content.get("text"),
            client_msg_id=client_msg_id,
        )

    async def _on_note(self, conversation_id, content):
        await db(_note_add)(
            agency=self.agency, user=self.user, conversation_id=conversation_id, text=content.get("text")
        )

    async def _on_handback(self, conversation_id, content):
        await db(_visible(services.conversation_handback))(
            agency=self.agency, actor=self.user, conversation_id=conversation_id
        )

    async def _on_close(self, conversation_id, content):
        await db(_visible(services.conversation_close))(
            agency=self.agency, actor=self.user, conversation_id=conversation_id
        )

    async def _on_typing(self, conversation_id, content):
        if conversation_id not in self.opened:
            return
        name = await db(services.agent_display_name)(agency=self.agency, user=self.user)
        await self.channel_layer.group_send(
            realtime.conversation_group(self.agency.pk, conversation_id),
            {
                "type": "chat.typing",
                "conversation_id": conversation_id,
                "frame": {"type": "typing", "role": "agent", "name": name, "active": bool(content.get("active", True))},
            },
        )

    # --- group events -----------------------------------------------------------------------------
    async def inbox_update(self, event):
        summary = event["conversation"]
        mine = summary.get("assigned_agent_id") == self.user.pk
        if self.supervisor or mine or summary["state"] == Conversation.State.QUEUED:
            await self.send_json({"type": "conversation", "conversation": summary})
        else:
            await self.send_json({"type": "conversation_removed", "conversation_id": summary["id"]})

    async def chat_message(self, event):
        await self.send_json({**event["frame"], "conversation_id": event.get("conversation_id")})

    async def chat_state(self, event):
        await self.send_json({**event["frame"], "conversation_id": event.get("conversation_id")})

    async def chat_typing(self, event):
        frame = event["frame"]
        if frame.get("role") == "agent":
            return  # the console shows the citizen and the bot typing, not colleagues
        await self.send_json({**frame, "conversation_id": event.get("conversation_id")})

    async def chat_delta(self, event):
        pass  # the console shows the bot's final message

    async def inbox_note(self, event):
        await self.send_json(event["frame"])

    async def inbox_typing(self, event):
        await self.send_json(
            {
                "type": "typing",
                "role": "citizen",
                "active": event["active"],
                "conversation_id": event["conversation_id"],
            }
        )


def _visible(service):
    """Run `service` only on a conversation the staff member may read (else: not found)."""

    def call(*, agency, actor, conversation_id, **kwargs):
        conversation = selectors.conversation_for_staff(agency=agency, user=actor, conversation_id=conversation_id)
        if conversation is None:
            raise PermissionDenied
        return service(agency=agency, actor=actor, conversation_id=conversation.pk, **kwargs)

    return call


def _note_add(*, agency, user, conversation_id, text):
    return _visible(services.note_add)(agency=agency, actor=user, conversation_id=conversation_id, text=text)
