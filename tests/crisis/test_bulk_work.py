"""A broadcast leaves the CPU to the chat: bulk tasks on their own queue, a worker of that queue that lowers its
own priority, a fan-out in chunks that yield, senders that wait for the fan-out's next chunk, and a sweep that
costs a few statements when nothing is due (bench/crisis/RESULTS.md measures the CPU)."""

import os
import subprocess
import sys
import time

import psutil
import pytest
from django.conf import settings

from crisis.models import Alert, Delivery
from crisis.services import alert_create, alert_fan_out, deliveries_send, deliveries_sweep, recipients_count
from crisis.services import delivery as delivery_module
from crisis.services import fan_out as fan_out_module
from portal.celery import app as celery_app
from tenants.context import agency_context
from tests.crisis.alerting import EN, SQUARE
from tests.workers import as_a_beat_worker

pytestmark = pytest.mark.django_db


def test_fan_out_and_senders_go_to_the_bulk_queue_and_the_sweep_does_not():
    router = celery_app.amqp.router
    for name in ("crisis.alert_fan_out", "crisis.deliveries_send"):
        assert router.route({}, name)["queue"].name == settings.CELERY_BULK_QUEUE == "bulk"
    for name in ("crisis.sweep", "messaging.sweep"):
        assert router.route({}, name)["queue"].name == "celery"
    assert "bulk" in {queue.name for queue in settings.CELERY_TASK_QUEUES}


def _worker_nice(queues: str | None, tmp_path) -> tuple[int, list[int]]:
    """Start a real worker (`-Q queues`, or none: every queue) with CELERY_BULK_NICE=15; its niceness and its
    pool's once it is up."""
    env = {**os.environ, "CELERY_BULK_NICE": "15", "DJANGO_SETTINGS_MODULE": "portal.settings"}
    env.pop("PYTEST_CURRENT_TEST", None)
    command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "--concurrency", "2", "--loglevel", "INFO"]
    command += ["--without-gossip", "--without-mingle", "--hostname", f"nice-{queues}-{os.getpid()}@%h"]
    if queues:
        command += ["-Q", queues]
    log = open(tmp_path / f"worker-{queues}.log", "w+")  # noqa: SIM115 - the child writes to it
    worker = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while "ready." not in (tmp_path / f"worker-{queues}.log").read_text():
            assert worker.poll() is None and time.monotonic() < deadline, (
                tmp_path / f"worker-{queues}.log"
            ).read_text()
            time.sleep(0.3)
        process = psutil.Process(worker.pid)
        return process.nice(), [child.nice() for child in process.children()]
    finally:
        worker.terminate()
        worker.wait(60)


def test_a_worker_of_the_bulk_queue_alone_lowers_its_priority_and_others_do_not(tmp_path):
    own = os.getpriority(os.PRIO_PROCESS, 0)
    if own >= 15:
        pytest.skip("the test runs at niceness 15 or more: nothing to lower")
    nice, pool = _worker_nice("bulk", tmp_path)
    assert nice == 15 and len(pool) == 2 and set(pool) == {15}
    nice, pool = _worker_nice("celery,messaging-deliver", tmp_path)
    assert nice == own and set(pool) == {own}


def test_the_stack_runs_a_bulk_worker_beside_the_main_one():
    from portal import stack

    main = stack.worker_command(concurrency=2, hostname="w@h", queues=stack.worker_queues())
    bulk = stack.bulk_worker_command(hostname="b@h")
    assert main[-2:] == ["-Q", "celery,messaging-deliver"]
    assert bulk[-2:] == ["-Q", "bulk"] and str(settings.CELERY_BULK_CONCURRENCY) in bulk


