"""The dashboard: every chart's bars equal their drill-down rows; roles; isolation; bad input."""

import pytest

from analytics.dashboard.registry import CHARTS
from analytics.dashboard.sections import SECTIONS, section_charts
from analytics.models import Feedback, FeedbackTopic
from analytics.periods import period_parse
from knowledge.models import UnansweredQuestion
from tenants.context import agency_context
from tests.analytics.factories import at, category, conversation, service_request

pytestmark = pytest.mark.django_db
QUERY = "?from=2026-03-01&to=2026-03-31"


def _world(agency, *, text="Alpha secret"):
    with agency_context(agency):
        conversation(
            agency, started=at("2026-03-02"), outcome="contained", closed_at=at("2026-03-02", 11), csat=5, language="es"
        )
        conversation(
            agency,
            started=at("2026-03-02"),
            roles=("citizen", "bot", "agent"),
            outcome="agent",
            handed_off=True,
            queued_at=at("2026-03-02", 10, 1),
            closed_at=at("2026-03-02", 12),
            csat=2,
            channel="widget",
        )
        conversation(agency, started=at("2026-03-05"), state="bot")
        cat = category(agency)
        other = category(agency, code="graffiti", sla_hours=None, department_slug="parks")
        service_request(
            agency,
            cat=cat,
            created=at("2026-03-03"),
            status="resolved",
            closed_at=at("2026-03-04"),
            sla_due_at=at("2026-03-05"),
            lat=39.78,
            long=-89.65,
        )
        service_request(agency, cat=cat, created=at("2026-03-10"), lat=39.79, long=-89.64)
        service_request(agency, cat=other, created=at("2026-03-12"), lat=39.70, long=-89.60)
        UnansweredQuestion.objects.create(agency=agency, question=text)
        topic = FeedbackTopic.objects.create(agency=agency, slug="parks", name="Parks")
        Feedback.objects.create(agency=agency, text=text, topic=topic, sentiment="negative")


def test_every_count_chart_equals_its_drill_down_rows(agency_a):
    _world(agency_a)
    with agency_context(agency_a):
        period = period_parse(agency=agency_a, params={"from": "2026-03-01", "to": "2026-03-31"})
        seen = set()
        for section in SECTIONS:
            for chart in section_charts(section, agency=agency_a, period=period):
                spec = CHARTS[chart.id]
                seen.add(chart.id)
                for bar in chart.bars:
                    rows = spec.rows(agency_a, period, bar.key)
                    if spec.count:
                        assert rows.count() == bar.value, (chart.id, bar.key)
                    else:  # a rate: its rows are the denominator, the bar's series says met/total
                        assert rows.count() == int(bar.series.split("/")[1]), (chart.id, bar.key)
    assert seen == set(CHARTS)
    with agency_context(agency_a):
        outcomes = {b.key: b.value for b in CHARTS["conversation_outcomes"].build(agency_a, period).bars}
    assert outcomes == {"contained": 1, "handoff": 1, "other": 1}


def test_funnel_drop_off_per_step(agency_a, voter_form, submit):
    from registrations.models import Registration
    from registrations.services import registration_start

    submit()
    with agency_context(agency_a):
        a = registration_start(agency=agency_a, form=voter_form)  # at the first step
        b = registration_start(agency=agency_a, form=voter_form)
        b.flow_state = {**b.flow_state, "step": "residence"}
        Registration.objects.for_agency(agency_a).filter(pk=b.pk).update(flow_state=b.flow_state)
        period = period_parse(agency=agency_a, params={})
        chart = CHARTS["funnel"].build(agency_a, period, form_id=voter_form.pk)
    reached = {bar.key.split(":")[1]: (bar.value, int(bar.series)) for bar in chart.bars}
    assert reached["eligibility"] == (3, 1)  # a stopped at the first step
    assert reached["identity"] == (2, 0)
    assert reached["residence"] == (2, 1)  # b stopped at residence
    assert reached["submitted"] == (1, 0)
    assert a.pk


