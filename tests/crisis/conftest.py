import pytest

from tenants.context import agency_context
from tests.messaging.conftest import telegram, telegram_a  # noqa: F401 - fixtures for the messaging channels


@pytest.fixture
def sms_gateway(settings):
    from tests.sms_server import SMSGateway

    gateway = SMSGateway()
    gateway.configure(settings)
    yield gateway
    gateway.stop()


@pytest.fixture
def postmark(settings):
    """A local Postmark (messaging/fakes/postmark.py) carrying the alert e-mails."""
    from messaging.fakes.postmark import FakePostmark

    server = FakePostmark().start()
    server.configure(settings)
    yield server
    server.stop()


@pytest.fixture
def subscribe(agency_a):
    """subscribe(agency, channel, address, **place) → an active (confirmed) subscription."""
    from django.utils import timezone

    from crisis.models import Subscription

    def make(agency, channel="email", address="ann@example.org", language="en", **place):
        with agency_context(agency):
            return Subscription.objects.create(
                agency=agency,
                channel=channel,
                address=address,
                language=language,
                consent_at=timezone.now(),
                consent_channel="web",
                confirmed_at=timezone.now(),
                **place,
            )

    return make


@pytest.fixture(autouse=True)
def _no_real_queue(monkeypatch):
    """Senders and fan-outs are run by the tests themselves (the broker is not watched here)."""
    from crisis import tasks

    queued = []
    monkeypatch.setattr(tasks.alert_fan_out_task, "delay", lambda **kw: queued.append(("fan_out", kw)))
    monkeypatch.setattr(tasks.deliveries_send_task, "delay", lambda **kw: queued.append(("send", kw)))
    return queued
