"""Audit entries record the actor for web requests, API calls, socket events and Celery tasks, and
carry the agency so each agency sees its own trail."""

import pytest
from auditlog.models import LogEntry
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.urls import path, reverse

from tenants.consumers import CLOSE_UNKNOWN_AGENCY
from tenants.models import Department
from tests.probes import DepartmentRenameConsumer, department_rename_task


def latest_entry_for(obj) -> LogEntry:
    return LogEntry.objects.get_for_object(obj).order_by("-timestamp", "-pk").first()


def dept(agency, slug="roads"):
    return Department.objects.for_agency(agency).get(slug=slug)


def test_web_request_records_actor_and_agency(staff_a, agency_a, client_for):
    target = dept(agency_a)
    client = client_for(staff_a["admin"])
    response = client.post(
        reverse("admin:tenants_department_change", args=[target.pk]),
        {"name": "Road Repairs", "slug": "roads", "is_active": "on"},
    )
    assert response.status_code == 302
    entry = latest_entry_for(target)
    assert entry.actor == staff_a["admin"]
    assert entry.additional_data == {"agency_id": agency_a.pk}
    assert entry.changes_dict["name"] == ["Alpha City Roads", "Road Repairs"]


def test_api_call_records_actor(staff_a, staff_b, agency_a, client_for, settings):
    settings.ROOT_URLCONF = "tests.probes"
    target = dept(agency_a)
    client = client_for(staff_a["agent"])
    response = client.patch(
        f"/api/v1/a/alpha/probe/departments/{target.pk}/", {"name": "Via API"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert latest_entry_for(target).actor == staff_a["agent"]


def test_api_of_another_agency_is_404_and_changes_nothing(staff_a, staff_b, agency_a, client_for, settings):
    settings.ROOT_URLCONF = "tests.probes"
    target = dept(agency_a)
    client = client_for(staff_b["admin"])
    for url in (f"/api/v1/a/alpha/probe/departments/{target.pk}/", f"/api/v1/a/beta/probe/departments/{target.pk}/"):
        response = client.patch(url, {"name": "Hijack"}, content_type="application/json")
        assert response.status_code == 404
    target.refresh_from_db()
    assert target.name == "Alpha City Roads"


def probe_application():
    return URLRouter([path("ws/a/<str:agency_slug>/probe/", DepartmentRenameConsumer.as_asgi())])


@pytest.mark.django_db(transaction=True)
async def test_socket_event_records_actor(staff_a, agency_a):
    from channels.db import database_sync_to_async

    target = await database_sync_to_async(dept)(agency_a)
    communicator = WebsocketCommunicator(probe_application(), "/ws/a/alpha/probe/")
    communicator.scope["user"] = staff_a["agent"]
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_json_to({"department_id": target.pk, "name": "Via socket"})
    assert await communicator.receive_json_from(timeout=5) == {"type": "renamed", "name": "Via socket"}
    await communicator.disconnect()
    entry = await database_sync_to_async(latest_entry_for)(target)
    assert entry.actor_id == staff_a["agent"].pk


@pytest.mark.django_db(transaction=True)
async def test_socket_of_one_agency_cannot_touch_another(staff_a, agency_b, staff_b):
    from channels.db import database_sync_to_async

    target = await database_sync_to_async(dept)(agency_b)
    communicator = WebsocketCommunicator(probe_application(), "/ws/a/alpha/probe/")
    communicator.scope["user"] = staff_a["admin"]
    await communicator.connect()
    await communicator.send_json_to({"department_id": target.pk, "name": "Hijack"})
    assert await communicator.receive_json_from(timeout=5) == {"type": "renamed", "name": None}
    await communicator.disconnect()
    await database_sync_to_async(target.refresh_from_db)()
    assert target.name == "Beta State Revenue Roads"


@pytest.mark.django_db(transaction=True)
async def test_socket_unknown_agency_is_closed(db):
    communicator = WebsocketCommunicator(probe_application(), "/ws/a/nope/probe/")
    connected, code = await communicator.connect()
    assert not connected
    assert code == CLOSE_UNKNOWN_AGENCY


@pytest.mark.django_db(transaction=True)
async def test_socket_bad_frames_get_error_and_stay_open(staff_a):
    communicator = WebsocketCommunicator(probe_application(), "/ws/a/alpha/probe/")
    communicator.scope["user"] = staff_a["agent"]
    await communicator.connect()
    await communicator.send_to(text_data="not json")
    assert (await communicator.receive_json_from())["code"] == "bad_json"
    await communicator.send_to(text_data="x" * 20000)
    assert (await communicator.receive_json_from())["code"] == "too_large"
    await communicator.send_to(text_data="[1, 2]")
    assert (await communicator.receive_json_from())["code"] == "bad_json"
    await communicator.disconnect()


def test_celery_task_records_actor(celery_worker, staff_a, agency_a):
    target = dept(agency_a)
    result = department_rename_task.apply_async(
        kwargs={
            "agency_id": agency_a.pk,
            "actor_id": staff_a["caseworker"].pk,
            "department_id": target.pk,
            "name": "Via Celery",
        }
    )
    _wait_for(lambda: Department.objects.unscoped().get(pk=target.pk).name == "Via Celery")
    assert result.id
    entry = latest_entry_for(target)
    assert entry.actor == staff_a["caseworker"]
    assert entry.additional_data == {"agency_id": agency_a.pk}


def test_celery_task_is_scoped_to_its_agency(celery_worker, staff_a, agency_a, agency_b):
    foreign = dept(agency_b)
    department_rename_task.apply_async(kwargs={"agency_id": agency_a.pk, "department_id": foreign.pk, "name": "Hijack"})
    marker = dept(agency_a, "parks")
    department_rename_task.apply_async(kwargs={"agency_id": agency_a.pk, "department_id": marker.pk, "name": "Done"})
    _wait_for(lambda: Department.objects.unscoped().get(pk=marker.pk).name == "Done")
    foreign.refresh_from_db()
    assert foreign.name == "Beta State Revenue Roads"


def _wait_for(condition, timeout: float = 20.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.1)
