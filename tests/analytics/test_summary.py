"""Each number of the summary API on small hand-built data (definitions: docs/analytics.md)."""

import datetime as dt

import pytest

from analytics.models import Feedback
from analytics.periods import period_parse
from analytics.selectors import analytics_summary
from knowledge.models import UnansweredQuestion
from tenants.context import agency_context
from tests.analytics.factories import at, category, conversation, service_request

URL = "/api/v1/a/{slug}/analytics/summary/"
pytestmark = pytest.mark.django_db


def _period(agency, start="2026-03-01", end="2026-03-31", **params):
    return period_parse(agency=agency, params={"from": start, "to": end, **params}, channels={"web", "widget"})


def test_containment_counts_closed_without_a_person_and_never_both(agency_a):
    with agency_context(agency_a):
        conversation(agency_a, started=at("2026-03-02"), outcome="contained", closed_at=at("2026-03-02", 11))
        conversation(agency_a, started=at("2026-03-03"), outcome="contained", closed_at=at("2026-03-03", 11))
        # handed off and answered by an agent: a handoff, not contained
        conversation(
            agency_a,
            started=at("2026-03-04"),
            roles=("citizen", "bot", "citizen", "agent"),
            outcome="agent",
            handed_off=True,
            queued_at=at("2026-03-04", 10, 2),
            closed_at=at("2026-03-04", 12),
        )
        # handed off while nobody was online: a message left, a handoff, not contained
        conversation(
            agency_a,
            started=at("2026-03-05"),
            outcome="message_left",
            handed_off=True,
            queued_at=at("2026-03-05", 10, 2),
            closed_at=at("2026-03-05", 11),
        )
        # still open with the bot: counted, neither contained nor handed off
        conversation(agency_a, started=at("2026-03-06"), state="bot")
        # abandoned (the bot missed): neither
        conversation(agency_a, started=at("2026-03-07"), outcome="abandoned", closed_at=at("2026-03-07", 11))
        # opened and never spoken in: not a conversation
        conversation(agency_a, started=at("2026-03-08"), roles=(), state="bot")
        # outside the range (the day before, local time)
        conversation(agency_a, started=at("2026-02-28", 23, 30), outcome="contained", closed_at=at("2026-03-01", 1))
        summary = analytics_summary(agency=agency_a, period=_period(agency_a))
    assert summary["conversations"] == 6
    assert summary["contained"] == 2
    assert summary["handoffs"] == 2
    assert summary["containment_rate"] == round(2 / 6, 4)
    assert summary["handoff_rate"] == round(2 / 6, 4)
    assert summary["contained"] + summary["handoffs"] <= summary["conversations"]


def test_day_boundaries_are_the_agencys_local_midnight(agency_a):
    with agency_context(agency_a):
        # 2026-03-31 23:30 in Chicago is 2026-04-01 04:30 UTC: still in March for the agency.
        conversation(agency_a, started=at("2026-03-31", 23, 30))
        conversation(agency_a, started=at("2026-04-01", 0, 30))
        summary = analytics_summary(agency=agency_a, period=_period(agency_a))
    assert summary["conversations"] == 1


def test_csat_distribution_average_and_responses(agency_a):
    with agency_context(agency_a):
        for score in (5, 5, 4, 1):
            conversation(agency_a, started=at("2026-03-10"), outcome="contained", csat=score)
        conversation(agency_a, started=at("2026-03-10"), outcome="contained")
        summary = analytics_summary(agency=agency_a, period=_period(agency_a))
    assert summary["csat"] == {
        "responses": 4,
        "average": 3.75,
        "distribution": {"1": 1, "2": 0, "3": 0, "4": 1, "5": 2},
    }


def test_empty_range_gives_null_rates_not_zero(agency_a):
    with agency_context(agency_a):
        summary = analytics_summary(agency=agency_a, period=_period(agency_a))
    assert summary["conversations"] == 0
    assert summary["containment_rate"] is None
    assert summary["csat"]["average"] is None
    assert summary["requests"]["sla_met_rate"] is None


