"""Crisis beat jobs under row-level security: run as a beat worker runs them (no agency, no cross-agency
block inherited from the test), they still find the work of every agency, because each reads across
agencies through `cross_agency(reason=…)` and acts inside the agency. Without it PostgreSQL shows them
nothing and crisis mode never ends, scheduled alerts never go out and a killed worker's rows stay leased."""

from datetime import timedelta

import pytest
from django.utils import timezone

from crisis.models import Alert, Delivery
from crisis.services import (
    alert_create,
    alert_fan_out,
    alerts_dispatch_due,
    crisis_end_due,
    crisis_turn_on,
    deliveries_sweep,
)
from tenants.context import agency_context
from tenants.models import Agency
from tests.workers import as_a_beat_worker

pytestmark = pytest.mark.django_db
EN = {"en": {"headline": "Flash flood warning", "instruction": "Move to higher ground now."}}


def test_crisis_mode_ends_in_every_agency(agency_a, agency_b, staff_a, staff_b):
    now = timezone.now()
    for agency, staff in ((agency_a, staff_a), (agency_b, staff_b)):
        with agency_context(agency):
            crisis_turn_on(agency=agency, actor=staff["admin"], message="Storm", until=now + timedelta(minutes=5))
    with as_a_beat_worker():
        assert sorted(crisis_end_due(now=now + timedelta(minutes=6))) == sorted([agency_a.pk, agency_b.pk])
    assert not Agency.objects.filter(pk__in=[agency_a.pk, agency_b.pk], crisis_mode=True).exists()


def test_scheduled_alerts_of_every_agency_go_out(agency_a, agency_b, staff_a, staff_b, _no_real_queue):
    alerts = []
    for agency, staff in ((agency_a, staff_a), (agency_b, staff_b)):
        with agency_context(agency):
            alert = alert_create(
                agency=agency,
                actor=staff["supervisor"],
                texts=EN,
                channels=["email"],
                send_at=timezone.now() + timedelta(minutes=5),
            )
            assert Alert.objects.get(pk=alert.pk).status == Alert.Status.SCHEDULED
            alerts.append((agency, alert))
    with as_a_beat_worker():
        assert alerts_dispatch_due(now=timezone.now() + timedelta(minutes=6)) == 2
    for agency, alert in alerts:
        with agency_context(agency):
            assert Alert.objects.get(pk=alert.pk).status == Alert.Status.SENDING


def test_a_killed_workers_leases_are_released_in_every_agency(agency_a, agency_b, staff_a, staff_b, subscribe):
    for agency, staff in ((agency_a, staff_a), (agency_b, staff_b)):
        subscribe(agency, address=f"k@{agency.slug}.example.org")
        with agency_context(agency):
            alert = alert_create(agency=agency, actor=staff["supervisor"], texts=EN, channels=["email"])
            alert_fan_out(agency=agency, alert_id=alert.pk)
            Delivery.objects.filter(alert=alert).update(
                status="sending", lease_until=timezone.now() - timedelta(seconds=1)
            )
    with as_a_beat_worker():
        assert deliveries_sweep()["released"] == 2
    for agency in (agency_a, agency_b):
        with agency_context(agency):
            assert Delivery.objects.get().status == Delivery.Status.QUEUED
