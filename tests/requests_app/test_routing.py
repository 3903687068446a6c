"""Routing to departments (category and service areas), notifications, SLA breaches; idempotence;
and the real Celery worker doing it after commit."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from requests_app.models import Notification, ServiceRequest, StatusEvent
from requests_app.services import (
    OnDuplicate,
    Reporter,
    notifications_deliver,
    route_department,
    service_request_create,
    service_request_route,
    sla_mark_breaches,
)
from requests_app.tasks import route_service_request, sla_check, sla_check_all
from tenants.context import agency_context
from tests.probes import department_rename_task  # registered before the worker starts
from tests.requests_app.conftest import LAT, LONG

PARK = {
    "type": "Polygon",
    "coordinates": [[[-89.65, 39.78], [-89.64, 39.78], [-89.64, 39.79], [-89.65, 39.79], [-89.65, 39.78]]],
}


def file(agency, **kwargs):
    defaults = {
        "category": "pothole",
        "description": "Deep hole",
        "lat": LAT,
        "long": LONG,
        "attributes": {"size": "large"},
        "on_duplicate": OnDuplicate.FILE,
        "reporter": Reporter(email="ann@example.com"),
    }
    defaults.update(kwargs)
    with agency_context(agency):
        return service_request_create(agency=agency, **defaults).request


def set_email(agency, department):
    department.email = "roads@alpha.test"
    with agency_context(agency):
        department.save()


def test_route_by_category(catalogue_a, agency_a):
    roads = catalogue_a["roads"]
    set_email(agency_a, roads)
    request = file(agency_a)
    with agency_context(agency_a):
        assert service_request_route(agency=agency_a, request_id=request.pk).routed is True
        request.refresh_from_db()
        assert request.department == roads and request.routed_at
        recipients = sorted(Notification.objects.filter(request=request).values_list("recipient", flat=True))
    assert recipients == ["ann@example.com", "roads@alpha.test"]


def test_route_by_service_area(catalogue_a, agency_a):
    parks = catalogue_a["parks"]
    parks.service_area = PARK
    with agency_context(agency_a):
        parks.save()
    tree = catalogue_a["tree"]
    with agency_context(agency_a):
        assert route_department(category=tree, lat=LAT, long=LONG) == parks  # inside the park
        assert route_department(category=tree, lat=LAT + 0.05, long=LONG) == catalogue_a["roads"]
        assert route_department(category=tree, lat=None, long=None) == catalogue_a["roads"]
        # the pothole category has no area departments: always roads
        assert route_department(category=catalogue_a["pothole"], lat=LAT, long=LONG) == catalogue_a["roads"]
    request = file(agency_a, category="fallen-tree", attributes={})
    with agency_context(agency_a):
        service_request_route(agency=agency_a, request_id=request.pk)
        request.refresh_from_db()
    assert request.department == parks


def test_routing_is_idempotent(catalogue_a, agency_a):
    set_email(agency_a, catalogue_a["roads"])
    request = file(agency_a)
    with agency_context(agency_a):
        assert service_request_route(agency=agency_a, request_id=request.pk).notifications == 2
        assert not service_request_route(agency=agency_a, request_id=request.pk).routed
        assert StatusEvent.objects.filter(request=request, kind="routed").count() == 1
        assert Notification.objects.filter(request=request).count() == 2
        assert notifications_deliver(agency=agency_a, request_id=request.pk) == 2
        assert notifications_deliver(agency=agency_a, request_id=request.pk) == 0
    assert len(mail.outbox) == 2
    reporter_mail = next(m for m in mail.outbox if m.to == ["ann@example.com"])
    assert request.reference in reporter_mail.subject
    assert "/a/alpha/track/?reference=" in reporter_mail.body
    assert reporter_mail.extra_headers["List-Unsubscribe"].startswith("<http")


def test_routing_of_another_agencys_request_does_nothing(catalogue_a, agency_a, agency_b):
    request = file(agency_a)
    with agency_context(agency_b):
        assert service_request_route(agency=agency_b, request_id=request.pk).routed is False
    request.refresh_from_db()
    assert request.routed_at is None and request.department is None


def test_a_staff_assignment_is_kept(catalogue_a, agency_a):
    request = file(agency_a)
    with agency_context(agency_a):
        ServiceRequest.objects.for_agency(agency_a).filter(pk=request.pk).update(department=catalogue_a["parks"])
        service_request_route(agency=agency_a, request_id=request.pk)
        request.refresh_from_db()
    assert request.department == catalogue_a["parks"]


def test_failed_send_is_retried_not_lost(catalogue_a, agency_a, settings):
    request = file(agency_a)
    with agency_context(agency_a):
        service_request_route(agency=agency_a, request_id=request.pk)
        settings.EMAIL_BACKEND = "tests.requests_app.failing_mail.Backend"
        with pytest.raises(ConnectionError):
            notifications_deliver(agency=agency_a, request_id=request.pk)
        assert Notification.objects.filter(sent_at__isnull=True, attempts=1).count() == 1
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        assert notifications_deliver(agency=agency_a, request_id=request.pk) == 1
    assert len(mail.outbox) == 1


def test_sla_breach_marked_once_and_supervisor_told(catalogue_a, agency_a, agency_b, staff_a, staff_b):
    late = file(agency_a)
    on_time = file(agency_a, lat=LAT + 0.01)
    other = file(agency_a, lat=LAT + 0.02, category="fallen-tree", attributes={})  # no SLA
    past = timezone.now() - timedelta(hours=1)
    with agency_context(agency_a):
        ServiceRequest.objects.for_agency(agency_a).filter(pk=late.pk).update(sla_due_at=past)
        breached = sla_mark_breaches(agency=agency_a)
        assert [r.pk for r in breached] == [late.pk]
        assert sla_mark_breaches(agency=agency_a) == []
        late.refresh_from_db()
        on_time.refresh_from_db()
        other.refresh_from_db()
        assert late.sla_breached_at and not on_time.sla_breached_at and not other.sla_breached_at
        assert StatusEvent.objects.filter(request=late, kind="sla").count() == 1
        notification = Notification.objects.get(recipient=staff_a["supervisor"].email)
    assert late.reference in notification.body
    assert f"/a/alpha/staff/requests/{late.reference}/" in notification.body
    with agency_context(agency_b):
        assert sla_mark_breaches(agency=agency_b) == []


def test_closed_requests_never_breach(catalogue_a, agency_a, staff_a):
    from requests_app.services import service_request_transition

    request = file(agency_a)
    with agency_context(agency_a):
        service_request_transition(agency=agency_a, actor=None, request=request, to_status="resolved")
        ServiceRequest.objects.for_agency(agency_a).filter(pk=request.pk).update(
            sla_due_at=timezone.now() - timedelta(hours=5)
        )
        assert sla_mark_breaches(agency=agency_a) == []


def _wait_for(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.1)


def test_celery_routes_after_commit_and_emails(celery_worker, catalogue_a, agency_a):
    set_email(agency_a, catalogue_a["roads"])
    request = file(agency_a)  # transactional db: commits, so the on_commit .delay() runs
    _wait_for(lambda: len(mail.outbox) == 2)
    request.refresh_from_db()
    assert request.department == catalogue_a["roads"] and request.routed_at
    # the same task again (a redelivery) changes nothing and sends nothing
    route_service_request.delay(agency_id=agency_a.pk, request_id=request.pk)
    marker = file(agency_a, lat=LAT + 0.3)
    _wait_for(lambda: ServiceRequest.objects.unscoped().get(pk=marker.pk).routed_at is not None)
    _wait_for(lambda: len(mail.outbox) == 4)
    time.sleep(0.5)
    assert len(mail.outbox) == 4
    assert StatusEvent.objects.unscoped().filter(request=request, kind="routed").count() == 1


def test_celery_beat_entry_runs_sla_for_every_agency(
    celery_worker, catalogue_a, catalogue_b, agency_a, agency_b, staff_a, staff_b
):
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULE["requests-sla-check"]["task"] == "requests_app.sla_check_all"
    late_a = file(agency_a)
    late_b = file(agency_b)
    ServiceRequest.objects.unscoped().filter(pk__in=[late_a.pk, late_b.pk]).update(
        sla_due_at=timezone.now() - timedelta(minutes=1)
    )
    sla_check_all.delay()
    _wait_for(
        lambda: (
            ServiceRequest.objects.unscoped()
            .filter(pk__in=[late_a.pk, late_b.pk], sla_breached_at__isnull=False)
            .count()
            == 2
        )
    )
    _wait_for(lambda: {m.to[0] for m in mail.outbox} >= {staff_a["supervisor"].email, staff_b["supervisor"].email})
    sla_check.delay(agency_id=agency_a.pk)
    time.sleep(1)
    supervisor_mails = [m for m in mail.outbox if m.to == [staff_a["supervisor"].email]]
    assert len(supervisor_mails) == 1


def test_sla_check_routes_requests_whose_task_was_lost(celery_worker, catalogue_a, agency_a):
    from django.db import transaction

    with transaction.atomic():  # filed, but its on-commit task "lost": run the callbacks nowhere
        request = file(agency_a)
        transaction.get_connection().run_on_commit = []
    ServiceRequest.objects.unscoped().filter(pk=request.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert ServiceRequest.objects.unscoped().get(pk=request.pk).routed_at is None
    sla_check.delay(agency_id=agency_a.pk)
    _wait_for(lambda: ServiceRequest.objects.unscoped().get(pk=request.pk).routed_at is not None)


def test_a_batch_routes_every_waiting_request_once(catalogue_a, agency_a, agency_b, catalogue_b):
    from auditlog.models import LogEntry

    from requests_app.services import service_requests_route

    roads = catalogue_a["roads"]
    set_email(agency_a, roads)
    waiting = [file(agency_a, lat=LAT + i * 0.001) for i in range(5)]
    duplicate = file(agency_a, on_duplicate=OnDuplicate.LINK)  # linked to waiting[0]: never routed itself
    theirs = file(agency_b)
    with agency_context(agency_a):
        batch = service_requests_route(agency=agency_a)
        assert sorted(batch.routed) == sorted(r.pk for r in waiting)
        assert batch.notifications == 10  # the department and the reporter, for each
        assert service_requests_route(agency=agency_a).routed == []  # nothing twice
        assert StatusEvent.objects.filter(kind="routed").count() == 5
        entries = LogEntry.objects.filter(object_id__in=[r.pk for r in waiting], action=LogEntry.Action.UPDATE)
        assert entries.count() == 5
        for request in waiting:
            request.refresh_from_db()
            assert request.department == roads and request.routed_at
            entry = entries.get(object_id=request.pk)
            assert set(entry.changes) == {"department", "routed_at"}
            assert entry.additional_data == {"agency_id": agency_a.pk}
    duplicate.refresh_from_db()
    theirs.refresh_from_db()
    assert duplicate.routed_at is None and theirs.routed_at is None and theirs.department is None


def test_batch_audit_entries_match_auditlogs_own(catalogue_a, agency_a, staff_a):
    """The entries written for a bulk update are those auditlog writes for a save()."""
    from auditlog.context import set_actor
    from auditlog.models import LogEntry

    from tenants.audit import audit_updates

    first, second = file(agency_a), file(agency_a, lat=LAT + 0.01)
    now = timezone.now()
    actor = staff_a["agent"]
    with agency_context(agency_a), set_actor(actor, remote_addr="192.0.2.7"):
        first.department, first.routed_at = catalogue_a["roads"], now
        first.save(update_fields=["department", "routed_at"])
        old = ServiceRequest.objects.get(pk=second.pk)
        second.department, second.routed_at = catalogue_a["roads"], now
        audit_updates([(old, second)], fields=["department", "routed_at"])
        own = LogEntry.objects.filter(object_id=first.pk, action=LogEntry.Action.UPDATE).get()
        bulk = LogEntry.objects.filter(object_id=second.pk, action=LogEntry.Action.UPDATE).get()
    for name in ("changes", "additional_data", "actor_id", "actor_email", "remote_addr", "content_type_id"):
        assert getattr(bulk, name) == getattr(own, name), name
    assert bulk.object_repr == str(second)


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_reports_queues_one_routing_run(catalogue_a, agency_a):
    """Filing claims the agency's next routing run: a burst of reports queues one task, and once
    the run has started (given up its claim) the next report queues another."""
    import redis
    from django.conf import settings

    from requests_app.services import route_pending_claim

    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    route_pending_claim(agency_id=agency_a.pk)
    before = broker.llen("celery")
    try:
        for i in range(5):
            file(agency_a, lat=LAT + i * 0.001)
        assert broker.llen("celery") == before + 1
        route_pending_claim(agency_id=agency_a.pk)
        file(agency_a, lat=LAT + 0.01)
        assert broker.llen("celery") == before + 2
    finally:
        broker.delete("celery")
        route_pending_claim(agency_id=agency_a.pk)


def test_celery_routes_a_burst_of_reports(celery_worker, catalogue_a, agency_a):
    set_email(agency_a, catalogue_a["roads"])
    burst = [file(agency_a, lat=LAT + i * 0.001) for i in range(12)]
    ids = [r.pk for r in burst]
    _wait_for(lambda: ServiceRequest.objects.unscoped().filter(pk__in=ids, routed_at__isnull=False).count() == 12)
    _wait_for(lambda: len(mail.outbox) == 24)
    assert StatusEvent.objects.unscoped().filter(request_id__in=ids, kind="routed").count() == 12


def test_a_task_never_inherits_the_actor_of_an_earlier_task_in_its_worker(
    celery_worker, catalogue_a, catalogue_b, agency_a, agency_b, staff_a
):
    """One worker runs agency A's task on behalf of A's supervisor, then routes a report of agency B:
    B's routing entries (the bulk audit path) name no actor, not A's supervisor."""
    from auditlog.models import LogEntry

    from tenants.models import Department

    roads_a = catalogue_a["roads"]
    department_rename_task.delay(
        agency_id=agency_a.pk, actor_id=staff_a["supervisor"].pk, department_id=roads_a.pk, name="Renamed by A"
    )
    _wait_for(lambda: Department.objects.unscoped().get(pk=roads_a.pk).name == "Renamed by A")
    theirs = file(agency_b)
    _wait_for(lambda: ServiceRequest.objects.unscoped().get(pk=theirs.pk).routed_at is not None)
    entries = LogEntry.objects.filter(object_id=theirs.pk, action=LogEntry.Action.UPDATE, changes__has_key="routed_at")
    assert entries.count() == 1
    assert entries.get().actor_id is None
    renamed = LogEntry.objects.get_for_object(roads_a).order_by("-pk").first()
    assert renamed.actor_id == staff_a["supervisor"].pk
