"""Staff work on a request: status transitions with public notes, assignment, notes, merging
duplicates; and citizens following or unfollowing a request. Every status change goes through
`service_request_transition` or `service_request_merge`."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from requests_app import validation
from requests_app.models import OPEN_STATUSES, Follower, ServiceRequest, Status, StatusEvent
from requests_app.selectors import WORK_ROLES
from requests_app.services.filing import _follower_get_or_create
from requests_app.services.notify import deliver_on_commit, notify_followers
from tenants.models import Agency, Department, Membership, Role

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.SUBMITTED: frozenset({Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.RESOLVED, Status.REJECTED}),
    Status.ACKNOWLEDGED: frozenset({Status.IN_PROGRESS, Status.RESOLVED, Status.REJECTED}),
    Status.IN_PROGRESS: frozenset({Status.ACKNOWLEDGED, Status.RESOLVED, Status.REJECTED}),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.IN_PROGRESS}),
    Status.CLOSED: frozenset({Status.IN_PROGRESS}),
    Status.REJECTED: frozenset({Status.ACKNOWLEDGED}),
    Status.DUPLICATE: frozenset({Status.ACKNOWLEDGED}),  # un-merge
}
NOTE_REQUIRED = frozenset({Status.REJECTED})
MAX_NOTE = 2000


# How far along the work is: a move to a lower step undoes work (reopening, or "In progress" back to
# "Acknowledged"), so staff confirm it explicitly.
PROGRESS: dict[str, int] = {
    Status.SUBMITTED: 0,
    Status.ACKNOWLEDGED: 1,
    Status.IN_PROGRESS: 2,
    Status.RESOLVED: 3,
    Status.CLOSED: 4,
    Status.REJECTED: 4,
    Status.DUPLICATE: 4,
}


def allowed_transitions(request: ServiceRequest) -> list[str]:
    return [status for status in Status.values if status in TRANSITIONS.get(request.status, ())]


def is_backward(from_status: str, to_status: str) -> bool:
    return PROGRESS.get(to_status, 0) < PROGRESS.get(from_status, 0)


def _lock(agency: Agency, request: ServiceRequest) -> ServiceRequest:
    """Re-read the row under a lock (the caller holds a possibly stale copy)."""
    if request.agency_id != agency.pk:
        raise ValidationError(_("This request belongs to another agency."))
    return ServiceRequest.objects.for_agency(agency).select_for_update().get(pk=request.pk)


def _notes(public_note, internal_note) -> tuple[str, str]:
    public = validation.clean_text(public_note, field="public_note", max_length=MAX_NOTE, allow_newlines=True)
    internal = validation.clean_text(internal_note, field="internal_note", max_length=4000, allow_newlines=True)
    if validation.HTML.search(public):
        raise ValidationError({"public_note": [_("Plain text only, without HTML.")]})
    return public, internal


def _announce(agency: Agency, request: ServiceRequest, note: str) -> None:
    """Tell the request's followers (email, chat) the news with its public note, after commit."""
    notify_followers(
        request=request,
        template="requests_app/email/status_changed.txt",
        chat_template="requests_app/chat/status_changed.txt",
        note=note,
    )
    deliver_on_commit(agency=agency, request_id=request.pk)


@transaction.atomic
def service_request_transition(
    *,
    agency: Agency,
    actor,
    request: ServiceRequest,
    to_status: str,
    public_note: str = "",
    internal_note: str = "",
    expected_at: datetime | None = None,
) -> ServiceRequest:
    """Move a request to `to_status` (see TRANSITIONS). A rejection needs a public reason. Followers
    are told (by email, or in their chat conversation) when the change carries a public note."""
    public, internal = _notes(public_note, internal_note)
    request = _lock(agency, request)
    if to_status not in TRANSITIONS.get(request.status, ()):
        raise ValidationError(
            {
                "to_status": [
                    _("A request that is %(current)s cannot become %(target)s.")
                    % {"current": request.get_status_display(), "target": to_status}
                ]
            }
        )
    if to_status in NOTE_REQUIRED and not public:
        raise ValidationError({"public_note": [_("Say why, in a public note the reporter will see.")]})
    from_status = request.status
    now = timezone.now()
    request.status = to_status
    if to_status in OPEN_STATUSES:
        request.closed_at = None
    elif request.closed_at is None:
        request.closed_at = now
    if from_status == Status.DUPLICATE:
        request.duplicate_of = None
    if public:
        request.status_notes = public[:1000]
    if expected_at is not None:
        request.expected_at = expected_at
    request.full_clean(validate_unique=False, validate_constraints=False)
    request.save()
    StatusEvent.objects.create(
        agency=agency,
        request=request,
        kind=StatusEvent.Kind.STATUS,
        from_status=from_status,
        to_status=to_status,
        public_note=public,
        internal_note=internal,
        actor=actor,
        created_at=now,
    )
    if public:
        _announce(agency, request, public)
    return request


@transaction.atomic
def service_request_note(
    *, agency: Agency, actor, request: ServiceRequest, public_note: str = "", internal_note: str = ""
) -> StatusEvent:
    public, internal = _notes(public_note, internal_note)
    if not (public or internal):
        raise ValidationError({"public_note": [_("Write a note.")]})
    request = _lock(agency, request)
    if public:
        request.status_notes = public[:1000]
        request.save(update_fields=["status_notes", "updated_at"])
    event = StatusEvent.objects.create(
        agency=agency,
        request=request,
        kind=StatusEvent.Kind.NOTE,
        public_note=public,
        internal_note=internal,
        actor=actor,
    )
    if public:
        _announce(agency, request, public)
    return event


