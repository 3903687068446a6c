"""Writes for messaging: storing webhook events, running their turns, identities (opt-outs:
`messaging.subscriptions`; connecting a channel: `messaging.connections`; staff decisions on held lines: `messaging.held`).

`inbound_event_process` runs one stored event in ONE transaction, holding the event's row lock: the
citizen's message, the bot's reply, its outbox rows and the event's status commit together or not at
all. A worker killed mid-turn commits nothing; the event stays `received` and the beat sweep runs it
again. A provider's retry of the same delivery never gets that far (the event is unique per
connection and provider id), and each item's chat message carries the provider's message id as its
`client_msg_id`, so even a re-run of a half-seen event stores and answers each message once.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from chat.models import Conversation
from messaging import keywords
from messaging.in_doubt import status_settles
from messaging.models import MAX_LAST_ERRORS, ChannelConnection, ChannelIdentity, InboundEvent, OutboundMessage
from messaging.providers import get_provider
from messaging.providers.base import Inbound
from messaging.subscriptions import identity_back, identity_opt_in, identity_opt_out, subscription_word
from tenants.models import Agency

logger = logging.getLogger(__name__)

MAX_EVENT_ATTEMPTS = 5
STATUS_ORDER = {"sent": 1, "delivered": 2, "read": 3}


# --- webhook side -----------------------------------------------------------------------------------
# One statement in autocommit: stored (and durable) when it returns, and a provider's retry of the same id
# inserts nothing. The ORM's create() inside atomic() took four round trips (BEGIN, INSERT, COMMIT and the
# savepoint bookkeeping) on the path that must answer within milliseconds.
_EVENT_INSERT = (
    "INSERT INTO messaging_inboundevent "
    "(agency_id, connection_id, provider_id, body, content_type, status, attempts, error, received_at) "
    "VALUES (%s, %s, %s, %s, %s, %s, 0, '', now()) "
    "ON CONFLICT (connection_id, provider_id) DO NOTHING RETURNING id"
)


def inbound_event_store(*, connection: ChannelConnection, provider_id: str, body: bytes, content_type: str) -> bool:
    """Store a verified delivery; after commit, make sure a drain of the connection's stored events is
    coming (`messaging.drain`). False: already stored (a provider retry)."""
    from core.sql import agency_cursor

    provider_id = (provider_id or "sha256:" + hashlib.sha256(body).hexdigest())[:200]
    params = [connection.agency_id, connection.pk, provider_id, body, content_type[:100], InboundEvent.Status.RECEIVED]
    with agency_cursor(connection.agency_id) as cursor:
        cursor.execute(_EVENT_INSERT, params)
        row = cursor.fetchone()
    if row is None:
        return False
    from messaging.drain import drain_on_commit

    drain_on_commit(agency_id=connection.agency_id, connection_id=connection.pk)
    return True


def connection_signature_rejected(*, connection: ChannelConnection) -> None:
    """Count a webhook refused for its signature or secret (shown on the staff page)."""
    ChannelConnection.objects.for_agency(connection.agency).filter(pk=connection.pk).update(
        rejected_signatures=F("rejected_signatures") + 1, last_rejected_at=timezone.now()
    )


def connection_error_record(*, connection: ChannelConnection, code: str, message: str, recipient: str = "") -> None:
    """Keep the newest delivery errors on the connection, where staff see them."""
    with transaction.atomic():
        row = ChannelConnection.objects.for_agency(connection.agency).select_for_update().filter(pk=connection.pk)
        row = row.values_list("last_errors", flat=True).first()
        if row is None:
            return
        entry = {"at": timezone.now().isoformat(), "code": code[:50], "message": message[:300], "recipient": recipient}
        errors = [entry, *(row or [])][:MAX_LAST_ERRORS]
        ChannelConnection.objects.for_agency(connection.agency).filter(pk=connection.pk).update(last_errors=errors)


# --- worker side ------------------------------------------------------------------------------------
def inbound_event_process(*, agency: Agency, event_id: int) -> str | None:
    """Run the turn(s) of one stored event. Returns its new status, or None when there was nothing to do
    (already processed, or being processed by another worker right now). The drain
    (`messaging.drain.inbound_drain`) runs most events without this; it hands over those with media, whose
    downloads happen here, outside the transaction."""
    head = (
        InboundEvent.objects.for_agency(agency)
        .filter(pk=event_id, status=InboundEvent.Status.RECEIVED)
        .select_related("connection")
        .first()
    )
    if head is None:
        return None
    connection = head.connection
    provider = get_provider(connection.kind)
    if provider is None:
        return None
    items = provider.parse(connection, bytes(head.body), head.content_type)
    media = _fetch_media(provider, connection, items)  # outside the transaction: network, retried
    try:
        with transaction.atomic():
            event = (
                InboundEvent.objects.for_agency(agency)
                .select_for_update(skip_locked=True)
                .filter(pk=event_id, status=InboundEvent.Status.RECEIVED)
                .first()
            )
            if event is None:
                return None
            return event_apply(agency, connection, event, items, media)
    except Exception as exc:
        event_failed(agency, event_id, exc)
        raise


def event_apply(agency: Agency, connection: ChannelConnection, event: InboundEvent, items, media) -> str:
    """Inside the transaction holding `event`'s row lock: its items' turns, then its new status."""
    from messaging.outbox import event_lines

    handled = False
    with event_lines(event.pk):
        for item in items:
            handled = _handle(agency, connection, item, media) or handled
    event.status = InboundEvent.Status.PROCESSED if handled else InboundEvent.Status.IGNORED
    event.error = "; ".join(sorted({item.reason for item in items if item.kind == "ignored"}))[:500]
    event.processed_at = timezone.now()
    event.attempts += 1
    event.save(update_fields=["status", "error", "processed_at", "attempts"])
    return event.status


def event_failed(agency: Agency, event_id: int, exc: Exception) -> None:
    """A turn raised (its transaction rolled back): count the attempt; the last one fails the event."""
    logger.exception("Inbound event %s failed", event_id)
    failed = InboundEvent.objects.for_agency(agency).filter(pk=event_id, status=InboundEvent.Status.RECEIVED)
    failed.update(attempts=F("attempts") + 1, error=str(exc)[:500])
    failed.filter(attempts__gte=MAX_EVENT_ATTEMPTS).update(status=InboundEvent.Status.FAILED)


def _fetch_media(provider, connection, items: list[Inbound]) -> dict[str, list[str]]:
    """Download the images people sent (each retried by the caller's retries); {item_id: [stored names]}.
    A failed download leaves the item's text alone: the message is answered without its picture."""
    from messaging.media import media_store

    stored: dict[str, list[str]] = {}
    for item in items:
        for media in item.media:
            name = media_store(provider=provider, connection=connection, media=media)
            if name:
                stored.setdefault(item.item_id, []).append(name)
    return stored


def _handle(agency: Agency, connection: ChannelConnection, item: Inbound, media: dict[str, list[str]]) -> bool:
    if item.kind == "ignored":
        return False
    if item.kind == "status":
        return outbound_status_update(agency=agency, connection=connection, item=item)
    if not item.sender:
        return False
    said = subscription_word(item)
    stop = said is not None and said[0] == keywords.STOP
    identity = _identity(agency, connection.kind, item, open_conversation=not stop)
    identity_back(identity=identity)  # they wrote: a channel the provider said they had shut is open again
    if stop:
        identity_opt_out(agency=agency, identity=identity, language=said[1], answered=bool(item.keyword))
        return True
    if said is not None and identity.opted_out:  # START (a STOP returned above)
        identity_opt_in(agency=agency, identity=identity, language=said[1], answered=bool(item.keyword))
        return True
    conversation_id = _conversation(agency, connection.kind, identity)
    from messaging.outbox import turn_parties
    from messaging.turns import message_turn

    connection.agency = agency  # the same agency (the event was found in it): a render may read it
    with turn_parties(conversation_id=conversation_id, identity=identity, connection=connection):
        message_turn(
            agency=agency,
            connection=connection,
            identity=identity,
            conversation_id=conversation_id,
            item=item,
            media=media.get(item.item_id, []),
        )
    return True


def _identity(agency: Agency, kind: str, item: Inbound, *, open_conversation: bool) -> ChannelIdentity:
    """The person (locked for the turn). A new person's row is written with their conversation when the
    message opens one (`open_conversation`: anything but STOP), so no second write links the two."""
    external_id = item.sender[:200]
    _identity_adopt_alias(agency, kind, external_id, item.sender_aliases)
    now = timezone.now()
    identities = ChannelIdentity.objects.for_agency(agency).select_for_update()
    identity = identities.filter(kind=kind, external_id=external_id).first()
    if identity is None:
        identity = _identity_create(agency, kind, item, external_id, now, open_conversation=open_conversation)
        if identity is not None:
            return identity  # a new person: their window opens with this row, and nothing of theirs is held
        identity = identities.get(kind=kind, external_id=external_id)  # a concurrent first message made it
    ChannelIdentity.objects.for_agency(agency).filter(pk=identity.pk).update(last_inbound_at=now)
    identity.last_inbound_at = now  # the replies of this turn are queued with the identity as held here
    from messaging.delivery import outbound_release_held

    outbound_release_held(agency=agency, identity=identity)  # their window is open again
    return identity


def _identity_create(
    agency: Agency, kind: str, item: Inbound, external_id: str, now, *, open_conversation: bool
) -> ChannelIdentity | None:
    """A new person's row (and conversation), or None when a concurrent turn created the row first (the
    savepoint undoes this one's conversation too)."""
    from chat.services import conversation_start

    language = item.language[:10]
    try:
        with transaction.atomic():
            conversation = None
            if open_conversation:
                opening = language if language in agency.languages else "en"
                conversation, _token = conversation_start(agency=agency, channel=kind, language=opening)
            return ChannelIdentity.objects.for_agency(agency).create(
                agency=agency,
                kind=kind,
                external_id=external_id,
                display_name=item.sender_name[:200],
                language=language,
                last_inbound_at=now,
                conversation=conversation,
            )
    except IntegrityError:
        return None


def _identity_adopt_alias(agency: Agency, kind: str, external_id: str, aliases: list[str]) -> None:
    """The provider names the person by a new id and still gives the old one (WhatsApp's business-scoped
    id beside the phone number): the identity known by the old id takes the new one, so the person keeps
    their conversation. Only the provider's own statement links the two; nothing is guessed."""
    aliases = [alias[:200] for alias in aliases if alias and alias != external_id]
    if not aliases:
        return
    identities = ChannelIdentity.objects.for_agency(agency).filter(kind=kind)
    if identities.filter(external_id=external_id).exists():
        return
    earlier = identities.select_for_update().filter(external_id__in=aliases).order_by("pk").first()
    if earlier is not None:
        earlier.external_id = external_id
        earlier.full_clean()
        earlier.save(update_fields=["external_id", "updated_at"])


def _conversation(agency: Agency, kind: str, identity: ChannelIdentity) -> uuid.UUID:
    """The person's conversation on this channel (one per identity; a closed one opens again)."""
    if identity.conversation_id is not None:
        return identity.conversation_id
    from chat.services import conversation_start

    language = identity.language if identity.language in agency.languages else ""
    conversation, _token = conversation_start(agency=agency, channel=kind, language=language or "en")
    identity.conversation = conversation
    ChannelIdentity.objects.for_agency(agency).filter(pk=identity.pk).update(conversation=conversation)
    return conversation.pk


def outbound_status_update(*, agency: Agency, connection: ChannelConnection, item: Inbound) -> bool:
    """A provider's delivery status for one of our messages: the state only moves forward. A `failed` for a message
    the provider had accepted is recorded with its code (staff's plain words on the outbox page); for a passing reason
    (`status_failure_retry_wait`) the message goes back to the outbox as a new try, at most `STATUS_RETRIES` times.
    Exactly once: the row no longer carries the failed message's id, so a repeated or late status for it finds
    nothing; a row that was delivered or read is never failed or sent again."""
    if not item.status_for and item.watermark is not None and item.sender and item.status in STATUS_ORDER:
        # Everything sent to this person up to the watermark (Messenger's reads).
        rows = OutboundMessage.objects.for_agency(agency).filter(
            connection=connection, identity__external_id=item.sender[:200], sent_at__lte=item.watermark
        )
        earlier = [state for state, rank in STATUS_ORDER.items() if rank < STATUS_ORDER[item.status]]
        return bool(rows.filter(state__in=earlier).update(state=item.status, state_changed_at=timezone.now()))
    if not item.status_for or item.status not in (*STATUS_ORDER, "failed"):
        return False
    # A row whose worker died before it learnt the message's id, named by the reference the status echoes: `sent`.
    settled = bool(item.reference) and status_settles(agency=agency, connection=connection, item=item)
    rows = OutboundMessage.objects.for_agency(agency).filter(
        connection=connection, provider_message_id=item.status_for[:200]
    )
    now = timezone.now()
    if item.status == "failed":
        return _outbound_failed(agency, connection, rows, item, now) or settled
    earlier = [state for state, rank in STATUS_ORDER.items() if rank < STATUS_ORDER[item.status]]
    return bool(rows.filter(state__in=earlier).update(state=item.status, state_changed_at=now)) or settled


def _outbound_failed(agency: Agency, connection: ChannelConnection, rows, item: Inbound, now) -> bool:
    from messaging.delivery import sent_mark_clear
    from messaging.meta_errors import STATUS_RETRIES
    from messaging.outbox import deliver_on_commit

    code = (item.error_code or "").strip()[:20]
    # Only a message still out there can fail: not one delivered or read (a late word changes nothing), failed, held.
    row = rows.filter(state=OutboundMessage.State.SENT).select_for_update(of=("self",)).first()
    if row is None:
        return False
    if item.reason == "window_closed":
        # Sent, then refused for the 24-hour window (WhatsApp says so afterwards): held like one queued late.
        reason = "Outside the 24-hour window: waiting for the person to write again or for staff to decide."
        row.state, row.error, row.error_code, row.state_changed_at = (
            OutboundMessage.State.HELD,
            f"{reason} ({item.error})"[:500],
            code,
            now,
        )
        row.save(update_fields=["state", "error", "error_code", "state_changed_at"])
        return True
    wait = status_failure_retry_wait(connection.kind, code)
    if wait is not None and row.retries < STATUS_RETRIES:
        row.retries += 1
        delay = max(wait, _retry_floor_seconds(row.retries))
        sent_mark_clear(row)  # the new try must really go out (the mark says the failed one was accepted)
        row.state, row.provider_message_id, row.error_code, row.state_changed_at = (
            OutboundMessage.State.PENDING,
            "",
            code,
            now,
        )
        row.error = f"{item.error or 'failed'} (accepted, then failed: sent again later)"[:500]
        row.next_attempt_at = now + timedelta(seconds=delay)
        row.save(
            update_fields=[
                "retries",
                "state",
                "provider_message_id",
                "error_code",
                "error",
                "next_attempt_at",
                "state_changed_at",
            ]
        )
        deliver_on_commit(agency_id=agency.pk, connection_id=connection.pk, countdown=delay)
        return True
    row.state, row.error, row.error_code, row.state_changed_at = (
        OutboundMessage.State.FAILED,
        (item.error or "failed")[:500],
        code,
        now,
    )
    row.save(update_fields=["state", "error", "error_code", "state_changed_at"])
    connection_error_record(
        connection=connection, code=code or "failed", message=item.error, recipient=row.identity.external_id
    )
    return True


def _retry_floor_seconds(retries: int) -> int:
    """The least wait before the `retries`-th new try of a message the provider reported failed: 1, 2 minutes, …"""
    return 60 * 2 ** max(retries - 1, 0)


def status_failure_retry_wait(kind: str, code: str) -> int | None:
    """Seconds to wait at the least before a new try of a message the provider accepted and then reported failed
    with `code`; None when a new try would fail the same way (or the code is not known)."""
    if kind in ("whatsapp", "messenger"):
        from messaging.meta_errors import meta_retry_wait

        return meta_retry_wait(code)
    if kind == "sms":
        from messaging.twilio_errors import delivery_error_retried

        return 900 if delivery_error_retried(code) else None
    return None


def channel_conversation_kinds() -> set[str]:
    from messaging.models import Kind

    return {kind.value for kind in Kind}


def conversation_channel_identity(*, agency: Agency, conversation: Conversation) -> ChannelIdentity | None:
    return ChannelIdentity.objects.for_agency(agency).filter(conversation=conversation).first()
