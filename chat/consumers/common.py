"""What both chat sockets share: limits, background turns, small parsers."""

from __future__ import annotations

import asyncio
import logging
import time

from django.conf import settings

from chat import realtime, selectors, services
from chat.models import Conversation

logger = logging.getLogger(__name__)

CLOSE_INVALID_TOKEN = 4401
MAX_CLIENT_ID_CHARS = 64
MAX_ACTION_CHARS = 40
DELTA_FLUSH_SECONDS = 0.05
RECOVERY_GRACE_SECONDS = 3.0
TYPING_DELAY_SECONDS = 0.3

# Per connection: messages (burst, per second) and all frames (burst, per second). A person tapping buttons is never
# held back: a double tap or two buttons in a second fit the burst many times over, and nobody reads a reply and taps
# its next button faster than about once a second for long (a press after the reply shows, as fast as the widget lets
# a script do it, came every 1.16 s through a form in Chromium on make run, session 22, and 8 / 0.5 per s refused 4
# of 20 such taps; at 20 / 1 per s a tap every 0.7 s goes through for 60 taps). A script flooding the socket still
# gets 20, then one a second.
MESSAGE_BURST = getattr(settings, "CHAT_MESSAGE_BURST", 20)
MESSAGE_RATE = getattr(settings, "CHAT_MESSAGE_RATE", 1.0)
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


async def message_fields(consumer, content: dict) -> tuple[str, str, str] | None:
    """A `message` frame's (text, client_msg_id, action), or None once the client was told it is malformed
    (both chat sockets: the agency's and the portal's)."""
    text = content.get("text")
    client_msg_id = _str_field(content, "client_msg_id", MAX_CLIENT_ID_CHARS)
    action = _str_field(content, "action", MAX_ACTION_CHARS)
    if not isinstance(text, str) or client_msg_id is None or action is None:
        await consumer.send_error("bad_message", "A message needs text and at most a 64-character client_msg_id.")
        return None
    return text, client_msg_id, action


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

    async def notify(self, consumer) -> None:
        """Tell the client it is sending too fast, unless it was told less than a second ago."""
        if self.due():
            await consumer.send_error("rate_limited", "Too many messages; wait a moment and try again.")


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