@transaction.atomic
def service_request_assign(
    *,
    agency: Agency,
    actor,
    request: ServiceRequest,
    department: Department | None,
    assignee=None,
    expected_at: datetime | None = None,
    internal_note: str = "",
) -> ServiceRequest:
    """Give the request to a department and (optionally) a person of this agency."""
    _public, internal = _notes("", internal_note)
    request = _lock(agency, request)
    if department is not None and (department.agency_id != agency.pk or not department.is_active):
        raise ValidationError({"department": [_("Choose one of this agency's departments.")]})
    if assignee is not None:
        membership = (
            Membership.objects.for_agency(agency)
            .filter(user=assignee, role__in=list(WORK_ROLES), user__is_active=True)
            .first()
        )
        if membership is None:
            raise ValidationError({"assignee": [_("Choose a member of this agency's staff.")]})
        if membership.role == Role.CASEWORKER and (
            department is None or not membership.departments.filter(pk=department.pk).exists()
        ):
            raise ValidationError(
                {"assignee": [_("This caseworker does not work for the chosen department and could not see it.")]}
            )
    changes = []
    if request.department_id != (department.pk if department else None):
        changes.append(_("department: %(name)s") % {"name": department.name if department else "—"})
    if request.assignee_id != (assignee.pk if assignee else None):
        changes.append(_("assignee: %(name)s") % {"name": assignee.get_username() if assignee else "—"})
    if expected_at is not None and request.expected_at != expected_at:
        changes.append(_("expected by %(when)s") % {"when": expected_at.isoformat()})
    request.department = department
    request.assignee = assignee
    if expected_at is not None:
        request.expected_at = expected_at
    request.full_clean(validate_unique=False, validate_constraints=False)
    request.save()
    StatusEvent.objects.create(
        agency=agency,
        request=request,
        kind=StatusEvent.Kind.ASSIGNED,
        internal_note="; ".join([*changes, internal]) if internal else "; ".join(changes),
        actor=actor,
    )
    return request


def _root(request: ServiceRequest) -> ServiceRequest:
    seen = set()
    while request.status == Status.DUPLICATE and request.duplicate_of_id and request.pk not in seen:
        seen.add(request.pk)
        request = request.duplicate_of
    return request


@transaction.atomic
def service_request_merge(
    *, agency: Agency, actor, request: ServiceRequest, into: ServiceRequest, public_note: str = ""
) -> ServiceRequest:
    """Mark `request` a duplicate of `into` (or of the report `into` itself duplicates). Its
    followers now follow the surviving report and are told so."""
    public, _internal = _notes(public_note, "")
    if into.agency_id != agency.pk:
        raise ValidationError({"into": [_("No such request.")]})
    request = _lock(agency, request)
    target = _root(ServiceRequest.objects.for_agency(agency).select_for_update().get(pk=into.pk))
    if target.pk == request.pk:
        raise ValidationError({"into": [_("A request cannot be a duplicate of itself.")]})
    if request.status not in OPEN_STATUSES:
        raise ValidationError({"into": [_("Only open requests can be merged.")]})
    note = public or _("This problem was already reported as %(reference)s; we continue there.") % {
        "reference": target.reference
    }
    from_status = request.status
    request.status = Status.DUPLICATE
    request.duplicate_of = target
    request.status_notes = note[:1000]
    request.closed_at = timezone.now()
    request.full_clean(validate_unique=False, validate_constraints=False)
    request.save()
    StatusEvent.objects.create(
        agency=agency,
        request=request,
        kind=StatusEvent.Kind.MERGED,
        from_status=from_status,
        to_status=Status.DUPLICATE,
        public_note=note,
        actor=actor,
    )
    StatusEvent.objects.create(
        agency=agency,
        request=target,
        kind=StatusEvent.Kind.MERGED,
        internal_note=_("%(reference)s was merged into this request.") % {"reference": request.reference},
        actor=actor,
    )
    notify_followers(
        request=request,
        template="requests_app/email/status_changed.txt",
        chat_template="requests_app/chat/status_changed.txt",
        note=note,
    )
    for follower in Follower.objects.for_agency(agency).filter(request=request, unsubscribed_at__isnull=True):
        _follower_get_or_create(
            agency=agency,
            request=target,
            email=follower.email,
            phone=follower.phone,
            chat_conversation=follower.chat_conversation,
            user=follower.user,
            language=follower.language,
        )
    deliver_on_commit(agency=agency, request_id=request.pk)
    return request


@transaction.atomic
def follower_add(
    *,
    agency: Agency,
    actor=None,
    request: ServiceRequest,
    email: str = "",
    phone: str = "",
    chat_conversation: str = "",
    language: str = "",
) -> Follower:
    """Follow a request instead of filing a duplicate (web, chat). Following a duplicate follows
    the report it duplicates."""
    if request.agency_id != agency.pk:
        raise ValidationError(_("No such request."))
    email = validation.clean_email(email)
    phone = validation.clean_phone(phone)
    if not (email or phone or chat_conversation):
        raise ValidationError({"email": [_("Give an email address to be told about progress.")]})
    target = _root(request)
    return _follower_get_or_create(
        agency=agency,
        request=target,
        email=email,
        phone=phone,
        chat_conversation=chat_conversation,
        user=actor if getattr(actor, "is_authenticated", False) else None,
        language=language,
    )


@transaction.atomic
def follower_unsubscribe(*, agency: Agency, follower_id: int) -> Follower | None:
    follower = Follower.objects.for_agency(agency).select_for_update().filter(pk=follower_id).first()
    if follower is None:
        return None
    if follower.unsubscribed_at is None:
        follower.unsubscribed_at = timezone.now()
        follower.save(update_fields=["unsubscribed_at"])
    return follower