def test_funnel_counted_in_sql_equals_the_rows_it_lists(agency_a, voter_form, submit):
    """The chart counts (status, stage, step) groups in PostgreSQL; its drill-down lists the applications. On
    random applications (every step, review, confirmed, submitted, a step the form no longer has, an empty state)
    each stage's bar equals the rows the drill-down lists for it."""
    import random

    from analytics.dashboard.registrations import funnel_counts, funnel_reach
    from registrations.models import Registration
    from registrations.services import registration_start

    rng = random.Random(11)
    submit()
    submit()
    states = [{"step": step} for step in ("eligibility", "identity", "residence", "gone-step")]
    states += [{"stage": "review"}, {"stage": "confirmed"}, None]
    with agency_context(agency_a):
        for _ in range(40):
            started = registration_start(agency=agency_a, form=voter_form)
            state = rng.choice(states)
            Registration.objects.for_agency(agency_a).filter(pk=started.pk).update(
                flow_state={} if state is None else {**started.flow_state, **state}
            )
        period = period_parse(agency=agency_a, params={})
        stages, counts = funnel_counts(agency=agency_a, period=period, form=voter_form)
        listed_stages, reach = funnel_reach(agency=agency_a, period=period, form=voter_form)
        chart = CHARTS["funnel"].build(agency_a, period, form_id=voter_form.pk)
    assert stages == listed_stages
    assert counts == [len(reach[index]) for index in range(len(stages))]
    assert counts[0] == 42 and counts[-1] == 2
    assert [bar.value for bar in chart.bars] == counts


def test_pages_for_each_role_and_isolation(agency_a, agency_b, staff_a, staff_b, client_for):
    _world(agency_a)
    _world(agency_b, text="Beta secret")
    for role in ("analyst", "supervisor", "admin"):
        client = client_for(staff_a[role])
        for section in SECTIONS:
            response = client.get(f"/a/alpha/staff/analytics/{QUERY}&view={section}")
            assert response.status_code == 200, (role, section)
            assert b"Beta secret" not in response.content
    for role in ("agent", "caseworker"):
        assert client_for(staff_a[role]).get(f"/a/alpha/staff/analytics/{QUERY}").status_code == 404
    beta = client_for(staff_b["analyst"])
    for path in (
        "",
        "?view=knowledge",
        "rows/?chart=unanswered_by_day",
        "rows/?chart=feedback_by_topic&key=parks",
        "gaps/?ids=1",
    ):
        assert beta.get(f"/a/alpha/staff/analytics/{path}").status_code == 404
    rows = beta.get("/a/beta/staff/analytics/rows/?chart=feedback_by_topic&key=parks")
    assert rows.status_code == 200
    assert b"Beta secret" in rows.content and b"Alpha secret" not in rows.content


