"""Messaging tests: agencies connected to local fake providers over real HTTP."""

import pytest

from messaging.connections import channel_connect
from messaging.fakes.telegram import FakeTelegram
from tenants.context import agency_context

BOT_TOKEN_A = "111111:alpha-bot-token"
BOT_TOKEN_B = "222222:beta-bot-token"
SECRET_A = "alpha-secret-token"
SECRET_B = "beta-secret-token"


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """Whole conversations replay here in a second; the limits have their own test (test_outbox)."""
    settings.MESSAGING_RATE_LIMITS = False


@pytest.fixture
def telegram():
    server = FakeTelegram(token=BOT_TOKEN_A).start()
    server.tokens.add(BOT_TOKEN_B)
    yield server
    server.stop()


@pytest.fixture
def telegram_a(agency_a, telegram):
    with agency_context(agency_a):
        return channel_connect(
            agency=agency_a,
            actor=None,
            kind="telegram",
            values={"bot_token": BOT_TOKEN_A, "secret_token": SECRET_A},
            api_base=telegram.url,
        )


@pytest.fixture
def telegram_b(agency_b, telegram):
    with agency_context(agency_b):
        return channel_connect(
            agency=agency_b,
            actor=None,
            kind="telegram",
            values={"bot_token": BOT_TOKEN_B, "secret_token": SECRET_B},
            api_base=telegram.url,
        )


def run_events(agency):
    """Process every stored event of `agency` (what the worker does after commit)."""
    from messaging.models import InboundEvent
    from messaging.services import inbound_event_process

    statuses = []
    pending = InboundEvent.objects.for_agency(agency).filter(status="received").order_by("pk")
    for event_id in pending.values_list("pk", flat=True):
        with agency_context(agency):  # as the AgencyTask sets it
            statuses.append(inbound_event_process(agency=agency, event_id=event_id))
    return statuses


def deliver(agency, connection):
    from messaging.delivery import outbound_deliver

    with agency_context(agency):
        return outbound_deliver(agency=agency, connection_id=connection.pk, budget=10)


SMS_SID_A, SMS_TOKEN_A, SMS_NUMBER_A = "ACalpha0001", "alpha-auth-token", "+15550001111"
SMS_SID_B, SMS_TOKEN_B, SMS_NUMBER_B = "ACbeta0002", "beta-auth-token", "+15550002222"


@pytest.fixture
def twilio():
    from messaging.fakes.twilio import FakeTwilio

    server = FakeTwilio(SMS_SID_A, SMS_TOKEN_A, number=SMS_NUMBER_A).start()
    yield server
    server.stop()


@pytest.fixture
def sms_a(agency_a, twilio):
    with agency_context(agency_a):
        return channel_connect(
            agency=agency_a,
            actor=None,
            kind="sms",
            values={"account_sid": SMS_SID_A, "auth_token": SMS_TOKEN_A, "from_number": SMS_NUMBER_A},
            api_base=twilio.url,
        )


@pytest.fixture
def sms_b(agency_b, twilio):
    with agency_context(agency_b):
        return channel_connect(
            agency=agency_b,
            actor=None,
            kind="sms",
            values={"account_sid": SMS_SID_B, "auth_token": SMS_TOKEN_B, "from_number": SMS_NUMBER_B},
            api_base=twilio.url,
        )


@pytest.fixture
def workers(tmp_path):
    """Start real Celery workers (`tests.messaging.celery_workers.Worker`): `workers(name, lease_seconds=…)`; each is
    stopped after the test."""
    from tests.messaging.celery_workers import Worker

    started: list[Worker] = []

    def start(name: str, **options) -> Worker:
        started.append(Worker(tmp_path, name, **options))
        return started[-1]

    yield start
    for worker in started:
        worker.stop()
