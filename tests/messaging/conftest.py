"""Messaging tests: agencies connected to local fake providers over real HTTP."""

import pytest

from messaging.fakes.telegram import FakeTelegram
from messaging.services import channel_connect
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
    from messaging.outbox import outbound_deliver

    with agency_context(agency):
        return outbound_deliver(agency=agency, connection_id=connection.pk, budget=10)
