"""What the decisions about outbox rows share (staff's on held lines and lines in doubt, a provider's status that
settles a line in doubt): the row ids a form names, and the audit record of each decision."""

from __future__ import annotations

from messaging.models import OutboundMessage
from tenants.models import Agency


def row_ids(ids) -> list[int]:
    """The integers among `ids` (a form's values); anything else is passed over."""
    return [int(value) for value in ids if str(value).isascii() and str(value).isdigit() and len(str(value)) < 19]


def actor_name(actor) -> str:
    """Who decided, as the row's note names them ("staff" without a user)."""
    return getattr(actor, "get_username", lambda: "staff")()


def outbound_decision_audit(
    *, agency: Agency, actor, row: OutboundMessage, subject: str, was: str, decision: str
) -> None:
    """The outbox is plumbing (not audited row by row): a decision about one of its lines is recorded on the
    person's channel identity, naming the line, its purpose, what it was (`was`) and the decision. `subject` names
    the kind of decision ("held message", "message in doubt"); `actor` None: the system decided."""
    from auditlog.models import LogEntry

    LogEntry.objects.log_create(
        row.identity,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={subject: [f"#{row.pk} ({row.purpose}) {was}", decision]},
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        additional_data={"agency_id": agency.pk, "outbound_message_id": row.pk},
    )
