"""Alert e-mails through Postmark's HTTP API (CRISIS_EMAIL_PROVIDER=postmark) against a local Postmark
(messaging/fakes/postmark.py): the outbox id travels in the message's metadata, an in-doubt row (its sender was
killed) is looked up in the outbound message search before it is resent, refused addresses fail for good,
transient failures are retried, and one agency's sender never sends another's alert. Postmark's own Python client
(postmarker) checks both sides of the protocol."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from postmarker.core import PostmarkClient
from postmarker.exceptions import ClientError

from crisis.models import Alert, Delivery, Subscription
from crisis.services import alert_create, alert_fan_out, deliveries_send, deliveries_sweep
from tenants.context import agency_context
from tests.crisis.alerting import EN, send

pytestmark = pytest.mark.django_db


def _rows(alert) -> dict[str, Delivery]:
    return {r.subscription.address: r for r in Delivery.objects.filter(alert=alert).select_related("subscription")}


def _kill_mid_send(alert) -> None:
    """What a SIGKILL between Postmark's answer and the rows' update leaves: leased rows past their lease, no
    provider id; the sweep then puts them back in doubt."""
    Delivery.objects.filter(alert=alert).update(
        status="sending", lease_until=timezone.now() - timedelta(seconds=1), provider_id="", sent_at=None
    )
    Alert.objects.filter(pk=alert.pk).update(status=Alert.Status.SENDING)


def test_alert_emails_go_through_postmark_with_the_outbox_id_in_metadata(agency_a, staff_a, subscribe, postmark):
    subscribe(agency_a, address="ann@example.org")
    alert = send(agency_a, staff_a["supervisor"], channels=["email"])
    assert mail.outbox == []  # not over SMTP
    assert len(postmark.messages) == 1
    message = postmark.messages[0]
    with agency_context(agency_a):
        row = Delivery.objects.get(alert=alert)
    key = f"civicdesk-delivery-{row.pk}"
    assert message["Recipients"] == ["ann@example.org"] and message["Metadata"] == {"outbox": key}
    assert message["headers"]["Message-ID"].startswith(f"<{key}@")
    assert message["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Flash flood warning" in message["Subject"] and "Move to higher ground" in message["TextBody"]
    assert row.status == "sent" and row.provider_id == message["MessageID"]
    assert postmark.calls[0]["body"]["MessageStream"] == "outbound"


def test_an_email_postmark_took_before_the_worker_died_is_not_sent_again(agency_a, staff_a, subscribe, postmark):
    """Both rows in doubt after the sweep: the one Postmark already has is found by its outbox id and marked sent
    with the found MessageID; the one Postmark never got is sent, once."""
    subscribe(agency_a, address="taken@example.org")
    subscribe(agency_a, address="lost@example.org")
    with agency_context(agency_a):
        alert = alert_create(agency=agency_a, actor=staff_a["supervisor"], texts=EN, channels=["email"])
        alert_fan_out(agency=agency_a, alert_id=alert.pk)
        deliveries_send(agency=agency_a, alert_id=alert.pk, channel="email")
        assert len(postmark.messages) == 2
        kept = next(m for m in postmark.messages if m["Recipients"] == ["taken@example.org"])
        postmark.messages[:] = [kept]  # the second message never reached Postmark
        postmark.by_metadata.clear()
        postmark.by_metadata[("outbox", kept["Metadata"]["outbox"])].append(kept)
        _kill_mid_send(alert)
    assert deliveries_sweep()["released"] == 2
    with agency_context(agency_a):
        assert Delivery.objects.filter(alert=alert, in_doubt=True).count() == 2
        deliveries_send(agency=agency_a, alert_id=alert.pk, channel="email")
        rows = _rows(alert)
        assert Alert.objects.get(pk=alert.pk).status == Alert.Status.SENT
    assert sorted(r for m in postmark.messages for r in m["Recipients"]) == ["lost@example.org", "taken@example.org"]
    assert rows["taken@example.org"].provider_id == kept["MessageID"]
    assert all(r.status == "sent" and not r.in_doubt for r in rows.values())
    posts = [c for c in postmark.calls if c["method"] == "email"]
    assert len(posts) == 3  # two first sends and the one resend; the found message was not posted again
    searches = [c["query"] for c in postmark.calls if c["method"] == "search"]
    assert sorted(q["metadata_outbox"] for q in searches) == sorted(
        r.provider_id and f"civicdesk-delivery-{r.pk}" for r in rows.values()
    )


def test_an_in_doubt_email_is_not_resent_while_postmark_cannot_be_searched(agency_a, staff_a, subscribe, postmark):
    """The look-up fails (Postmark down): the row waits for a later try instead of risking a second copy."""
    subscribe(agency_a, address="wait@example.org")
    with agency_context(agency_a):
        alert = alert_create(agency=agency_a, actor=staff_a["supervisor"], texts=EN, channels=["email"])
        alert_fan_out(agency=agency_a, alert_id=alert.pk)
        deliveries_send(agency=agency_a, alert_id=alert.pk, channel="email")
        _kill_mid_send(alert)
    deliveries_sweep()
    postmark.fail = True
    with agency_context(agency_a):
        deliveries_send(agency=agency_a, alert_id=alert.pk, channel="email")
        row = Delivery.objects.get(alert=alert)
        assert row.status == "queued" and row.in_doubt and row.next_attempt_at > timezone.now()
        postmark.fail = False
        Delivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
        deliveries_send(agency=agency_a, alert_id=alert.pk, channel="email")
        row.refresh_from_db()
    assert len(postmark.messages) == 1 and row.status == "sent" and row.provider_id == postmark.messages[0]["MessageID"]


def test_a_message_with_the_same_outbox_id_to_someone_else_does_not_count(agency_a, staff_a, subscribe, postmark):
    """Another installation sharing the Postmark server could have used the same id: only a message to this
    subscriber's address is taken as this row's."""
    subscribe(agency_a, address="mine@example.org")
    with agency_context(agency_a):
        alert = alert_create(agency=agency_a, actor=staff_a["supervisor"], texts=EN, channels=["email"])
        alert_fan_out(agency=agency_a, alert_id=alert.pk)
        key = f"civicdesk-delivery-{Delivery.objects.get(alert=alert).pk}"
    other = PostmarkClient(server_token=postmark.server_token, root_api_url=postmark.url)
    other.emails.send(From="x@example.org", To="else@example.org", Subject="x", TextBody="x", Metadata={"outbox": key})
    with agency_context(agency_a):
        Delivery.objects.filter(alert=alert).update(in_doubt=True)
        deliveries_send(agency=agency_a, alert_id=alert.pk, channel="email")
        row = Delivery.objects.get(alert=alert)
    assert postmark.recipients["mine@example.org"] == 1 and row.status == "sent"


def test_refused_addresses_fail_for_good_and_transient_errors_are_retried(agency_a, staff_a, subscribe, postmark):
    """A malformed address (422, ErrorCode 300) and an inactive one (422, ErrorCode 406) fail at the first try and
    mark the subscription; a 503 leaves the row queued with a backoff; the good address arrives once."""
    bad = subscribe(agency_a, address="not-an-address")
    bounced = subscribe(agency_a, address="bounced@example.org")
    subscribe(agency_a, address="good@example.org")
    postmark.inactive.add("bounced@example.org")
    alert = send(agency_a, staff_a["supervisor"], channels=["email"])
    with agency_context(agency_a):
        rows = _rows(alert)
        for address in ("not-an-address", "bounced@example.org"):
            assert rows[address].status == "failed" and rows[address].permanent and rows[address].attempts == 1
        assert "Postmark error 300" in rows["not-an-address"].error
        assert "Postmark error 406" in rows["bounced@example.org"].error
        assert Subscription.objects.filter(pk__in=[bad.pk, bounced.pk], rejected_at__isnull=False).count() == 2
        assert rows["good@example.org"].status == "sent"
    assert [m["Recipients"] for m in postmark.messages] == [["good@example.org"]]

    subscribe(agency_a, address="later@example.org")
    postmark.fail = True
    alert = send(agency_a, staff_a["supervisor"], channels=["email"])
    with agency_context(agency_a):
        rows = _rows(alert)
        assert set(rows) == {"later@example.org", "good@example.org"}  # the refused addresses are not tried again
        assert all(
            r.status == "queued" and not r.permanent and r.next_attempt_at > timezone.now() for r in rows.values()
        )
        postmark.fail = False
        Delivery.objects.filter(alert=alert).update(next_attempt_at=timezone.now())
        deliveries_send(agency=agency_a, alert_id=alert.pk, channel="email")
    assert postmark.recipients["later@example.org"] == 1 and postmark.recipients["good@example.org"] == 2


def test_cannot_send_other_agencys_alert_email(agency_a, staff_a, agency_b, subscribe, postmark):
    """Agency B's sender task given A's alert id sends nothing and leaves A's rows as they were (a task for an
    alert that is not the agency's finds no alert under B's scope); A's own sender then sends it once."""
    subscribe(agency_a, address="a-only@example.org")
    with agency_context(agency_a):
        alert = alert_create(agency=agency_a, actor=staff_a["supervisor"], texts=EN, channels=["email"])
        alert_fan_out(agency=agency_a, alert_id=alert.pk)
    with agency_context(agency_b):
        assert deliveries_send(agency=agency_b, alert_id=alert.pk, channel="email") == 0
    assert postmark.messages == []
    with agency_context(agency_a):
        assert Delivery.objects.get(alert=alert).status == "queued"
        assert deliveries_send(agency=agency_a, alert_id=alert.pk, channel="email") == 1
    assert postmark.recipients == {"a-only@example.org": 1}