def test_sla_met_only_counts_worked_requests_with_an_sla_closed_in_range(agency_a):
    with agency_context(agency_a):
        cat = category(agency_a)
        due = at("2026-03-05", 12)
        # met: closed before its due time
        service_request(
            agency_a, cat=cat, created=at("2026-03-03"), status="resolved", closed_at=at("2026-03-04"), sla_due_at=due
        )
        # met exactly at the due time
        service_request(agency_a, cat=cat, created=at("2026-03-03"), status="closed", closed_at=due, sla_due_at=due)
        # missed: closed after it
        service_request(
            agency_a, cat=cat, created=at("2026-03-03"), status="resolved", closed_at=at("2026-03-06"), sla_due_at=due
        )
        # a duplicate: closed, but no SLA verdict
        service_request(
            agency_a, cat=cat, created=at("2026-03-03"), status="duplicate", closed_at=at("2026-03-09"), sla_due_at=due
        )
        # no SLA on its category: closed, no verdict
        service_request(agency_a, cat=cat, created=at("2026-03-03"), status="resolved", closed_at=at("2026-03-04"))
        # filed in February, closed in March: closed in range, not filed in range
        service_request(
            agency_a,
            cat=cat,
            created=at("2026-02-20"),
            status="resolved",
            closed_at=at("2026-03-02"),
            sla_due_at=at("2026-02-22"),
        )
        # filed in range, still open
        service_request(agency_a, cat=cat, created=at("2026-03-20"), sla_due_at=at("2026-03-22"))
        summary = analytics_summary(agency=agency_a, period=_period(agency_a))
    assert summary["requests"]["filed"] == 6
    assert summary["requests"]["closed"] == 6
    assert summary["requests"]["sla_met_rate"] == round(2 / 4, 4)


def test_unanswered_registrations_and_feedback_are_counted_in_range(agency_a, submit):
    with agency_context(agency_a):
        UnansweredQuestion.objects.create(agency=agency_a, question="when is bulky pickup")
        old = UnansweredQuestion.objects.create(agency=agency_a, question="old")
        UnansweredQuestion.objects.for_agency(agency_a).filter(pk=old.pk).update(created_at=at("2025-01-01"))
        Feedback.objects.create(agency=agency_a, text="Great park")
        submit()
    today = dt.date.today().isoformat()
    with agency_context(agency_a):
        summary = analytics_summary(
            agency=agency_a, period=period_parse(agency=agency_a, params={"from": "2026-01-01", "to": today})
        )
    assert summary["unanswered"] == 1
    assert summary["feedback"] == {"received": 1}
    assert summary["registrations"] == {"submitted": 1}


def test_api_shape_roles_and_isolation(agency_a, agency_b, staff_a, staff_b, client_for):
    with agency_context(agency_a):
        conversation(agency_a, started=at("2026-03-02"), outcome="contained", closed_at=at("2026-03-02", 11))
    url = URL.format(slug="alpha") + "?from=2026-03-01&to=2026-03-31"
    body = client_for(staff_a["analyst"]).get(url).json()
    assert list(body) == [
        "conversations",
        "contained",
        "containment_rate",
        "handoffs",
        "handoff_rate",
        "csat",
        "unanswered",
        "requests",
        "registrations",
        "feedback",
    ]
    assert list(body["csat"]) == ["responses", "average", "distribution"]
    assert list(body["requests"]) == ["filed", "closed", "sla_met_rate"]
    assert body["conversations"] == 1 and body["contained"] == 1
    for role in ("supervisor", "admin"):
        assert client_for(staff_a[role]).get(url).status_code == 200
    for role in ("agent", "caseworker"):
        assert client_for(staff_a[role]).get(url).status_code == 404
    # B's analyst asking for A's numbers: 404, as for an agency that does not exist
    assert client_for(staff_b["analyst"]).get(url).status_code == 404
    assert client_for(staff_b["analyst"]).get(URL.format(slug="nowhere")).status_code == 404
    # and B's own numbers hold nothing of A's
    own = client_for(staff_b["analyst"]).get(URL.format(slug="beta") + "?from=2026-03-01&to=2026-03-31").json()
    assert own["conversations"] == 0


@pytest.mark.parametrize(
    ("query", "word"),
    [
        ("from=2026-03-31&to=2026-03-01", "reversed"),
        ("from=2020-01-01&to=2026-03-01", "too long"),
        ("from=yesterday", "YYYY-MM-DD"),
        ("from=1900-01-01&to=1900-01-02", "2000"),
        ("to=2999-01-01", "future"),
        ("channel=carrier-pigeon", "Unknown channel"),
        ("department=999999", "Unknown department"),
        ("category=abc", "Unknown category"),
        ("department=", "whole number"),
        ("category=%20", "whole number"),
    ],
)
def test_bad_ranges_and_filters_are_a_clear_400(agency_a, staff_a, client_for, query, word):
    response = client_for(staff_a["analyst"]).get(URL.format(slug="alpha") + "?" + query)
    assert response.status_code == 400
    assert word in str(response.json())


def test_anonymous_is_refused(agency_a, client):
    assert client.get(URL.format(slug="alpha")).status_code in (401, 403)
