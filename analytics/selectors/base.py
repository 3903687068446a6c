"""The base querysets: which rows each section of the dashboard counts in a period."""

from __future__ import annotations

from django.db.models import QuerySet

from analytics.models import Feedback
from analytics.periods import Period
from chat.models import Conversation
from knowledge.models import UnansweredQuestion
from registrations.models import Registration
from registrations.models import Status as RegistrationStatus
from requests_app.models import ServiceRequest
from requests_app.models.service_requests import Status as RequestStatus
from tenants.models import Agency

# A request closed as one of these was worked to the end; a duplicate or a rejection was not, and says
# nothing about whether the agency kept its promise (no SLA verdict).
WORKED_STATUSES = (RequestStatus.RESOLVED, RequestStatus.CLOSED)


def conversations_in(*, agency: Agency, period: Period) -> QuerySet[Conversation]:
    """Conversations started in the period in which at least one message was written (opening the
    widget and leaving without a word is not a conversation)."""
    queryset = Conversation.objects.for_agency(agency).filter(
        created_at__gte=period.since, created_at__lt=period.until, last_seq__gt=0
    )
    if period.channel:
        queryset = queryset.filter(channel=period.channel)
    return queryset


def unanswered_in(*, agency: Agency, period: Period) -> QuerySet[UnansweredQuestion]:
    queryset = UnansweredQuestion.objects.for_agency(agency).filter(
        created_at__gte=period.since, created_at__lt=period.until
    )
    if period.channel:
        queryset = queryset.filter(channel=period.channel)
    return queryset


def _requests(agency: Agency, period: Period) -> QuerySet[ServiceRequest]:
    queryset = ServiceRequest.objects.for_agency(agency)
    if period.department:
        queryset = queryset.filter(department_id=period.department)
    if period.category:
        queryset = queryset.filter(category_id=period.category)
    return queryset


def requests_filed_in(*, agency: Agency, period: Period) -> QuerySet[ServiceRequest]:
    return _requests(agency, period).filter(created_at__gte=period.since, created_at__lt=period.until)


def requests_closed_in(*, agency: Agency, period: Period) -> QuerySet[ServiceRequest]:
    """Requests whose `closed_at` (the moment they left the open statuses) falls in the period, whatever
    the reason (resolved, closed, duplicate, rejected), filed whenever."""
    return _requests(agency, period).filter(closed_at__gte=period.since, closed_at__lt=period.until)


def requests_with_sla_closed_in(*, agency: Agency, period: Period) -> QuerySet[ServiceRequest]:
    """The SLA's denominator: requests worked to the end in the period whose category had an SLA."""
    return requests_closed_in(agency=agency, period=period).filter(status__in=WORKED_STATUSES, sla_due_at__isnull=False)


def registrations_submitted_in(*, agency: Agency, period: Period) -> QuerySet[Registration]:
    return (
        Registration.objects.for_agency(agency)
        .exclude(status=RegistrationStatus.DRAFT)
        .filter(submitted_at__gte=period.since, submitted_at__lt=period.until)
    )


def feedback_in(*, agency: Agency, period: Period) -> QuerySet[Feedback]:
    queryset = Feedback.objects.for_agency(agency).filter(created_at__gte=period.since, created_at__lt=period.until)
    if period.channel and period.channel in Feedback.Channel.values:
        queryset = queryset.filter(channel=period.channel)
    return queryset