def test_drill_down_page_and_csv(agency_a, staff_a, client_for):
    _world(agency_a)
    client = client_for(staff_a["analyst"])
    page = client.get(f"/a/alpha/staff/analytics/rows/{QUERY}&chart=requests_by_category&key=999999")
    assert page.status_code == 200 and b"0 rows" in page.content
    with agency_context(agency_a):
        pothole = category(agency_a)
    page = client.get(f"/a/alpha/staff/analytics/rows/{QUERY}&chart=requests_by_category&key={pothole.pk}")
    assert b"2 rows" in page.content
    csv = client.get(f"/a/alpha/staff/analytics/rows/{QUERY}&chart=requests_by_category&key={pothole.pk}&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert len(csv.content.decode().strip().splitlines()) == 3
    export = client.get(f"/a/alpha/staff/analytics/{QUERY}&view=requests&format=csv")
    assert b"Requests filed by category" in export.content


def test_unanswered_text_is_masked_for_analysts(agency_a, staff_a, client_for):
    from django.utils import timezone

    from tenants.timezones import agency_zone

    with agency_context(agency_a):
        UnansweredQuestion.objects.create(agency=agency_a, question="call me on 217-555-0143 about my bin")
    today = timezone.localdate(timezone=agency_zone(agency_a)).isoformat()
    page = client_for(staff_a["analyst"]).get(f"/a/alpha/staff/analytics/rows/?chart=unanswered_by_day&key={today}")
    assert b"about my bin" in page.content
    assert b"217-555-0143" not in page.content


@pytest.mark.parametrize(
    "query",
    [
        "?from=2026-03-31&to=2026-03-01",
        "?from=2010-01-01&to=2026-03-01",
        "?channel=fax",
        "?department=x",
        "?from=31/03/2026",
    ],
)
def test_bad_ranges_are_a_clear_400_page(agency_a, staff_a, client_for, query):
    response = client_for(staff_a["analyst"]).get(f"/a/alpha/staff/analytics/{query}")
    assert response.status_code == 400
    assert b"errorlist" in response.content


def test_unknown_section_chart_or_key_is_404(agency_a, staff_a, client_for):
    client = client_for(staff_a["analyst"])
    assert client.get("/a/alpha/staff/analytics/?view=nothing").status_code == 404
    assert client.get("/a/alpha/staff/analytics/rows/?chart=nothing").status_code == 404
    assert client.get("/a/alpha/staff/analytics/rows/?chart=conversations_by_day&key=notaday").status_code == 404


def test_unanswered_clustered_by_meaning_and_write_an_answer(agency_a, staff_a, client_for):
    from analytics.dashboard.clusters import unanswered_clusters

    with agency_context(agency_a):
        for text in (
            "When is bulky trash picked up?",
            "When is bulky trash pickup?",
            "¿Cuándo recogen la basura voluminosa?",
        ):
            UnansweredQuestion.objects.create(agency=agency_a, question=text, language="en")
        UnansweredQuestion.objects.create(agency=agency_a, question="How do I renew my dog license?", language="en")
        clusters = unanswered_clusters(agency=agency_a, period=period_parse(agency=agency_a, params={}))
    sizes = sorted(cluster.size for cluster in clusters)
    assert sizes[-1] >= 2 and sum(sizes) == 4 and len(clusters) >= 2
    biggest = clusters[0]
    client = client_for(staff_a["supervisor"])
    page = client.get("/a/alpha/staff/analytics/gaps/?ids=" + ",".join(map(str, biggest.ids)))
    assert page.status_code == 200
    write = page.context["write_url"]
    form = client.get(write)
    assert form.status_code == 200
    assert biggest.question.encode() in form.content  # the new document's title is filled in


def test_platform_view_side_by_side_for_superusers_only(agency_a, agency_b, staff_a, staff_b, superuser, client_for):
    _world(agency_a)
    url = "/staff/analytics/?from=2026-03-01&to=2026-03-31"
    page = client_for(superuser).get(url)
    assert page.status_code == 200
    rows = {agency.slug: summary for agency, summary in page.context["rows"]}
    assert rows["alpha"]["conversations"] == 3 and rows["beta"]["conversations"] == 0
    assert b"Alpha City" in page.content and b"Beta State Revenue" in page.content
    for user in (staff_a["admin"], staff_a["analyst"], staff_b["supervisor"]):
        assert client_for(user).get(url).status_code == 404
    assert client_for(superuser).get("/staff/analytics/?from=2026-03-31&to=2026-03-01").status_code == 400


def test_negative_feedback_share_by_week(agency_a):
    """Sentiment over time: weeks start on Monday and are clipped to the range; value = negative share."""
    from analytics.dashboard.feedback import feedback_negative_by_week

    with agency_context(agency_a):
        made = [
            Feedback.objects.create(agency=agency_a, text="Slow", sentiment="negative"),
            Feedback.objects.create(agency=agency_a, text="Fine", sentiment="neutral"),
            Feedback.objects.create(agency=agency_a, text="Great", sentiment="positive"),
        ]
        for feedback, when in zip(made, (at("2026-03-03"), at("2026-03-04"), at("2026-03-10")), strict=True):
            Feedback.objects.for_agency(agency_a).filter(pk=feedback.pk).update(created_at=when)
        period = period_parse(agency=agency_a, params={"from": "2026-03-01", "to": "2026-03-14"})
        bars = feedback_negative_by_week(agency_a, period).bars
    # Sunday 1 March alone, then the weeks of Monday 2 and Monday 9 March (clipped at the 14th)
    assert [(b.key, b.value, b.series) for b in bars] == [
        ("2026-03-01", 0, "0/0"),
        ("2026-03-02", 50.0, "1/2"),
        ("2026-03-09", 0.0, "0/1"),
    ]
