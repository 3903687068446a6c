"""Fault: the Celery broker is unreachable while staff work reports. The change is saved and answered
normally, its emails wait in the outbox, and the SLA sweep sends them once the broker is back."""

import pytest
from django.core import mail

from portal.celery import app
from requests_app.models import Notification
from requests_app.services import service_request_create, service_request_transition
from requests_app.services.filing import Reporter
from requests_app.tasks import sla_check
from tenants.context import agency_context
from tests.requests_app.conftest import make_catalogue


@pytest.fixture
def broker_down(settings):
    """The real Celery app, publishing to a port where nothing listens (not eager: a real publish)."""
    saved = app.conf.broker_url, app.conf.task_always_eager

    def fresh_connections():  # connection pools are built from the broker URL on next use
        app._pool = None
        app.amqp._producer_pool = None

    def restore():
        app.conf.broker_url, app.conf.task_always_eager = saved
        fresh_connections()

    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:9/0"
    fresh_connections()
    yield restore
    restore()


@pytest.mark.django_db(transaction=True)
def test_status_change_with_the_broker_down_is_saved_and_mailed_later(agency_a, staff_a, broker_down, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    catalogue = make_catalogue(agency_a)
    with agency_context(agency_a):
        request = service_request_create(
            agency=agency_a,
            category=catalogue["pothole"],
            description="Deep hole",
            address="1 Main St",
            attributes={"size": "large"},
            reporter=Reporter(email="citizen@example.test"),
        ).request
        # Before the fix the on-commit publish raised here (a 500 for a change already committed).
        service_request_transition(
            agency=agency_a, actor=staff_a["admin"], request=request, to_status="acknowledged", public_note="On it."
        )
        request.refresh_from_db()
        assert request.status == "acknowledged"
        pending = Notification.objects.for_agency(agency_a).filter(request=request, sent_at__isnull=True)
        assert pending.exists()
    # The broker is back: the sweep (beat) sends what waited, once.
    broker_down()
    app.conf.task_always_eager = True  # the sweep's own follow-up tasks run in process here
    sla_check(agency_id=agency_a.pk)
    assert len([m for m in mail.outbox if "citizen@example.test" in m.to]) == 1
    sla_check(agency_id=agency_a.pk)
    assert len([m for m in mail.outbox if "citizen@example.test" in m.to]) == 1
