"""CAP 1.2 in: a feed polled from a local server, pushes with an API key, sender/signature/severity/area rules."""

import pytest
from django.urls import reverse

from crisis.models import Alert, CapMessage
from crisis.services import cap_feeds_poll_due, cap_source_create
from tenants.context import agency_context
from tenants.models import Agency
from tests.crisis.cap_server import FeedServer, atom, cap_alert

pytestmark = pytest.mark.django_db
TRUSTED = "w-nws.webmaster@noaa.gov"


@pytest.fixture
def feed_server():
    server = FeedServer()
    yield server
    server.stop()


def test_a_polled_feed_drafts_matching_alerts_once_and_refuses_untrusted_ones(agency_a, staff_a, feed_server):
    feed_server.documents["/feed.atom"] = atom(
        cap_alert("A-1"),  # trusted, severe, in the area: drafted
        cap_alert("A-2", sender="prankster@example.org"),  # untrusted sender: refused
        cap_alert("A-3", signed=True),  # signed, and the source trusts no certificate: refused
        cap_alert("A-4", severity="Minor"),  # below the rule: ignored
        cap_alert("A-5", polygon="45.0,-100.0 45.0,-99.9 45.1,-99.9 45.0,-100.0"),  # elsewhere: ignored
    )
    with agency_context(agency_a):
        cap_source_create(
            agency=agency_a,
            actor=staff_a["admin"],
            name="NWS",
            kind="feed",
            url=feed_server.url + "/feed.atom",
            allowed_senders=[TRUSTED],
            min_severity="Severe",
            action="draft",
            area={"lat": 39.05, "lon": -88.95, "radius_km": 5},
        )
    assert cap_feeds_poll_due() == 1
    with agency_context(agency_a):
        outcomes = dict(CapMessage.objects.values_list("identifier", "outcome"))
        assert outcomes == {"A-1": "acted", "A-2": "refused", "A-3": "refused", "A-4": "ignored", "A-5": "ignored"}
        draft = Alert.objects.get()
        assert draft.status == Alert.Status.DRAFT and draft.area_kind == "polygon" and "NWS" in draft.source
        assert draft.texts["en"]["headline"].startswith("Flash Flood Warning")
    assert cap_feeds_poll_due() == 0  # not due again yet
    with agency_context(agency_a):
        from crisis.models import CapSource

        CapSource.objects.update(last_polled_at=None)
    cap_feeds_poll_due()
    with agency_context(agency_a):
        assert Alert.objects.count() == 1 and CapMessage.objects.count() == 5  # acted on once


def test_a_feed_that_does_not_validate_records_a_clear_error_and_acts_on_nothing(agency_a, staff_a, feed_server):
    feed_server.documents["/bad.xml"] = (
        b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>x</identifier></alert>'
    )
    with agency_context(agency_a):
        source, _key = cap_source_create(
            agency=agency_a,
            actor=staff_a["admin"],
            name="County",
            kind="feed",
            url=feed_server.url + "/bad.xml",
            allowed_senders=[TRUSTED],
            min_severity="Minor",
            action="crisis",
        )
    cap_feeds_poll_due()
    with agency_context(agency_a):
        source.refresh_from_db()
        assert "sender" in source.last_error and not CapMessage.objects.exists()
    assert not Agency.objects.get(pk=agency_a.pk).crisis_mode


def test_a_pushed_alert_with_the_key_turns_crisis_mode_on(agency_a, staff_a, agency_b, client):
    with agency_context(agency_a):
        _source, key = cap_source_create(
            agency=agency_a,
            actor=staff_a["admin"],
            name="County EOC",
            kind="push",
            allowed_senders=[TRUSTED],
            min_severity="Moderate",
            action="crisis",
        )
    url = reverse("crisis-api-cap", kwargs={"agency_slug": agency_a.slug})
    body = cap_alert("P-1").encode()
    assert client.post(url, body, content_type="application/cap+xml").status_code == 401
    other = reverse("crisis-api-cap", kwargs={"agency_slug": agency_b.slug})
    assert (
        client.post(other, body, content_type="application/cap+xml", HTTP_AUTHORIZATION=f"Bearer {key}").status_code
        == 401
    )
    assert not Agency.objects.get(pk=agency_b.pk).crisis_mode
    bad = client.post(url, b"<alert>oops", content_type="application/cap+xml", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert bad.status_code == 400 and "Not a valid CAP 1.2 document" in bad.json()["detail"]
    response = client.post(url, body, content_type="application/cap+xml", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 202 and response.json()["received"][0]["outcome"] == "acted"
    agency = Agency.objects.get(pk=agency_a.pk)
    assert agency.crisis_mode and agency.crisis_message.startswith("Flash Flood Warning")


def test_entities_are_not_resolved(agency_a, staff_a, client):
    with agency_context(agency_a):
        _source, key = cap_source_create(
            agency=agency_a,
            actor=staff_a["admin"],
            name="X",
            kind="push",
            allowed_senders=[TRUSTED],
            min_severity="Minor",
            action="draft",
        )
    evil = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&x;</identifier></alert>'
    url = reverse("crisis-api-cap", kwargs={"agency_slug": agency_a.slug})
    response = client.post(url, evil, content_type="application/cap+xml", HTTP_X_API_KEY=key)
    assert response.status_code == 400 and "root:" not in response.text
