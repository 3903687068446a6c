"""The staff and citizen pages render and work through their forms."""

import json

import pytest
from django.core import mail
from django.urls import reverse

from crisis.models import Alert
from tenants.context import agency_context

pytestmark = pytest.mark.django_db


def test_compose_a_polygon_alert_through_the_page_and_follow_its_report(agency_a, staff_a, client_for, subscribe):
    subscribe(agency_a, address="x@example.org", lat=39.05, lon=-88.95, radius_km=1)
    client = client_for(staff_a["supervisor"])
    new = reverse("crisis:staff-alert-new", kwargs={"agency_slug": agency_a.slug})
    page = client.get(new)
    assert page.status_code == 200 and 'id="alert-map"' in page.text and "headline_es" in page.text
    form = {
        "event_en": "Flood",
        "severity": "Severe",
        "channels": ["web", "email"],
        "area_kind": "polygon",
        "area": json.dumps([[39.0, -89.0], [39.0, -88.9], [39.1, -88.9], [39.1, -89.0]]),
        "headline_en": "River flooding",
        "instruction_en": "Avoid the east bank.",
    }
    response = client.post(new, form)
    assert response.status_code == 302
    with agency_context(agency_a):
        alert = Alert.objects.get()
    assert alert.area_kind == "polygon" and alert.recipients == 1 and alert.created_by == staff_a["supervisor"]
    detail = client.get(response["Location"])
    assert detail.status_code == 200 and "Delivery report" in detail.text and alert.identifier in detail.text
    report = client.get(
        reverse("crisis:staff-alert-report", kwargs={"agency_slug": agency_a.slug, "alert_id": alert.pk})
    )
    assert report.json()["total"] in (0, 1)
    assert report.json()["status_display"] == str(alert.get_status_display())  # the page's Status follows it
    bad = client.post(new, {**form, "headline_es": "Inundación del río"})
    assert bad.status_code == 200 and "Write the instructions in Spanish too" in bad.text
    assert 'value="Inundación del río"' in bad.text  # what was typed comes back
    assert mail.outbox == []  # the fan-out runs on Celery (not here)
    for name in ("type=update", "type=cancel"):
        assert client.get(new + f"?references={alert.pk}&{name}").status_code == 200
    home = client.get(reverse("crisis:staff-home", kwargs={"agency_slug": agency_a.slug}))
    assert "River flooding" in home.text
    public = client.get(reverse("crisis:alerts", kwargs={"agency_slug": agency_a.slug}))
    assert public.status_code == 200 and "River flooding" in public.text
    assert (
        client.get(reverse("agency-staff-home", kwargs={"agency_slug": agency_a.slug})).text.count(
            "Crisis mode and alerts"
        )
        == 1
    )


def test_cap_sources_are_added_on_the_crisis_page(agency_a, staff_a, client_for):
    from crisis.models import CapSource

    client = client_for(staff_a["admin"])
    url = reverse("crisis:staff-home", kwargs={"agency_slug": agency_a.slug})
    form = {
        "action": "cap_source",
        "name": "County EOC",
        "kind": "feed",
        "allowed_senders": "eoc@county.gov",
        "min_severity": "Severe",
        "then": "crisis",
    }
    response = client.post(url, form)  # a feed without its URL
    assert response.status_code == 200 and "A feed needs its URL" in response.text
    with agency_context(agency_a):
        assert not CapSource.objects.exists()
    response = client.post(url, {**form, "kind": "push"}, follow=True)
    assert "The source&#x27;s key (shown once): cap_" in response.text or "shown once" in response.text
    with agency_context(agency_a):
        source = CapSource.objects.get()
        assert source.action == "crisis" and source.allowed_senders == ["eoc@county.gov"] and source.api_key_hash
    assert "Incoming CAP alerts" in response.text and "County EOC" in response.text


def test_only_a_second_person_is_offered_the_approve_button(agency_a, staff_a, client_for, subscribe):
    from crisis.services import alert_create, crisis_settings_update

    subscribe(agency_a, address="x@example.org")
    with agency_context(agency_a):
        crisis_settings_update(agency=agency_a, actor=staff_a["admin"], approval_threshold=0)
        alert = alert_create(
            agency=agency_a,
            actor=staff_a["supervisor"],
            texts={"en": {"headline": "Storm", "instruction": "Stay in."}},
            channels=["web", "email"],
        )
    assert alert.status == Alert.Status.PENDING
    url = reverse("crisis:staff-alert", kwargs={"agency_slug": agency_a.slug, "alert_id": alert.pk})
    approve = 'name="action" value="approve"'
    assert approve not in client_for(staff_a["supervisor"]).get(url).text  # the author
    assert approve in client_for(staff_a["admin"]).get(url).text


def test_the_approval_notice_says_person_for_one_and_people_for_more(agency_a, staff_a, client_for, subscribe):
    from django.utils import translation

    from crisis.services import alert_create, crisis_settings_update

    subscribe(agency_a, address="x@example.org")
    with agency_context(agency_a):
        crisis_settings_update(agency=agency_a, actor=staff_a["admin"], approval_threshold=0)
    client = client_for(staff_a["supervisor"])
    response = client.post(
        reverse("crisis:staff-alert-new", kwargs={"agency_slug": agency_a.slug}),
        {
            "event_en": "Storm",
            "severity": "Severe",
            "channels": ["email"],
            "area_kind": "whole",
            "headline_en": "Storm",
            "instruction_en": "Stay in.",
        },
        follow=True,
    )
    assert "This alert reaches 1 person: a second supervisor must approve it" in response.text
    assert "This alert reaches 1 person: another supervisor or administrator must approve it." in response.text
    subscribe(agency_a, address="y@example.org")
    with agency_context(agency_a):
        alert = alert_create(
            agency=agency_a,
            actor=staff_a["supervisor"],
            texts={"en": {"headline": "Storm 2", "instruction": "Stay in."}},
            channels=["email"],
        )
    page = client.get(reverse("crisis:staff-alert", kwargs={"agency_slug": agency_a.slug, "alert_id": alert.pk}))
    assert "This alert reaches 2 people: another supervisor or administrator must approve it." in page.text
    with translation.override("es"):
        from django.utils.translation import ngettext

        one = "This alert reaches %(n)s person: another supervisor or administrator must approve it."
        many = "This alert reaches %(n)s people: another supervisor or administrator must approve it."
        assert (
            ngettext(one, many, 1) % {"n": 1}
            == "Esta alerta llega a 1 persona: otro supervisor o administrador debe aprobarla."
        )
        assert (
            ngettext(one, many, 3) % {"n": 3}
            == "Esta alerta llega a 3 personas: otro supervisor o administrador debe aprobarla."
        )
