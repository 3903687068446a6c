"""The staff outbox page /a/<slug>/staff/outbox/: supervisors and admins only, the agency's rows only, recipients
masked and no message bodies, retry now (exactly once) and discard, both in the audit trail."""

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from requests_app.models import Notification
from requests_app.outbox_mask import email_masked, error_summary, phone_masked, recipient_masked
from requests_app.services import notifications_deliver
from tenants.context import agency_context

URL = "/a/{slug}/staff/outbox/"


def row(agency, recipient, *, state="pending", channel="email", request=None, subject="Your report was updated"):
    now = timezone.now()
    fields = {"pending": {}, "sent": {"sent_at": now, "attempts": 1}}.get(state, {})
    if state == "failing":
        fields = {"attempts": 2, "last_error": "SMTP: 451 4.7.1 Try again later", "next_attempt_at": now}
    if state == "given_up":
        fields = {"attempts": 10, "last_error": "ConnectionRefusedError: [Errno 111]", "given_up_at": now}
    with agency_context(agency):
        return Notification.objects.create(
            agency=agency,
            request=request,
            channel=channel,
            recipient=recipient,
            subject=subject,
            body=f"BODY-{recipient}",
            **fields,
        )


def fresh(notification) -> Notification:
    return Notification.objects.unscoped().filter(pk=notification.pk).first()  # unscoped: the test's own row