def test_the_fan_out_writes_in_chunks_that_yield_and_starts_senders_after_the_first(
    agency_a, agency_b, staff_a, subscribe, settings, monkeypatch, _no_real_queue, sms_gateway
):
    settings.CRISIS_FAN_OUT_CHUNK, settings.CRISIS_FAN_OUT_YIELD = 3, 2.0
    for n in range(4):  # ids interleaved with another agency's subscribers
        subscribe(agency_a, address=f"a{n}@example.org")
        subscribe(agency_b, address=f"b{n}@example.org")
    subscribe(agency_a, channel="sms", address="+15550001")
    subscribe(agency_a, address="in@example.org", lat=39.05, lon=-88.95, radius_km=0.5)
    subscribe(agency_a, address="far@example.org", lat=40.0, lon=-88.0, radius_km=1)
    pauses, seen = [], []

    def pause(seconds):
        pauses.append(seconds)
        with agency_context(agency_a):
            seen.append((Delivery.objects.count(), len([q for q in _no_real_queue if q[0] == "send"])))

    monkeypatch.setattr(fan_out_module.time, "sleep", pause)
    with agency_context(agency_a):
        alert = alert_create(agency=agency_a, actor=staff_a["supervisor"], texts=EN, channels=["email", "sms"])
        assert alert.recipients == 7  # counted by PostgreSQL: a whole-jurisdiction alert reaches every place
        assert alert_fan_out(agency=agency_a, alert_id=alert.pk) == 7  # a whole-jurisdiction alert reaches all 7
        # 7 subscriptions in chunks of 3: two pauses (none after the last, short chunk), twice the chunk's time
        assert len(pauses) == 2 and all(p > 0 for p in pauses)
        sends = [kw for kind, kw in _no_real_queue if kind == "send"]
        assert {kw["channel"] for kw in sends} == {"email", "sms"}
        assert len(sends) == 2 * settings.CRISIS_SENDERS_PER_CHANNEL  # after the first chunk, not again at the end
        assert alert_fan_out(agency=agency_a, alert_id=alert.pk) == 0  # repeated: nothing twice
        assert Delivery.objects.filter(alert=alert).count() == 7
        alert.refresh_from_db()
        assert alert.recipients == 7 and alert.fanned_out_at is not None
    assert seen[0] == (3, 2 * settings.CRISIS_SENDERS_PER_CHANNEL)  # senders queued after the first chunk
    with agency_context(agency_b):
        assert not Delivery.objects.exists()  # agency B's subscribers got no row from A's alert
        assert alert_fan_out(agency=agency_b, alert_id=alert.pk) == 0  # A's alert is not B's to fan out


def test_an_area_alert_counts_and_fans_out_the_same_subscribers(agency_a, staff_a, subscribe, settings):
    settings.CRISIS_FAN_OUT_CHUNK = 2
    subscribe(agency_a, address="in@example.org", lat=39.05, lon=-88.95, radius_km=0.5)
    subscribe(agency_a, address="near@example.org", lat=39.05, lon=-88.88, radius_km=3)
    subscribe(agency_a, address="far@example.org", lat=40.0, lon=-88.0, radius_km=1)
    subscribe(agency_a, address="all@example.org")
    gone = subscribe(agency_a, address="gone@example.org")
    with agency_context(agency_a):
        gone.unsubscribed_at = gone.confirmed_at
        gone.save()
        alert = alert_create(
            agency=agency_a, actor=staff_a["supervisor"], texts=EN, channels=["email"], area_kind="polygon", area=SQUARE
        )
        assert recipients_count(agency=agency_a, alert=alert) == 3
        alert_fan_out(agency=agency_a, alert_id=alert.pk)
        addresses = set(Delivery.objects.filter(alert=alert).values_list("subscription__address", flat=True))
    assert addresses == {"in@example.org", "near@example.org", "all@example.org"}


def test_a_sender_started_before_the_fan_out_ends_waits_for_its_rows(
    agency_a, staff_a, subscribe, monkeypatch, settings
):
    from django.core import mail

    settings.CRISIS_FAN_OUT_YIELD = 0

    for n in range(3):
        subscribe(agency_a, address=f"w{n}@example.org")
    with agency_context(agency_a):
        alert = alert_create(agency=agency_a, actor=staff_a["supervisor"], texts=EN, channels=["email"])
    waits = []

    def fan_out_meanwhile(seconds):  # the sender sleeps (no spinning) while the fan-out writes its rows
        waits.append(seconds)
        if len(waits) == 2:
            with agency_context(agency_a):
                alert_fan_out(agency=agency_a, alert_id=alert.pk)

    monkeypatch.setattr(delivery_module.time, "sleep", fan_out_meanwhile)  # the time module's: the fan-out's too
    with agency_context(agency_a):
        assert deliveries_send(agency=agency_a, alert_id=alert.pk, channel="email", budget_s=30) == 3
        alert.refresh_from_db()
    assert waits[:2] == [delivery_module.FAN_OUT_WAIT_S] * 2 and alert.status == Alert.Status.SENT
    assert sorted(m.to[0] for m in mail.outbox) == [f"w{n}@example.org" for n in range(3)]


def test_the_sweep_costs_a_few_statements_when_nothing_is_due(
    agency_a, staff_a, subscribe, django_assert_max_num_queries
):
    with as_a_beat_worker(), django_assert_max_num_queries(4):
        assert deliveries_sweep() == {"released": 0, "restarted": 0}
