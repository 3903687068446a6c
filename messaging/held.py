"""Staff decisions on held lines (outbound messages outside a provider's 24-hour window): discard them, or
send them anyway through the outbox. Only the agency's held rows are touched; each decision is audited."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from messaging.decisions import actor_name, outbound_decision_audit, row_ids
from messaging.models import OutboundMessage
from tenants.models import Agency


def outbound_held_discard(*, agency: Agency, actor, ids: list[int]) -> int:
    """Staff decide a held line (outside the 24-hour window) is not to be sent: it fails for good, saying
    who discarded it. Only held rows of this agency are touched; each is audited. Returns how many."""
    name = actor_name(actor)
    with transaction.atomic():
        rows = _held_rows(agency, ids)
        now = timezone.now()
        for row in rows:
            row.state, row.state_changed_at = OutboundMessage.State.FAILED, now
            row.error = f"Discarded by {name}: not sent outside the 24-hour window."[:500]
            row.save(update_fields=["state", "state_changed_at", "error"])
            _audit(agency, actor, row, "discarded")
    return len(rows)


def outbound_held_send(*, agency: Agency, actor, ids: list[int]) -> int:
    """Staff decide a held line goes out after all ("send anyway"): it goes back to the outbox, which
    sends it in its person's order under the usual limits. The provider may still refuse it outside its
    window; then it is held again with the provider's reason. Only held rows of this agency; audited."""
    from messaging.outbox import deliver_on_commit

    with transaction.atomic():
        rows = _held_rows(agency, ids)
        now = timezone.now()
        for row in rows:
            row.state, row.state_changed_at, row.next_attempt_at, row.error = (
                OutboundMessage.State.PENDING,
                now,
                now,
                "",
            )
            row.save(update_fields=["state", "state_changed_at", "next_attempt_at", "error"])
            _audit(agency, actor, row, "sent anyway")
        for connection_id in {row.connection_id for row in rows}:
            deliver_on_commit(agency_id=agency.pk, connection_id=connection_id)
    return len(rows)


def _held_rows(agency: Agency, ids) -> list[OutboundMessage]:
    """The agency's held lines among `ids` (other states and other agencies' ids are passed over), locked for
    the decision; call inside the transaction that changes them."""
    return list(
        OutboundMessage.objects.for_agency(agency)
        .select_for_update()
        .filter(pk__in=row_ids(ids), state=OutboundMessage.State.HELD)
        .select_related("identity")
    )


def _audit(agency: Agency, actor, row: OutboundMessage, decision: str) -> None:
    outbound_decision_audit(agency=agency, actor=actor, row=row, subject="held message", was="held", decision=decision)
