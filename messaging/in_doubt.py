"""Outbox rows whose worker died mid-send, and staff's decisions about the ones nobody can settle.

A row is claimed `sending` with a lease before the provider is called (`messaging.delivery`). A worker killed
while the call is in flight, or after the provider's answer and before the row's update, leaves it so. Once
the lease has run out, the next delivery run (queued by the beat sweep) settles it instead of sending it again:

1. The Redis mark written right after the provider's answer: it took the message; the row is `sent`.
2. The provider's own record, where it can be asked (`Provider.find_sent`; SMS: Twilio's message list, to the
   person from the agency's number since the claim, compared by body): found, the row is `sent` with the
   provider's id; not found, the message never got there and is sent now. A look-up that fails is tried
   again later, and nothing is sent meanwhile.
3. Otherwise (Telegram, WhatsApp and Messenger have no such look-up): `unknown`. Staff read it on the outbox
   page ("check before sending it again") and decide: send it again, or record that it arrived. Each decision
   is audited on the person's channel identity. The person's later lines are not held up by it.

A provider that echoes a reference sent with the message in its statuses (WhatsApp's `biz_opaque_callback_data`:
`outbox_reference`, the row and its try) settles the row itself: the first status for the message, whenever it
comes (lease running or run out, or `unknown` already), records it `sent` with the provider's id, audited on the
person's identity, and then counts as any status does (`status_settles`).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from messaging.decisions import actor_name, outbound_decision_audit, row_ids
from messaging.models import ChannelConnection, ChannelIdentity, OutboundMessage
from messaging.providers.base import SendError
from tenants.models import Agency

logger = logging.getLogger(__name__)

LOOKUP_RETRY_SECONDS = 30
# The provider's clock may be behind ours: a message it took is looked for from this long before the claim.
CLOCK_SKEW_SECONDS = 120


def lease_expired(
    agency: Agency,
    connection: ChannelConnection,
    provider,
    identity: ChannelIdentity,
    row: OutboundMessage,
    sent: str,
) -> str:
    """Settle a `sending` row whose lease ran out (its worker died mid-send), inside the transaction holding
    `identity`'s row lock. Returns the delivery outcome: `sent` (settled as sent or unknown: the person's next
    rows may go), "more" (never got there: sent now), "retry" (the look-up failed: later)."""
    from messaging.delivery import sent_mark_get, sent_record

    accepted = sent_mark_get(row)
    if accepted is not None:
        sent_record(agency, row, accepted, settled_by=OutboundMessage.SettledBy.MARK)
        return sent
    now = timezone.now()
    since = (row.state_changed_at or row.created_at) - timedelta(seconds=CLOCK_SKEW_SECONDS)
    known = (
        OutboundMessage.objects.for_agency(agency)
        .filter(connection=connection, identity=identity, sent_at__gte=since)
        .exclude(provider_message_id="")
        .exclude(pk=row.pk)
        .values_list("provider_message_id", flat=True)
    )
    try:
        found = provider.find_sent(connection, row.payload, identity.external_id, since=since, exclude=set(known))
    except NotImplementedError:
        row.state, row.state_changed_at, row.lease_until = OutboundMessage.State.UNKNOWN, now, None
        row.error = (
            f"The worker sending it stopped before {provider.label}'s answer was recorded, and {provider.label} "
            "cannot be asked whether it has the message: check with the person before sending it again."
        )[:500]
        row.save(update_fields=["state", "state_changed_at", "lease_until", "error"])
        logger.warning("Outbound message %s is in doubt (worker died mid-send): marked unknown", row.pk)
        return sent
    except SendError as exc:  # asked again later; not sent meanwhile
        row.lease_until = now + timedelta(seconds=LOOKUP_RETRY_SECONDS)
        row.error = f"Could not ask {provider.label} whether it has the message: {exc}"[:500]
        row.save(update_fields=["lease_until", "error"])
        return "retry"
    if found:
        sent_record(agency, row, found, settled_by=OutboundMessage.SettledBy.LOOKUP)
        logger.info("Outbound message %s was found at %s after its worker died: not sent again", row.pk, provider.label)
        return sent
    row.state, row.next_attempt_at, row.lease_until = OutboundMessage.State.PENDING, now, None
    row.error = f"Not found at {provider.label} after its worker stopped mid-send: sent now."[:500]
    row.save(update_fields=["state", "next_attempt_at", "lease_until", "error"])
    return "more"


REFERENCE_PREFIX = "civicdesk-outbox"


def outbox_reference(row: OutboundMessage) -> str:
    """What a claimed row is sent with for the provider to echo in its statuses: the row and its try (a late status
    of an earlier try, failed and sent again since, does not settle the new one)."""
    return f"{REFERENCE_PREFIX}:{row.pk}:{row.attempts}"


def _reference_read(reference: str) -> tuple[int, int] | None:
    prefix, _sep, rest = reference.partition(":")
    pk, _sep, attempt = rest.partition(":")
    if prefix != REFERENCE_PREFIX or not (pk.isascii() and pk.isdigit() and attempt.isascii() and attempt.isdigit()):
        return None
    if len(pk) > 18 or len(attempt) > 5:
        return None
    return int(pk), int(attempt)


def status_settles(*, agency: Agency, connection: ChannelConnection, item) -> bool:
    """A provider's status (`item`, an `Inbound`) whose echoed reference names one of this agency's rows on this
    connection, in the same try, that never learnt the provider's id (`sending`, its worker died or is still
    waiting for the answer; or `unknown`), sent to the person the status names: the provider has the message, so
    the row is `sent` with the status's message id (audited on the person's identity) and never sent again. Call
    inside the status's transaction; the status then applies to the row as to any other. True when settled."""
    from messaging.providers import get_provider

    found = _reference_read(item.reference or "")
    if found is None or not item.status_for:
        return False
    pk, attempt = found
    row = (
        OutboundMessage.objects.for_agency(agency)
        .select_for_update(of=("self",))
        .filter(
            connection=connection,
            pk=pk,
            attempts=attempt,
            provider_message_id="",
            state__in=[OutboundMessage.State.SENDING, OutboundMessage.State.UNKNOWN],
        )
        .select_related("identity")
        .first()
    )
    if row is None or row.identity.external_id not in {item.sender, *item.sender_aliases} - {""}:
        return False
    was, now = row.state, timezone.now()
    row.state, row.sent_at, row.state_changed_at = OutboundMessage.State.SENT, now, now
    row.provider_message_id, row.lease_until, row.error = item.status_for[:200], None, ""
    row.settled_by = OutboundMessage.SettledBy.STATUS
    fields = ["state", "provider_message_id", "sent_at", "state_changed_at", "lease_until", "error", "settled_by"]
    row.save(update_fields=fields)
    provider = get_provider(connection.kind)
    label = provider.label if provider is not None else connection.kind
    outbound_decision_audit(
        agency=agency,
        actor=None,
        row=row,
        subject="message in doubt",
        was=was,
        decision=f"settled by {label}'s status '{item.status}': sent, not sent again",
    )
    logger.info("Outbound message %s (%s) was settled by %s's status %s", row.pk, was, label, item.status)
    return True


