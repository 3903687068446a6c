"""Held lines (outside the 24-hour window) on the channels page: an admin sends them anyway (through the
outbox, in the person's order, audited) or discards them (audited); another agency's admin can do
neither, even by posting the row's id."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from messaging.models import OutboundMessage
from tests.messaging.conftest import deliver, run_events
from tests.messaging.meta.helpers import say
from tests.messaging.meta.test_meta_outbound import _age, _news

pytestmark = pytest.mark.django_db


def _held(client, agency, connection):
    say(client, "Hi")
    run_events(agency)
    deliver(agency, connection)  # the greeting goes while the window is open
    _age(agency, 30)
    _news(agency, "Report SPR-7 was closed.")
    return OutboundMessage.objects.for_agency(agency).get(state="held")


def _decisions(row):
    return list(
        LogEntry.objects.filter(additional_data__outbound_message_id=row.pk).values_list("changes", "actor__username")
    )


def test_admin_sends_a_held_message_anyway_through_the_outbox_audited(
    client, client_for, agency_a, staff_a, whatsapp_a, meta
):
    held = _held(client, agency_a, whatsapp_a)
    url = reverse("messaging-staff", kwargs={"agency_slug": agency_a.slug})
    page = client_for(staff_a["admin"]).get(url)
    assert page.status_code == 200
    assert "Report SPR-7 was closed." in page.text and "16505551234" in page.text
    before = len(meta.sent("whatsapp"))
    response = client_for(staff_a["admin"]).post(url, {"action": "send_held", "message": [held.pk]})
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.state == "pending" and held.error == ""  # back in the outbox, not sent from the view
    assert len(meta.sent("whatsapp")) == before
    deliver(agency_a, whatsapp_a)
    held.refresh_from_db()
    assert held.state == "sent"
    sent = meta.sent("whatsapp")[before:]
    assert len(sent) == 1 and sent[0]["body"]["text"]["body"] == "Report SPR-7 was closed."
    changes, actor = _decisions(held)[0]
    assert actor == staff_a["admin"].username and "sent anyway" in str(changes)
    assert "Report SPR-7" not in client_for(staff_a["admin"]).get(url).text  # no longer listed as held


def test_admin_discards_a_held_message_audited(client, client_for, agency_a, staff_a, whatsapp_a, meta):
    held = _held(client, agency_a, whatsapp_a)
    url = reverse("messaging-staff", kwargs={"agency_slug": agency_a.slug})
    client_for(staff_a["admin"]).post(url, {"action": "discard_held", "message": [held.pk]})
    held.refresh_from_db()
    assert held.state == "failed" and "Discarded by" in held.error
    changes, actor = _decisions(held)[0]
    assert actor == staff_a["admin"].username and "discarded" in str(changes)


def test_another_agency_cannot_see_send_or_discard_a_held_message(
    client, client_for, agency_a, agency_b, staff_a, staff_b, whatsapp_a, meta
):
    held = _held(client, agency_a, whatsapp_a)
    url_b = reverse("messaging-staff", kwargs={"agency_slug": agency_b.slug})
    assert "Report SPR-7" not in client_for(staff_b["admin"]).get(url_b).text
    for action in ("send_held", "discard_held"):
        response = client_for(staff_b["admin"]).post(url_b, {"action": action, "message": [held.pk]})
        assert response.status_code == 302
        held.refresh_from_db()
        assert held.state == "held"
    # B's admin on A's page: A's page does not exist for them.
    url_a = reverse("messaging-staff", kwargs={"agency_slug": agency_a.slug})
    assert client_for(staff_b["admin"]).post(url_a, {"action": "send_held", "message": [held.pk]}).status_code == 404
    # A's supervisor is not an admin of the channels page.
    assert client_for(staff_a["supervisor"]).post(url_a, {"action": "send_held", "message": [held.pk]}).status_code in (
        403,
        404,
    )
    held.refresh_from_db()
    assert held.state == "held" and _decisions(held) == []
    deliver(agency_a, whatsapp_a)
    assert all("SPR-7" not in str(call["body"]) for call in meta.sent("whatsapp"))


def test_junk_ids_select_nothing(client, client_for, agency_a, staff_a, whatsapp_a, meta):
    held = _held(client, agency_a, whatsapp_a)
    url = reverse("messaging-staff", kwargs={"agency_slug": agency_a.slug})
    response = client_for(staff_a["admin"]).post(url, {"action": "send_held", "message": ["x", "-1", "9" * 40]})
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.state == "held"
