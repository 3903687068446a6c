"""Retention: what each agency's policies make due, a preview of it, and the batched run.

A run handles each enforced kind in batches (`BATCH`), never touches what a legal hold covers, and
writes one audit entry per run with the counts (never the values). Service requests stay as public
records: only their reporters' personal data goes. See `KINDS` for what each kind removes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.models import DataKind, HoldTarget, LegalHold, RetentionPolicy, RetentionRun

BATCH = 500


@dataclass(frozen=True)
class Holds:
    conversations: frozenset[str]
    requests: frozenset[str]
    registrations: frozenset[str]
    contacts: frozenset[str]


def holds_active(*, agency) -> Holds:
    rows = LegalHold.objects.for_agency(agency).filter(released_at__isnull=True).values_list("target", "reference")
    by_target: dict[str, set[str]] = {target: set() for target in HoldTarget.values}
    for target, reference in rows:
        by_target[target].add(reference.strip().lower() if target == HoldTarget.CITIZEN else reference.strip())
    return Holds(
        conversations=frozenset(by_target[HoldTarget.CONVERSATION]),
        requests=frozenset(by_target[HoldTarget.SERVICE_REQUEST]),
        registrations=frozenset(by_target[HoldTarget.REGISTRATION]),
        contacts=frozenset(by_target[HoldTarget.CITIZEN]),
    )


def _contacts_q(holds: Holds, *fields: str) -> Q:
    q = Q()
    for field in fields:
        q |= Q(**{f"{field}__in": list(holds.contacts)})
    return q


# --- what each kind selects ---------------------------------------------------------------------------


def _transcripts(agency, cutoff, holds) -> QuerySet:
    from chat.models import Conversation

    held_by_request = _conversations_of_held_requests(agency, holds)
    return (
        Conversation.objects.for_agency(agency)
        .filter(Q(last_message_at__lt=cutoff) | Q(last_message_at__isnull=True, created_at__lt=cutoff))
        .exclude(pk__in=[c for c in holds.conversations | held_by_request if _uuid(c)])
    )


def _uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _conversations_of_held_requests(agency, holds) -> frozenset[str]:
    from requests_app.models import Follower

    if not holds.requests and not holds.contacts:
        return frozenset()
    followers = Follower.objects.for_agency(agency).exclude(chat_conversation="")
    held = followers.filter(Q(request__reference__in=list(holds.requests)) | _contacts_q(holds, "email", "phone"))
    return frozenset(held.values_list("chat_conversation", flat=True))


def _request_personal(agency, cutoff, holds) -> QuerySet:
    from requests_app.models import ServiceRequest

    personal = (
        ~Q(reporter_email="")
        | ~Q(reporter_phone="")
        | ~Q(reporter_first_name="")
        | ~Q(reporter_last_name="")
        | Q(reporter_user__isnull=False)
        | Q(photos__isnull=False)
        | Q(followers__isnull=False)
    )
    return (
        ServiceRequest.objects.for_agency(agency)
        .filter(closed_at__lt=cutoff)
        .filter(personal)
        .exclude(reference__in=list(holds.requests))
        .exclude(_contacts_q(holds, "reporter_email", "reporter_phone", "followers__email", "followers__phone"))
        .distinct()
    )


def _registrations(agency, cutoff, holds, *, drafts: bool) -> QuerySet:
    from registrations.models import Registration, Status

    queryset = Registration.objects.for_agency(agency).filter(updated_at__lt=cutoff)
    if drafts:
        queryset = queryset.filter(status=Status.DRAFT)
    else:
        queryset = queryset.filter(status__in=[Status.APPROVED, Status.REJECTED])
    return queryset.exclude(reference__in=list(holds.registrations)).exclude(
        _contacts_q(holds, "applicant_email", "applicant_phone")
    )


def _feedback(agency, cutoff, holds) -> QuerySet:
    from chat.models import Conversation

    return (
        _transcripts(agency, cutoff, holds)
        .exclude(csat_comment="")
        .filter(pk__in=Conversation.objects.for_agency(agency).exclude(csat_comment="").values("pk"))
    )


def _unanswered(agency, cutoff, holds) -> QuerySet:
    from knowledge.models import UnansweredQuestion

    return UnansweredQuestion.objects.for_agency(agency).filter(created_at__lt=cutoff)


def _delivery_logs(agency, cutoff, holds) -> QuerySet:
    from requests_app.models import Notification

    return (
        Notification.objects.for_agency(agency)
        .filter(created_at__lt=cutoff)
        .filter(Q(sent_at__isnull=False) | Q(given_up_at__isnull=False))  # finished: sent, or given up
        .exclude(request__reference__in=list(holds.requests))
        .exclude(recipient__in=list(holds.contacts))
    )


def _audit(agency, cutoff, holds) -> QuerySet:
    return LogEntry.objects.filter(additional_data__agency_id=agency.pk, timestamp__lt=cutoff)


SELECTORS: dict[str, Callable] = {
    DataKind.TRANSCRIPTS: _transcripts,
    DataKind.REQUEST_PERSONAL: _request_personal,
    DataKind.REGISTRATION_DRAFTS: lambda agency, cutoff, holds: _registrations(agency, cutoff, holds, drafts=True),
    DataKind.REGISTRATIONS: lambda agency, cutoff, holds: _registrations(agency, cutoff, holds, drafts=False),
    DataKind.FEEDBACK: _feedback,
    DataKind.UNANSWERED: _unanswered,
    DataKind.DELIVERY_LOGS: _delivery_logs,
    DataKind.AUDIT: _audit,
}

# The audit trail's summary of a run ("delete 3 chat transcripts"), written in English whatever the page's language.
VERBS = {
    DataKind.TRANSCRIPTS: "delete",
    DataKind.REQUEST_PERSONAL: "anonymise",
    DataKind.REGISTRATION_DRAFTS: "delete",
    DataKind.REGISTRATIONS: "delete",
    DataKind.FEEDBACK: "erase the comments of",
    DataKind.UNANSWERED: "delete",
    DataKind.DELIVERY_LOGS: "delete",
    DataKind.AUDIT: "delete",
}

# What the next run would do to a kind's rows, as the privacy page says it: one whole phrase per action, so that
# each language orders its words itself ("würde 3 löschen", "3건 삭제 예정").
PREVIEWS = {
    DataKind.TRANSCRIPTS: _("would delete %(n)s"),
    DataKind.REQUEST_PERSONAL: _("would anonymise %(n)s"),
    DataKind.REGISTRATION_DRAFTS: _("would delete %(n)s"),
    DataKind.REGISTRATIONS: _("would delete %(n)s"),
    DataKind.FEEDBACK: _("would erase the comments of %(n)s"),
    DataKind.UNANSWERED: _("would delete %(n)s"),
    DataKind.DELIVERY_LOGS: _("would delete %(n)s"),
    DataKind.AUDIT: _("would delete %(n)s"),
}


def due(*, agency, kind: str, days: int, now: dt.datetime | None = None) -> QuerySet:
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    return SELECTORS[kind](agency, cutoff, holds_active(agency=agency))


def retention_preview(*, agency, now: dt.datetime | None = None) -> list[dict]:
    """Per kind: its policy (or None) and how many rows the next run would delete or anonymise."""
    policies = {p.kind: p for p in RetentionPolicy.objects.for_agency(agency)}
    rows = []
    for kind, label in DataKind.choices:
        policy = policies.get(kind)
        count = due(agency=agency, kind=kind, days=policy.days, now=now).count() if policy else None
        preview = PREVIEWS[kind] % {"n": count} if policy else None
        rows.append({"kind": kind, "label": label, "policy": policy, "due": count, "preview": preview})
    return rows


# --- what each kind does ------------------------------------------------------------------------------


def _delete_files_on_commit(files) -> None:
    names = [(f.storage, f.name) for f in files if f and f.name]
    if names:
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


def _apply(kind: str, agency, batch: QuerySet) -> int:
    from requests_app.models import Follower, Notification, RequestPhoto, ServiceRequest

    ids = list(batch.values_list("pk", flat=True)[:BATCH])
    if not ids:
        return 0
    model = batch.model
    rows = model.objects.for_agency(agency).filter(pk__in=ids) if hasattr(model.objects, "for_agency") else None
    if kind == DataKind.REQUEST_PERSONAL:
        photos = list(RequestPhoto.objects.for_agency(agency).filter(request_id__in=ids))
        _delete_files_on_commit([photo.image for photo in photos])
        RequestPhoto.objects.for_agency(agency).filter(request_id__in=ids).delete()
        Follower.objects.for_agency(agency).filter(request_id__in=ids).delete()
        Notification.objects.for_agency(agency).filter(request_id__in=ids).delete()
        ServiceRequest.objects.for_agency(agency).filter(pk__in=ids).update(
            reporter_email="", reporter_phone="", reporter_first_name="", reporter_last_name="", reporter_user=None
        )
    elif kind in (DataKind.REGISTRATION_DRAFTS, DataKind.REGISTRATIONS):
        from registrations.models import RegistrationFile

        files = list(RegistrationFile.objects.for_agency(agency).filter(registration_id__in=ids))
        _delete_files_on_commit([item.content for item in files])
        rows.delete()
    elif kind == DataKind.TRANSCRIPTS:
        from messaging.media import channel_photo_names, channel_photos_delete_on_commit

        photos_sent = channel_photo_names(agency=agency, conversation_ids=ids)  # over a messaging channel
        rows.delete()
        channel_photos_delete_on_commit(photos_sent)
    elif kind == DataKind.FEEDBACK:
        rows.update(csat_comment="")
    elif kind == DataKind.AUDIT:
        from audit.chain import audit_prune

        return audit_prune(agency_id=agency.pk, entry_ids=ids)
    else:
        rows.delete()
    return len(ids)


def retention_run(*, agency, now: dt.datetime | None = None, kinds: list[str] | None = None) -> RetentionRun:
    """Apply every enforced policy of `agency` (or just `kinds`), in batches; one audit entry with the counts."""
    run = RetentionRun.objects.create(agency=agency)
    counts: dict[str, int] = {}
    policies = RetentionPolicy.objects.for_agency(agency).filter(enabled=True)
    if kinds is not None:
        policies = policies.filter(kind__in=kinds)
    for policy in policies:
        total = 0
        while True:
            with transaction.atomic(), disable_auditlog():
                done = _apply(policy.kind, agency, due(agency=agency, kind=policy.kind, days=policy.days, now=now))
            total += done
            if done < BATCH:
                break
        counts[policy.kind] = total
    run.counts = counts
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "finished_at"])
    if any(counts.values()):
        summary = ", ".join(f"{VERBS[kind]} {n} {DataKind(kind).label.lower()}" for kind, n in counts.items() if n)
        LogEntry.objects.log_create(
            agency,
            force_log=True,
            action=LogEntry.Action.DELETE,
            changes_text=f"retention: {summary}",
            additional_data={"agency_id": agency.pk, "retention": counts},
        )
    return run