def test_postmarks_own_client_speaks_to_the_local_server_and_reads_our_messages(agency_a, staff_a, subscribe, postmark):
    """postmarker (Postmark's Python client, pointed at the local server): its sends are accepted and its error
    handling reads our 422s; its outbound search parses the message our outbox sent, metadata included."""
    subscribe(agency_a, address="pm@example.org")
    alert = send(agency_a, staff_a["supervisor"], channels=["email"])
    client = PostmarkClient(server_token=postmark.server_token, root_api_url=postmark.url)
    found = client.messages.outbound.all(count=10, recipient="pm@example.org")
    with agency_context(agency_a):
        row = Delivery.objects.get(alert=alert)
    assert [m.MessageID for m in found] == [row.provider_id]
    assert found[0].Metadata == {"outbox": f"civicdesk-delivery-{row.pk}"} and found[0].Status == "Sent"

    sent = client.emails.send(From="ops@example.org", To="x@example.org", Subject="s", TextBody="b")
    assert sent["ErrorCode"] == 0 and sent["MessageID"]
    with pytest.raises(ClientError) as refused:
        client.emails.send(From="ops@example.org", To="nobody", Subject="s", TextBody="b")
    assert refused.value.error_code == 300
    with pytest.raises(ClientError) as unauthorised:
        PostmarkClient(server_token="wrong", root_api_url=postmark.url).emails.send(
            From="ops@example.org", To="x@example.org", Subject="s", TextBody="b"
        )
    assert unauthorised.value.error_code == 10
