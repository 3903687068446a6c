"""The status-lookup provider for service requests: what the public may see, nothing personal."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from portal.tracking import StatusEvent as PublicEvent
from portal.tracking import StatusView
from requests_app.models import Follower, ServiceRequest, Status, StatusEvent
from requests_app.selectors import public_events, service_request_get_public


def status_label(request) -> str:
    if request.status == Status.DUPLICATE and request.duplicate_of_id:
        return _("Duplicate of %(reference)s") % {"reference": request.duplicate_of.reference}
    return str(request.get_status_display())


def _event_label(event: StatusEvent) -> tuple[str, str]:
    if event.kind == StatusEvent.Kind.CREATED:
        # A report's history, not a date's column: Vietnamese "Ngày nhận" (date received), Spanish "Recibida" (a
        # feminine beside the report's "Enviado") read wrong there (session-25 walk).
        return Status.SUBMITTED, pgettext("a report's history: the report came in", "Received")
    if event.kind == StatusEvent.Kind.NOTE:
        return event.request.status, _("Update")
    status = event.to_status or event.request.status
    return status, str(Status(status).label) if status in Status.values else status


def service_request_status(*, agency, reference: str) -> StatusView | None:
    request = service_request_get_public(agency=agency, reference=reference)
    if request is None:
        return None
    history = []
    for event in public_events(request=request):
        event.request = request
        status, label = _event_label(event)
        history.append(PublicEvent(at=event.created_at, status=status, status_label=label, note=event.public_note))
    return StatusView(
        reference=request.reference,
        kind="service_request",
        title=request.category.name_in(),
        status=request.status,
        status_label=status_label(request),
        submitted_at=request.created_at,
        updated_at=request.updated_at,
        expected_date=request.expected_at.date() if request.expected_at else None,
        history=history,
        url=reverse("track", kwargs={"agency_slug": agency.slug}) + f"?reference={request.reference}",
    )


def service_request_references(*, agency, email: str = "", conversation: str = "", limit: int = 20) -> list:
    """`(filed_at, reference)` of the agency's requests reported with `email`, or reported or followed from the
    chat `conversation` (its follower row names it), newest first."""
    requests = ServiceRequest.objects.for_agency(agency)
    if email:
        requests = requests.filter(reporter_email__iexact=email)
    else:
        followed = Follower.objects.for_agency(agency).filter(chat_conversation=conversation).values("request_id")
        requests = requests.filter(pk__in=followed)
    return list(requests.order_by("-created_at").values_list("created_at", "reference")[:limit])
