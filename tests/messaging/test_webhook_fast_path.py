"""The webhook's fast path: a delivery only verifies, stores and acknowledges. The hook's connection is
kept per process, so a warm hook costs one SQL statement (the insert), and a secret changed elsewhere
still verifies at once (a failed check asks the database again)."""

import json

import pytest
from django.db import connection as db
from django.test.utils import CaptureQueriesContext

from messaging.connections import channel_disconnect
from messaging.models import ChannelConnection, InboundEvent
from tenants.context import agency_context
from tests.messaging.conftest import SECRET_A
from tests.messaging.test_webhook import post, update

pytestmark = pytest.mark.django_db


def test_a_delivery_on_a_warm_hook_is_one_statement(client, telegram_a, agency_a):
    assert post(client, "alpha", "telegram", update(1), SECRET_A).status_code == 200
    with CaptureQueriesContext(db) as queries:
        assert post(client, "alpha", "telegram", update(2), SECRET_A).status_code == 200
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["INSERT"], queries.captured_queries
    assert InboundEvent.objects.for_agency(agency_a).count() == 2


def test_a_retry_on_the_fast_path_is_still_stored_once_and_acknowledged(client, telegram_a, agency_a):
    for _attempt in range(3):
        assert post(client, "alpha", "telegram", update(9), SECRET_A).status_code == 200
    event = InboundEvent.objects.for_agency(agency_a).get()
    assert (event.provider_id, event.status, json.loads(bytes(event.body))["update_id"]) == ("u9", "received", 9)


def test_a_secret_rotated_by_another_process_verifies_at_once(client, telegram_a, agency_a):
    assert post(client, "alpha", "telegram", update(1), SECRET_A).status_code == 200  # the hook is now kept
    row = ChannelConnection.objects.for_agency(agency_a).get()
    row.secrets = {**row.secrets, "secret_token": "rotated-elsewhere"}
    # As another process would: the row changes, this process's kept copy does not hear of it.
    ChannelConnection.objects.for_agency(agency_a).filter(pk=row.pk).update(secrets=row.secrets)
    assert post(client, "alpha", "telegram", update(2), "rotated-elsewhere").status_code == 200
    assert post(client, "alpha", "telegram", update(3), SECRET_A).status_code == 403
    assert InboundEvent.objects.for_agency(agency_a).count() == 2


def test_a_disconnect_in_this_process_is_404_at_once(client, telegram_a, agency_a):
    assert post(client, "alpha", "telegram", update(1), SECRET_A).status_code == 200
    with agency_context(agency_a):
        channel_disconnect(agency=agency_a, actor=None, kind="telegram")
    assert post(client, "alpha", "telegram", update(2), SECRET_A).status_code == 404
    assert InboundEvent.objects.for_agency(agency_a).count() == 1
