"""The citizen's socket: /ws/a/<slug>/chat/ (protocol: docs/chat-protocol.md)."""

from __future__ import annotations

import asyncio
import logging
import time
from urllib.parse import parse_qs

from django.core.exceptions import ValidationError

from chat import realtime, selectors, services
from chat.asyncdb import db
from chat.consumers.common import (
    CLOSE_INVALID_TOKEN,
    DELTA_FLUSH_SECONDS,
    FRAME_BURST,
    FRAME_RATE,
    MESSAGE_BURST,
    MESSAGE_RATE,
    RECOVERY_GRACE_SECONDS,
    TYPING_DELAY_SECONDS,
    _first,
    _int,
    _open_conversation,
    _running_turns,
    _spawn,
    _Throttled,
    message_fields,
)
from chat.engine.crisis import crisis_notice_text
from chat.engine.engine import bot_turn
from chat.models import Conversation
from chat.ratelimit import TokenBucket
from tenants.consumers import AgencyScopedConsumer

logger = logging.getLogger(__name__)


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
                "crisis": crisis_notice_text(self.agency, conversation.language),
                "agency_names": {code: self.agency.name_in(code) for code in self.agency.languages},
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
            await self.throttle_notice.notify(self)
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

    async def _on_message(self, content: dict):
        fields = await message_fields(self, content)
        if fields is None:
            return
        text, client_msg_id, action = fields
        if not self.messages.take():
            await self.throttle_notice.notify(self)
            return
        try:
            received = await db(services.message_receive)(
                agency=self.agency,
                conversation_id=self.conversation_id,
                text=text,
                client_msg_id=client_msg_id,
                action=action,
                shown_by=self.channel_name,  # delivered below, not through the channel layer
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
                reply = await db(bot_turn)(
                    agency=self.agency,
                    conversation_id=self.conversation_id,
                    citizen_seq=seq,
                    message=message,
                    on_delta=stream.add,
                    shown_by=self.channel_name,  # delivered below, not through the channel layer
                )
                if reply is not None:
                    # Stored and committed: this socket shows it at once (as with the citizen's own
                    # message) instead of waiting for the channel layer's copy, which other tabs and
                    # agents get and which `_deliver` then skips as already delivered.
                    await self._deliver(realtime.message_frame(reply))
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
        # This socket is told directly; other tabs and agents watching through the channel layer. A
        # slow turn (a busy server) should not cost the channel layer a round trip back to itself.
        frame = {"type": "typing", "role": role, "name": name, "active": active}
        await self.send_json(frame)
        await realtime.group_send(
            self.group,
            {"type": "chat.typing", "conversation_id": str(self.conversation_id), "frame": frame},
            exclude=self.channel_name,
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
