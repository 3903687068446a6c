"""A report filed in a WhatsApp, Telegram, Messenger or SMS chat says so: its source on the staff pages and
in the audit trail is the channel, not "Chat"; Open311 keeps `channel: chat` for GeoReport clients and names
the messaging channel in `chat_channel` (JSON and XML)."""

import pytest

from requests_app.models import Source, chat_source
from tests.requests_app import open311_spec as spec
from tests.requests_app.open311_support import BASE, FORMATS
from tests.requests_app.test_open311_get import _records
from tests.requests_app.test_routing import file

pytestmark = pytest.mark.django_db


def test_a_chat_on_a_messaging_channel_files_with_that_channel():
    assert [chat_source(channel) for channel in ("whatsapp", "telegram", "messenger", "sms")] == [
        "whatsapp",
        "telegram",
        "messenger",
        "sms",
    ]
    assert chat_source("web") == chat_source("widget") == Source.CHAT


@pytest.mark.parametrize(("source", "label"), [("whatsapp", "WhatsApp"), ("sms", "SMS"), ("chat", "Chat")])
def test_the_staff_detail_names_the_channel(client_for, staff_a, catalogue_a, agency_a, source, label):
    request = file(agency_a, source=source)
    page = client_for(staff_a["agent"]).get(f"/a/alpha/staff/requests/{request.reference}/")
    assert page.status_code == 200
    assert f"({label})</dd>" in page.text


@pytest.mark.parametrize("fmt", FORMATS)
def test_open311_keeps_chat_and_names_the_messaging_channel(client, catalogue_a, agency_a, fmt):
    on_telegram = file(agency_a, source="telegram").reference
    on_web = file(agency_a, source="web").reference
    response = client.get(f"{BASE}/requests.{fmt}", {"jurisdiction_id": "alpha", "extensions": "true"})
    records = _records(response, fmt, extensions=True)  # each validated against the GeoReport field list
    if fmt == "json":
        extended = {r["service_request_id"]: r["extended_attributes"] for r in records}
    else:
        root = spec.parse_xml(response.content)
        extended = {
            element.findtext("service_request_id"): {
                child.tag: child.text or "" for child in element.find("extended_attributes")
            }
            for element in root
        }
    assert extended[on_telegram]["channel"] == "chat" and extended[on_telegram]["chat_channel"] == "telegram"
    assert extended[on_web]["channel"] == "web" and extended[on_web]["chat_channel"] == ""
