"""An alert's page names its channels in the staff member's language ("Correo electrónico", not "email"), in the
list of channels and in the delivery report the page and its script show."""

import pytest

from tenants.context import agency_context

pytestmark = pytest.mark.django_db


def test_the_alert_page_names_its_channels_in_the_staff_members_language(agency_a, staff_a, client_for, subscribe):
    from django.utils import translation

    from crisis.models import Delivery
    from crisis.services import delivery_report
    from tests.crisis.alerting import send

    subscribe(agency_a, channel="email", address="ann@example.org")
    alert = send(agency_a, staff_a["supervisor"], channels=["web", "email"])
    with agency_context(agency_a):
        Delivery.objects.filter(alert=alert).update(status=Delivery.Status.FAILED, error="bounced", permanent=True)
        with translation.override("es"):
            report = delivery_report(agency=agency_a, alert=alert)
    assert [row["channel"] for row in report["channels"]] == ["email"]  # the code stays for scripts
    assert [row["channel_label"] for row in report["channels"]] == ["Correo electrónico"]
    assert [failure["channel_label"] for failure in report["failures"]] == ["Correo electrónico"]

    client = client_for(staff_a["supervisor"])
    client.cookies["django_language"] = "es"
    page = client.get(f"/a/{agency_a.slug}/staff/crisis/alerts/{alert.pk}/").content.decode()
    assert "<dd>Aviso en la web y canal CAP, Correo electrónico</dd>" in page
    assert "<dd>web, email</dd>" not in page
    assert '<th scope="row">Correo electrónico</th>' in page