@pytest.mark.parametrize(
    ("role", "status"), [("admin", 200), ("supervisor", 200), ("agent", 404), ("caseworker", 404), ("analyst", 404)]
)
def test_supervisors_and_admins_only(agency_a, staff_a, client_for, role, status):
    response = client_for(staff_a[role]).get(URL.format(slug="alpha"))
    assert response.status_code == status
    if status == 404:
        assert client_for(staff_a[role]).post(URL.format(slug="alpha"), {"action": "retry_all"}).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(agency_a, client):
    response = client.get(URL.format(slug="alpha"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_counts_rows_masking_and_no_bodies(agency_a, staff_a, catalogue_a, client_for):
    from tests.requests_app.test_routing import file

    report = file(agency_a)
    with agency_context(agency_a):
        Notification.objects.all().delete()  # what filing queued: this test writes its own rows
    row(agency_a, "jane.doe@example.org", state="given_up", request=report)
    row(agency_a, "+12175550123", state="failing", channel="sms")
    row(agency_a, "sam@example.org", state="sent")
    row(agency_a, "pat@example.org")
    page = client_for(staff_a["supervisor"]).get(URL.format(slug="alpha"))
    text = page.content.decode()
    counts = page.context["counts"]
    assert counts["total"] == {"pending": 1, "failing": 1, "given_up": 1, "sent": 1, "undelivered": 0}
    email = next(c for c in counts["channels"] if c["channel"] == "email")
    assert (email["pending"], email["given_up"], email["sent"], email["failing"]) == (1, 1, 1, 0)
    assert "j***@example.org" in text and "+1 •••• 0123" in text
    assert "jane.doe@example.org" not in text and "2175550123" not in text and "BODY-" not in text
    assert f"/a/alpha/staff/requests/{report.reference}/" in text
    assert "ConnectionRefusedError" in text and "Message contents are not shown here" in text
    given_up = client_for(staff_a["supervisor"]).get(URL.format(slug="alpha"), {"state": "given_up"})
    assert [n.recipient for n in given_up.context["page"]] == ["jane.doe@example.org"]
    sms = client_for(staff_a["supervisor"]).get(URL.format(slug="alpha"), {"channel": "sms"})
    assert [n.channel for n in sms.context["page"]] == ["sms"]
    bad = client_for(staff_a["supervisor"]).get(URL.format(slug="alpha"), {"state": "nonsense", "page": "x"})
    assert bad.status_code == 200 and bad.context["page"].paginator.count == 4  # ignored, not an error


def test_another_agencys_rows_are_never_listed_or_changed(agency_a, agency_b, staff_a, staff_b, client_for):
    mine = row(agency_a, "mine@example.org", state="given_up")
    theirs = row(agency_b, "theirs@example.org", state="given_up", subject="BETA-ONLY subject")
    client = client_for(staff_a["supervisor"])
    page = client.get(URL.format(slug="alpha"))
    assert "BETA-ONLY" not in page.content.decode() and page.context["counts"]["total"]["given_up"] == 1
    for action in ("retry", "discard"):
        response = client.post(URL.format(slug="alpha"), {"action": action, "notification": [theirs.pk]})
        assert response.status_code == 302
    client.post(URL.format(slug="alpha"), {"action": "retry_all"})  # all of A's: B's stays as it was
    after = fresh(theirs)
    assert after.given_up_at is not None and after.attempts == 10
    assert fresh(mine).given_up_at is None  # A's own was retried
    # B's pages are not A's staff's: 404 as for any agency they do not work for.
    assert client.get(URL.format(slug="beta")).status_code == 404
    assert client.post(URL.format(slug="beta"), {"action": "retry", "notification": [theirs.pk]}).status_code == 404
    assert fresh(theirs).given_up_at is not None
    assert not LogEntry.objects.filter(additional_data__agency_id=agency_b.pk, object_pk=str(theirs.pk)).exists()


def test_retry_now_sends_exactly_once_and_is_audited(
    agency_a, staff_a, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    stuck = row(agency_a, "jane.doe@example.org", state="given_up")
    pending = row(agency_a, "pat@example.org")
    client = client_for(staff_a["supervisor"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(URL.format(slug="alpha"), {"action": "retry", "notification": [stuck.pk, pending.pk]})
    assert response.status_code == 302 and len(queued) == 1  # a delivery run is queued after commit
    follow = client.get(response["Location"])
    assert "1 notification goes out again now." in follow.content.decode()  # the pending one was not "retried"
    again = fresh(stuck)
    assert again.state == "pending" and again.attempts == 0 and again.given_up_at is None
    with agency_context(agency_a):
        assert notifications_deliver(agency=agency_a) == 2
        assert notifications_deliver(agency=agency_a) == 0
    assert [m.to for m in mailoutbox].count(["jane.doe@example.org"]) == 1
    [entry] = LogEntry.objects.filter(additional_data__agency_id=agency_a.pk, object_pk=str(stuck.pk))
    assert entry.actor == staff_a["supervisor"] and entry.additional_data["outbox"]["decision"] == "retry"
    assert entry.additional_data["outbox"]["state"] == "given_up" and "jane.doe" not in str(entry.additional_data)
    audit = client.get("/a/alpha/staff/audit/").content.decode()
    assert "back in the outbox to be sent again" in audit and f"#{stuck.pk} email j***@example.org" in audit


def test_discard_takes_given_up_rows_only(agency_a, staff_a, client_for):
    stuck = row(agency_a, "jane.doe@example.org", state="given_up")
    failing = row(agency_a, "sam@example.org", state="failing")
    client = client_for(staff_a["admin"])
    client.post(URL.format(slug="alpha"), {"action": "discard", "notification": [stuck.pk, failing.pk, "x", "-1"]})
    assert fresh(stuck) is None and fresh(failing) is not None
    [entry] = LogEntry.objects.filter(additional_data__agency_id=agency_a.pk, object_pk=str(stuck.pk))
    assert entry.action == LogEntry.Action.DELETE and entry.additional_data["outbox"]["decision"] == "discard"
    nothing = client.post(URL.format(slug="alpha"), {"action": "discard", "notification": [failing.pk]}, follow=True)
    assert "Nothing was changed" in nothing.content.decode() and fresh(failing) is not None
    assert client.post(URL.format(slug="alpha"), {"action": "explode"}).status_code == 302


def test_masking():
    assert email_masked("jane.doe@example.org") == "j***@example.org"
    assert email_masked("not-an-address") == "***"
    assert phone_masked("+1 217 555 0123") == "+1 •••• 0123"
    assert phone_masked("+442071838750") == "+44 •••• 8750"
    assert phone_masked("+353861234567") == "+353 •••• 4567"
    assert phone_masked("5550123") == "•••• 0123"
    assert recipient_masked("chat", "0b9f0c9e-1234-4abc-9def-00000000a1b2") == "…a1b2"
    error = ValueError("refused jane.doe@example.org at +1 217 555 0123 via https://user:pw@gw.example/x?token=abc")
    summary = error_summary(error)
    assert "jane.doe" not in summary and "555 0123" not in summary and "pw@" not in summary and "token" not in summary
    assert summary.startswith("ValueError: refused [email] at [phone] via https://gw.example/x")
    assert len(error_summary(RuntimeError("x" * 1000))) == 300
