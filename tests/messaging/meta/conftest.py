"""Agencies A and B connected to WhatsApp and Messenger on a local fake Graph API (real HTTP)."""

import pytest

from messaging.fakes.meta import FakeMeta
from tenants.context import agency_context

PHONE_A, PHONE_B = "106540352242922", "106540352249999"
PAGE_A, PAGE_B = "1122334455", "5544332211"
TOKEN_A, TOKEN_B = "EAAG-alpha-access-token", "EAAG-beta-access-token"
PAGE_TOKEN_A, PAGE_TOKEN_B = "EAAG-alpha-page-token", "EAAG-beta-page-token"
APP_SECRET_A, APP_SECRET_B = "alpha-app-secret", "beta-app-secret"
VERIFY_A, VERIFY_B = "alpha-verify-token", "beta-verify-token"


@pytest.fixture(autouse=True)
def _no_per_person_throttle(monkeypatch):
    """The outbox allows a person a burst of three messages in three seconds; these tests send a
    conversation's worth back to back (the throttle itself is tested with the outbox)."""
    from messaging.providers.messenger import MessengerProvider
    from messaging.providers.whatsapp import WhatsAppProvider

    for provider in (WhatsAppProvider, MessengerProvider):
        monkeypatch.setattr(provider, "rate_per_recipient_per_second", 1000.0)


@pytest.fixture
def meta():
    server = FakeMeta(auto_status=False).start()
    server.add_account("whatsapp", PHONE_A, token=TOKEN_A, app_secret=APP_SECRET_A)
    server.add_account("whatsapp", PHONE_B, token=TOKEN_B, app_secret=APP_SECRET_B)
    server.add_account("messenger", PAGE_A, token=PAGE_TOKEN_A, app_secret=APP_SECRET_A)
    server.add_account("messenger", PAGE_B, token=PAGE_TOKEN_B, app_secret=APP_SECRET_B)
    yield server
    server.stop()


def _connect(agency, kind, values, api_base):
    from messaging.connections import channel_connect

    with agency_context(agency):
        return channel_connect(agency=agency, actor=None, kind=kind, values=values, api_base=api_base)


def _whatsapp(agency, phone, token, secret, verify, meta):
    values = {"phone_number_id": phone, "access_token": token, "app_secret": secret, "verify_token": verify}
    return _connect(agency, "whatsapp", values, meta.url)


def _messenger(agency, page, token, secret, verify, meta):
    values = {"page_id": page, "page_token": token, "app_secret": secret, "verify_token": verify}
    return _connect(agency, "messenger", values, meta.url)


@pytest.fixture
def whatsapp_a(agency_a, meta):
    return _whatsapp(agency_a, PHONE_A, TOKEN_A, APP_SECRET_A, VERIFY_A, meta)


@pytest.fixture
def whatsapp_b(agency_b, meta):
    return _whatsapp(agency_b, PHONE_B, TOKEN_B, APP_SECRET_B, VERIFY_B, meta)


@pytest.fixture
def messenger_a(agency_a, meta):
    return _messenger(agency_a, PAGE_A, PAGE_TOKEN_A, APP_SECRET_A, VERIFY_A, meta)


@pytest.fixture
def messenger_b(agency_b, meta):
    return _messenger(agency_b, PAGE_B, PAGE_TOKEN_B, APP_SECRET_B, VERIFY_B, meta)
