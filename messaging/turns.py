"""One inbound item as a chat turn: the citizen's message stored in the channel conversation (once per
provider message id), then the same bot engine as the web chat. The reply reaches the person through
the outbox (chat's `_store` hands every bot, agent and system line of a channel conversation to
`messaging.outbox.message_outbound_queue`)."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError

from chat.models import Conversation, Message
from messaging.models import ChannelConnection, ChannelIdentity
from messaging.providers import get_provider
from messaging.providers.base import Inbound
from tenants.models import Agency

logger = logging.getLogger(__name__)


PHOTO_ONLY = "📷"


def _text_of(item: Inbound) -> str:
    """The message's text as the engine reads it: a shared location is its coordinates ("41.88, -87.63",
    which a form's location question takes), a photo without a caption a camera sign."""
    text = item.text.strip()
    if item.kind == "location" and item.latitude is not None and item.longitude is not None:
        return f"{item.latitude:.6f}, {item.longitude:.6f}"
    if not text and item.kind == "media":
        return PHOTO_ONLY
    return text


def _numbered_choice(agency: Agency, conversation_id, text: str) -> tuple[str, str]:
    """On a channel without buttons, "2" picks the second option of the last line we sent (the options
    were listed as "1. …", "2. …" by the provider's render): (the option's label, its action)."""
    number = text.strip().rstrip(".)")
    if not (number.isdigit() and 0 < int(number) <= 20):
        return text, ""
    last = (
        Message.objects.for_agency(agency)
        .filter(conversation_id=conversation_id)
        .exclude(role=Message.Role.CITIZEN)
        .order_by("-seq")
        .values_list("payload", flat=True)
        .first()
    )
    options = [
        action
        for action in (last or {}).get("actions", [])
        if isinstance(action, dict) and action.get("type", "reply") == "reply" and action.get("label")
    ]
    if int(number) > len(options):
        return text, ""
    chosen = options[int(number) - 1]
    return str(chosen["label"]), str(chosen.get("value") or "")


def message_turn(
    *,
    agency: Agency,
    connection: ChannelConnection,
    identity: ChannelIdentity,
    conversation_id,
    item: Inbound,
    media: list[str],
) -> None:
    """Store the person's message and, when the bot holds the conversation, answer it (in this transaction)."""
    from chat.engine.engine import bot_turn
    from chat.services import conversation_cancel_queue, message_receive

    text = _text_of(item)
    if not text:
        return
    action = item.action
    if not action and item.kind == "text" and getattr(get_provider(connection.kind), "numbered_options", False):
        text, action = _numbered_choice(agency, conversation_id, text)
    extra = {}
    if item.kind == "location" and item.latitude is not None and item.longitude is not None:
        extra["location"] = {"lat": item.latitude, "lng": item.longitude}
    if media:
        extra["photos"] = media
    try:
        received = message_receive(
            agency=agency,
            conversation_id=conversation_id,
            text=text[:2000],
            client_msg_id=f"{connection.kind[:2]}:{item.item_id}"[:64] if item.item_id else "",
            action=action[:64],
            extra=extra,
        )
    except ValidationError as error:
        logger.info("Inbound %s message refused: %s", connection.kind, error.messages)
        return
    if received.duplicate and received.message.conversation.last_seq > received.message.seq:
        return  # seen before, and the conversation moved on since
    if received.state == Conversation.State.QUEUED and action == "cancel_handoff":
        conversation_cancel_queue(agency=agency, conversation_id=conversation_id)
    elif received.state in (Conversation.State.BOT, Conversation.State.CLOSED):
        bot_turn(
            agency=agency, conversation_id=conversation_id, citizen_seq=received.message.seq, message=received.message
        )
