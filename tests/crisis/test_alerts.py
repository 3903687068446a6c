"""Alerts: validation, two-person rule, fan-out exactly once, area targeting, delivery on each channel,
permanent failures, leases after a killed worker, rate limits, CAP 1.2 out, isolation. The delivery report: test_alert_report.py."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from crisis import cap
from crisis.models import Alert, Delivery, Subscription
from crisis.services import (
    alert_approve,
    alert_create,
    alert_fan_out,
    crisis_settings_update,
    deliveries_send,
    deliveries_sweep,
    delivery_report,
)
from tenants.context import agency_context
from tests.crisis.alerting import EN, SQUARE, send

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            {"texts": {"en": EN["en"], "es": {"headline": "Inundación", "instruction": ""}}},
            "has no headline and instructions",
        ),
        ({"area_kind": "polygon", "area": []}, "no points"),
        (
            {"area_kind": "polygon", "area": [[39.0, -89.0], [39.1, -88.9], [39.0, -88.9], [39.1, -89.0]]},
            "cross each other",
        ),
        ({"area_kind": "circle", "area": {"lat": 39, "lon": -89, "radius_km": 0}}, "radius"),
        ({"send_at": timezone.now() - timedelta(hours=1)}, "in the past"),
        ({"channels": []}, "at least one channel"),
        ({"channels": ["whatsapp"]}, "cannot send here"),
    ],
)
def test_bad_alerts_are_refused_and_nothing_is_stored_or_sent(agency_a, staff_a, subscribe, kwargs, message):
    subscribe(agency_a)
    with agency_context(agency_a), pytest.raises(ValidationError, match=message):
        alert_create(
            agency=agency_a,
            actor=staff_a["supervisor"],
            texts=kwargs.pop("texts", EN),
            channels=kwargs.pop("channels", ["email"]),
            **kwargs,
        )
    with agency_context(agency_a):
        assert not Alert.objects.exists() and not Delivery.objects.exists()
    assert mail.outbox == []


def test_area_targeting_reaches_only_subscribers_in_the_area(agency_a, staff_a, subscribe):
    inside = subscribe(agency_a, address="in@example.org", lat=39.05, lon=-88.95, radius_km=0.5)
    near = subscribe(agency_a, address="near@example.org", lat=39.05, lon=-88.88, radius_km=3)  # 1.7 km out, watches 3
    subscribe(agency_a, address="far@example.org", lat=40.0, lon=-88.0, radius_km=1)
    everywhere = subscribe(agency_a, address="all@example.org")
    alert = send(agency_a, staff_a["supervisor"], area_kind="polygon", area=SQUARE)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([inside.address, near.address, everywhere.address])
    assert alert.status == Alert.Status.SENT and alert.recipients == 3


def test_exactly_one_message_per_subscriber_even_when_fan_out_and_senders_repeat(agency_a, staff_a, subscribe):
    for n in range(5):
        subscribe(agency_a, address=f"p{n}@example.org")
    alert = send(agency_a, staff_a["supervisor"])
    with agency_context(agency_a):
        alert.status = Alert.Status.SENDING
        Alert.objects.filter(pk=alert.pk).update(status=Alert.Status.SENDING)
        assert alert_fan_out(agency=agency_a, alert_id=alert.pk) == 0  # the unique constraint: nothing new
        deliveries_send(agency=agency_a, alert_id=alert.pk, channel="email")
        assert Delivery.objects.filter(alert=alert).count() == 5
    assert len(mail.outbox) == 5
    assert all("Unsubscribe in one step" in m.body and m.extra_headers["List-Unsubscribe"] for m in mail.outbox)


def test_a_killed_workers_leased_rows_are_swept_back_and_sent_once(agency_a, staff_a, subscribe, _no_real_queue):
    for n in range(3):
        subscribe(agency_a, address=f"k{n}@example.org")
    with agency_context(agency_a):
        alert = alert_create(agency=agency_a, actor=staff_a["supervisor"], texts=EN, channels=["email"])
        alert_fan_out(agency=agency_a, alert_id=alert.pk)
        # A worker claimed the rows and died before sending (SIGKILL): they stay leased.
        Delivery.objects.filter(alert=alert).update(status="sending", lease_until=timezone.now() - timedelta(seconds=1))
    swept = deliveries_sweep()
    assert (
        swept["released"] == 3
        and ("send", {"agency_id": agency_a.pk, "alert_id": alert.pk, "channel": "email"}) in _no_real_queue
    )
    with agency_context(agency_a):
        deliveries_send(agency=agency_a, alert_id=alert.pk, channel="email")
        assert Alert.objects.get(pk=alert.pk).status == Alert.Status.SENT
    assert sorted(m.to[0] for m in mail.outbox) == ["k0@example.org", "k1@example.org", "k2@example.org"]


def test_sms_rejected_numbers_fail_for_good_and_others_arrive_with_an_idempotency_key(
    agency_a, staff_a, subscribe, sms_gateway
):
    subscribe(agency_a, channel="sms", address="+15550001")
    bad = subscribe(agency_a, channel="sms", address="+15550002")
    sms_gateway.reject.add("+15550002")
    alert = send(agency_a, staff_a["supervisor"], channels=["sms"])
    assert [m["To"] for m in sms_gateway.messages] == ["+15550001"]
    assert sms_gateway.messages[0]["idempotency_key"].startswith("civicdesk-delivery-")
    assert "Reply STOP" in sms_gateway.messages[0]["Body"]
    with agency_context(agency_a):
        report = delivery_report(agency=agency_a, alert=alert)
        assert report["channels"][0]["sent"] == 1 and report["channels"][0]["failed"] == 1
        assert report["failures"][0]["permanent"] and Subscription.objects.get(pk=bad.pk).rejected_at is not None


def test_an_sms_the_gateway_took_before_the_worker_died_is_not_sent_again(agency_a, staff_a, subscribe, sms_gateway):
    """SIGKILL between the gateway's 201 and the row's update: the swept row is in doubt, and the next sender
    finds the text in the gateway's message list instead of sending it twice. A row whose text never got
    there is sent."""
    subscribe(agency_a, channel="sms", address="+15550011")
    subscribe(agency_a, channel="sms", address="+15550012")
    with agency_context(agency_a):
        alert = alert_create(agency=agency_a, actor=staff_a["supervisor"], texts=EN, channels=["sms"])
        alert_fan_out(agency=agency_a, alert_id=alert.pk)
        deliveries_send(agency=agency_a, alert_id=alert.pk, channel="sms")
        assert len(sms_gateway.messages) == 2
        # The first text reached the gateway, then the worker died: both rows were leased, neither marked.
        sms_gateway.messages[:] = [m for m in sms_gateway.messages if m["To"] == "+15550011"]
        Delivery.objects.filter(alert=alert).update(
            status="sending", lease_until=timezone.now() - timedelta(seconds=1), provider_id=""
        )
        Alert.objects.filter(pk=alert.pk).update(status=Alert.Status.SENDING)
    assert deliveries_sweep()["released"] == 2
    with agency_context(agency_a):
        assert Delivery.objects.filter(alert=alert, in_doubt=True).count() == 2
        deliveries_send(agency=agency_a, alert_id=alert.pk, channel="sms")
        rows = {r.subscription.address: r for r in Delivery.objects.filter(alert=alert).select_related("subscription")}
    assert sorted(m["To"] for m in sms_gateway.messages) == ["+15550011", "+15550012"]  # one each
    assert rows["+15550011"].provider_id == sms_gateway.messages[0]["sid"]
    assert all(r.status == "sent" and not r.in_doubt for r in rows.values())


def test_transient_failures_are_retried_later_not_lost(agency_a, staff_a, subscribe, sms_gateway):
    subscribe(agency_a, channel="sms", address="+15550003")
    sms_gateway.fail = True
    alert = send(agency_a, staff_a["supervisor"], channels=["sms"])
    with agency_context(agency_a):
        row = Delivery.objects.get(alert=alert)
        assert row.status == "queued" and row.next_attempt_at > timezone.now() and row.attempts == 1
        sms_gateway.fail = False
        Delivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
        deliveries_send(agency=agency_a, alert_id=alert.pk, channel="sms")
    assert len(sms_gateway.messages) == 1


def test_chat_subscribers_get_the_alert_in_their_conversation(agency_a, staff_a):
    from chat.consumers.common import _open_conversation
    from chat.models import Message
    from crisis.services import subscription_chat

    with agency_context(agency_a):
        conversation, _t, _a = _open_conversation(agency=agency_a, token="", channel="widget", language="en")
        subscription_chat(agency=agency_a, conversation_id=conversation.pk, language="en")
    send(agency_a, staff_a["supervisor"], channels=["chat"])
    with agency_context(agency_a):
        assert Message.objects.filter(conversation=conversation, text__contains="Flash flood warning").count() == 1


def test_rate_limit_spreads_messages_over_seconds(agency_a, staff_a, subscribe, settings):
    import time

    settings.CRISIS_RATE_LIMITS = {**settings.CRISIS_RATE_LIMITS, "email": 2}
    for n in range(5):
        subscribe(agency_a, address=f"r{n}@example.org")
    started = time.monotonic()
    send(agency_a, staff_a["supervisor"])
    assert (
        len(mail.outbox) == 5 and time.monotonic() - started >= 0.95
    )  # 2/s: five messages span three clock seconds (at least one full one)


def test_two_person_rule_holds_a_large_alert_for_another_supervisor(agency_a, staff_a, subscribe):
    for n in range(3):
        subscribe(agency_a, address=f"t{n}@example.org")
    with agency_context(agency_a):
        crisis_settings_update(agency=agency_a, actor=staff_a["admin"], approval_threshold=2)
        alert = alert_create(agency=agency_a, actor=staff_a["supervisor"], texts=EN, channels=["email"])
        assert alert.status == Alert.Status.PENDING and not Delivery.objects.exists()
        with pytest.raises(ValidationError, match="second person"):
            alert_approve(agency=agency_a, actor=staff_a["supervisor"], alert=alert)
        with pytest.raises(ValidationError, match="administrator or a supervisor"):
            alert_approve(agency=agency_a, actor=staff_a["agent"], alert=alert)
        alert = alert_approve(agency=agency_a, actor=staff_a["admin"], alert=alert)
        assert alert.status == Alert.Status.SENDING and alert.approved_by == staff_a["admin"]


def test_cap_documents_validate_and_updates_reference_the_original(agency_a, staff_a):
    alert = send(
        agency_a, staff_a["supervisor"], area_kind="circle", area={"lat": 39.78, "lon": -89.65, "radius_km": 3}
    )
    with agency_context(agency_a):
        update = alert_create(
            agency=agency_a,
            actor=staff_a["supervisor"],
            texts=EN,
            channels=["web"],
            msg_type="Update",
            references=alert,
        )
        cancel = alert_create(
            agency=agency_a,
            actor=staff_a["supervisor"],
            texts={"en": {"headline": "All clear"}},
            channels=["web"],
            msg_type="Cancel",
            references=update,
        )
        assert cancel.references == alert  # always the chain's original
        for message in (alert, update, cancel):
            document = etree.fromstring(cap.alert_document(agency_a, message))
            cap.cap_schema().assertValid(document)
        xml = etree.fromstring(cap.alert_document(agency_a, cancel))
    ns = {"c": cap.CAP_NS}
    assert xml.findtext("c:msgType", namespaces=ns) == "Cancel"
    references = xml.findtext("c:references", namespaces=ns).split()
    assert [r.split(",")[1] for r in references] == [alert.identifier, update.identifier]
    with pytest.raises(cap.CapInvalid):
        cap.cap_validate(
            etree.fromstring(b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>x</identifier></alert>')
        )


def test_cap_feed_and_document_urls(agency_a, staff_a, client):
    alert = send(agency_a, staff_a["supervisor"])
    feed = client.get(reverse("crisis:feed", kwargs={"agency_slug": agency_a.slug}))
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/atom+xml")
    root = etree.fromstring(feed.content)
    entries = root.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 1
    cap.cap_validate(entries[0].find("{http://www.w3.org/2005/Atom}content")[0])
    document = client.get(
        reverse("crisis:alert-cap", kwargs={"agency_slug": agency_a.slug, "identifier": alert.identifier})
    )
    assert document.status_code == 200
    cap.cap_validate(etree.fromstring(document.content))
    home = client.get(reverse("agency-home", kwargs={"agency_slug": agency_a.slug}))
    assert "Flash flood warning" in home.text  # the web banner


def test_alert_send_command_prints_the_cap_identifier(agency_a, staff_a, subscribe, capsys):
    subscribe(agency_a)
    call_command(
        "alert_send",
        agency_a.slug,
        "--headline",
        "Storm",
        "--instruction",
        "Stay in",
        "--channels",
        "web,email",
        "--area",
        "39.78,-89.65 5",
        "--yes",
        "--actor",
        staff_a["supervisor"].username,
    )
    identifier = capsys.readouterr().out.strip()
    with agency_context(agency_a):
        alert = Alert.objects.get(identifier=identifier)
        assert alert.area_kind == "circle" and alert.created_by == staff_a["supervisor"]
    with pytest.raises(CommandError, match="Nothing sent"):
        call_command(
            "alert_send",
            agency_a.slug,
            "--headline",
            "x",
            "--instruction",
            "y",
            "--language",
            "de",
            "--yes",
            "--actor",
            staff_a["supervisor"].username,
        )
    with pytest.raises(CommandError, match="--yes"):
        call_command(
            "alert_send",
            agency_a.slug,
            "--headline",
            "x",
            "--instruction",
            "y",
            "--actor",
            staff_a["supervisor"].username,
        )


def test_isolation_other_agencys_staff_and_subscribers(agency_a, staff_a, agency_b, staff_b, subscribe, client_for):
    subscribe(agency_a, address="a-citizen@example.org")
    subscribe(agency_b, address="b-citizen@example.org")
    alert_b = send(agency_b, staff_b["supervisor"])
    assert [m.to[0] for m in mail.outbox] == ["b-citizen@example.org"]  # A's subscribers never get B's alerts
    client = client_for(staff_a["admin"])
    for name in ("crisis:staff-alert", "crisis:staff-alert-report"):
        url = reverse(name, kwargs={"agency_slug": agency_a.slug, "alert_id": alert_b.pk})
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "approve"}).status_code in (404, 405)
    url = (
        reverse("crisis:staff-alert-new", kwargs={"agency_slug": agency_a.slug})
        + f"?references={alert_b.pk}&type=cancel"
    )
    assert client.get(url).status_code == 404
    assert (
        client.get(
            reverse("crisis:alert-cap", kwargs={"agency_slug": agency_a.slug, "identifier": alert_b.identifier})
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("crisis:staff-alert", kwargs={"agency_slug": agency_b.slug, "alert_id": alert_b.pk})
        ).status_code
        == 404
    )
