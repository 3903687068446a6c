"""Hand-built rows for the analytics tests: every time is set explicitly, nothing goes through the bot."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
import zoneinfo

from analytics.dashboard import times
from analytics.dashboard.sections import section_charts
from analytics.selectors import analytics_summary
from analytics.selectors.filters import period_for
from chat.models import Conversation, Message
from requests_app.models import ServiceCategory, ServiceRequest
from tenants.context import agency_context
from tenants.models import Department

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
_counter = itertools.count(1)


def at(day: str, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A local (America/Chicago, the fixtures' zone) time on `day`."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), tzinfo=CHICAGO)


def conversation(
    agency,
    *,
    started,
    roles=("citizen", "bot"),
    state="closed",
    outcome="",
    handed_off=False,
    queued_at=None,
    closed_at=None,
    csat=None,
    channel="web",
    language="en",
    step_minutes=1,
):
    """A conversation with one message per role in `roles`, `step_minutes` apart from `started`."""
    conv = Conversation.objects.create(
        agency=agency,
        channel=channel,
        language=language,
        state=state,
        outcome=outcome,
        handed_off=handed_off,
        queued_at=queued_at,
        closed_at=closed_at,
        csat_score=csat,
        token_hash=uuid.uuid4().hex,
        last_seq=len(roles),
    )
    Conversation.objects.for_agency(agency).filter(pk=conv.pk).update(created_at=started)
    for seq, role in enumerate(roles, start=1):
        message = Message.objects.create(agency=agency, conversation=conv, seq=seq, role=role, text=f"{role} {seq}")
        Message.objects.for_agency(agency).filter(pk=message.pk).update(
            created_at=started + dt.timedelta(minutes=step_minutes * seq)
        )
    conv.refresh_from_db()
    return conv


def category(agency, *, code="pothole", sla_hours=48, department_slug="roads"):
    department = Department.objects.for_agency(agency).get(slug=department_slug)
    found = ServiceCategory.objects.for_agency(agency).filter(code=code).first()
    if found:
        return found
    return ServiceCategory.objects.create(
        agency=agency, code=code, name=code.title(), department=department, sla_hours=sla_hours
    )


def service_request(agency, *, cat, created, status="submitted", closed_at=None, sla_due_at=None, lat=None, long=None):
    return ServiceRequest.objects.create(
        agency=agency,
        reference=f"T-{next(_counter):06d}",
        category=cat,
        department=cat.department,
        status=status,
        created_at=created,
        closed_at=closed_at,
        sla_due_at=sla_due_at,
        lat=lat,
        long=long,
        description="hand built",
    )


def dashboard_numbers(agency, params: dict) -> dict:
    """Everything the rolled-up sections show for `params` (a period and filters), from a fresh period
    (nothing carried over): every chart's bars, the summary and the durations, in the agency's scope."""
    with agency_context(agency):
        period = period_for(agency=agency, params=params)
        charts = {
            chart.id: [(bar.key, bar.label, bar.value, bar.series) for bar in chart.bars]
            for section in ("conversations", "knowledge", "requests")
            for chart in section_charts(section, agency=agency, period=period)
        }
        return {
            "summary": analytics_summary(agency=agency, period=period),
            "charts": charts,
            "first_reply": times.first_human_reply(agency, period),
            "resolution": times.resolution(agency, period),
            "csat_rate": times.csat_response_rate(agency, period),
            "close_time": times.request_close_time(agency, period),
        }