def outbound_unknown_resend(*, agency: Agency, actor, ids) -> int:
    """Staff checked and decided an `unknown` line goes out again: back to the outbox, in its person's order.
    Only this agency's unknown rows among `ids` (anything else is passed over); audited. Returns how many."""
    from messaging.delivery import sent_mark_clear
    from messaging.outbox import deliver_on_commit

    with transaction.atomic():
        rows = _unknown_rows(agency, ids)
        now = timezone.now()
        for row in rows:
            sent_mark_clear(row)
            row.state, row.state_changed_at, row.next_attempt_at = OutboundMessage.State.PENDING, now, now
            row.error = f"Sent again by {actor_name(actor)} after checking (it was in doubt)."[:500]
            row.save(update_fields=["state", "state_changed_at", "next_attempt_at", "error"])
            _audit(agency, actor, row, "sent again")
        for connection_id in {row.connection_id for row in rows}:
            deliver_on_commit(agency_id=agency.pk, connection_id=connection_id)
    return len(rows)


def outbound_unknown_arrived(*, agency: Agency, actor, ids) -> int:
    """Staff checked: the person has the line. It is recorded as sent, never sent again; audited."""
    with transaction.atomic():
        rows = _unknown_rows(agency, ids)
        now = timezone.now()
        for row in rows:
            row.state, row.state_changed_at = OutboundMessage.State.SENT, now
            row.error = f"Recorded as arrived by {actor_name(actor)} after checking (it was in doubt)."[:500]
            row.save(update_fields=["state", "state_changed_at", "error"])
            _audit(agency, actor, row, "recorded as arrived")
    return len(rows)


def _unknown_rows(agency: Agency, ids) -> list[OutboundMessage]:
    return list(
        OutboundMessage.objects.for_agency(agency)
        .select_for_update(of=("self",))
        .filter(pk__in=row_ids(ids), state=OutboundMessage.State.UNKNOWN)
        .select_related("identity")
    )


def _audit(agency: Agency, actor, row: OutboundMessage, decision: str) -> None:
    outbound_decision_audit(
        agency=agency, actor=actor, row=row, subject="message in doubt", was="unknown", decision=decision
    )
