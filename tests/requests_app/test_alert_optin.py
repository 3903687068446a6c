"""Issue 16: whoever reports or follows a problem may tick "also send me emergency alerts for this area". The
opt-in is an e-mail alert subscription around the report's place, confirmed by the usual link, consent recorded
as given on a report; an alert over that place reaches them once, one elsewhere does not; nothing without the
box; never across agencies; staff filing for a caller cannot tick it for them."""

import pytest

from crisis.models import Delivery, Subscription
from crisis.services import alert_create, alert_fan_out, deliveries_send, subscription_confirm
from requests_app.models import Notification
from tenants.context import agency_context
from tests.requests_app.conftest import LAT, LAT_20M, LONG
from tests.requests_app.pages_support import FORM, file

pytestmark = pytest.mark.django_db
EN = {"en": {"headline": "Flash flood warning", "instruction": "Move to higher ground now."}}


@pytest.fixture(autouse=True)
def _senders_run_here(monkeypatch):
    from crisis import tasks

    monkeypatch.setattr(tasks.alert_fan_out_task, "delay", lambda **kw: None)
    monkeypatch.setattr(tasks.deliveries_send_task, "delay", lambda **kw: None)


def _subscriptions(agency):
    with agency_context(agency):
        return list(Subscription.objects.all())


def _alert(agency, actor, lat, lon):
    with agency_context(agency):
        alert = alert_create(
            agency=agency,
            actor=actor,
            texts=EN,
            channels=["web", "email"],
            area_kind="circle",
            area={"lat": lat, "lon": lon, "radius_km": 1},
        )
        alert_fan_out(agency=agency, alert_id=alert.pk)
        deliveries_send(agency=agency, alert_id=alert.pk, channel="email")
        return {d.subscription.address for d in Delivery.objects.filter(alert=alert).select_related("subscription")}


def test_a_report_with_the_box_ticked_subscribes_its_email_near_the_report(
    client, catalogue_a, agency_a, staff_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plain = client.post("/a/alpha/report/pothole/", {**FORM, "email": "plain@example.com"})
    assert plain.status_code == 302 and _subscriptions(agency_a) == []

    with django_capture_on_commit_callbacks(execute=True):
        ticked = client.post(
            "/a/alpha/report/pothole/",
            {**FORM, "lat": str(LAT + 0.01), "email": "Me@Example.com", "alerts": "on", "confirm_new": "on"},
        )
    assert ticked.status_code == 302
    [subscription] = _subscriptions(agency_a)
    assert (subscription.channel, subscription.address, subscription.consent_channel) == (
        "email",
        "me@example.com",
        "report",
    )
    assert subscription.lat == pytest.approx(LAT + 0.01) and subscription.lon == pytest.approx(LONG)
    assert subscription.radius_km == 2.0 and subscription.confirmed_at is None
    with agency_context(agency_a):
        confirmation = Notification.objects.get(recipient="me@example.com", subject__contains="Confirm")
    assert "/a/alpha/alerts/confirm/" in confirmation.body

    # Not confirmed yet: an alert over the report does not reach them.
    assert _alert(agency_a, staff_a["supervisor"], LAT + 0.01, LONG) == set()
    with agency_context(agency_a):
        subscription_confirm(agency=agency_a, subscription_id=subscription.pk, code=subscription.confirm_code)
    assert _alert(agency_a, staff_a["supervisor"], LAT + 0.01, LONG) == {"me@example.com"}
    assert _alert(agency_a, staff_a["supervisor"], LAT + 0.2, LONG) == set()  # 22 km away


def test_following_a_duplicate_can_opt_in_too_but_not_in_another_agency(
    client, catalogue_a, catalogue_b, agency_a, agency_b
):
    existing = file(agency_a)
    assert (
        client.post(
            f"/a/beta/requests/{existing.reference}/follow/", {"email": "x@example.com", "alerts": "on"}
        ).status_code
        == 404
    )
    assert _subscriptions(agency_a) == [] and _subscriptions(agency_b) == []

    page = client.post("/a/alpha/report/pothole/", {**FORM, "lat": str(LAT_20M)})
    assert 'name="alerts"' in page.text  # offered next to each possible duplicate
    followed = client.post(
        f"/a/alpha/requests/{existing.reference}/follow/", {"email": "fan@example.com", "alerts": "on"}
    )
    assert followed.status_code == 302
    [subscription] = _subscriptions(agency_a)
    assert subscription.address == "fan@example.com" and subscription.lat == pytest.approx(LAT)
    assert _subscriptions(agency_b) == []


def test_staff_filing_for_a_caller_is_not_offered_the_box(client_for, staff_a, catalogue_a, agency_a):
    client = client_for(staff_a["agent"])
    assert 'name="alerts"' not in client.get("/a/alpha/staff/requests/new/pothole/").text
    assert 'name="alerts"' in client.get("/a/alpha/report/pothole/").text
    client.post("/a/alpha/staff/requests/new/pothole/", {**FORM, "email": "caller@example.com", "alerts": "on"})
    assert _subscriptions(agency_a) == []
