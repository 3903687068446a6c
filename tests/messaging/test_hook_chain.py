"""/hooks/ requests go through the webhooks' own middleware chain (`settings.HOOK_MIDDLEWARE`, built by
`portal.handlers`): no session, CSRF, login or messages work for a provider's delivery, a plain-text 404
for what is not connected, and every other path keeps the site's full chain."""

import json

import pytest
from asgiref.sync import async_to_sync
from django.test import RequestFactory

from messaging.models import InboundEvent
from portal.handlers import PooledThreadASGIHandler
from tests.messaging.conftest import SECRET_A, SECRET_B
from tests.messaging.test_webhook import update

pytestmark = pytest.mark.django_db


@pytest.fixture
def handler():
    return PooledThreadASGIHandler()


def hook(slug, kind, body, secret):
    request = RequestFactory().post(
        f"/hooks/{slug}/{kind}/",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=secret,
    )
    return request


def serve(handler, request):
    # As the ASGI handler serves a request (thread-sensitive: this thread, so this test's database).
    return async_to_sync(handler.get_response_async)(request)


def test_a_delivery_is_stored_and_acknowledged_without_the_sites_middleware(handler, telegram_a, agency_a):
    request = hook("alpha", "telegram", update(1), SECRET_A)
    response = serve(handler, request)
    assert response.status_code == 200
    assert InboundEvent.objects.for_agency(agency_a).count() == 1
    for skipped in ("session", "user", "_messages", "LANGUAGE_CODE"):  # sessions, auth, messages, locale
        assert not hasattr(request, skipped), skipped
    assert "Set-Cookie" not in response and "Cookie" not in response.get("Vary", "")
    assert response["X-Content-Type-Options"] == "nosniff"  # the security middleware still runs


def test_a_wrong_secret_is_refused_and_nothing_is_stored(handler, telegram_a, agency_a):
    response = serve(handler, hook("alpha", "telegram", update(2), SECRET_B))
    assert response.status_code in (401, 403)
    assert InboundEvent.objects.for_agency(agency_a).count() == 0


def test_an_unknown_agency_or_channel_is_a_plain_404(handler, telegram_a, agency_a, agency_b):
    for slug, kind in [("nowhere", "telegram"), ("beta", "telegram"), ("alpha", "sms")]:
        response = serve(handler, hook(slug, kind, update(3), SECRET_A))
        assert response.status_code == 404, (slug, kind)
        assert response["Content-Type"].startswith("text/plain")
    assert InboundEvent.objects.for_agency(agency_a).count() == 0


def test_an_oversized_delivery_is_refused_before_the_view(handler, telegram_a, agency_a):
    request = RequestFactory().post(
        "/hooks/alpha/telegram/", data=b"{" + b" " * (3 * 1024 * 1024) + b"}", content_type="application/json"
    )
    assert serve(handler, request).status_code == 413
    assert InboundEvent.objects.for_agency(agency_a).count() == 0


def test_every_other_path_keeps_the_full_chain(handler, agency_a):
    request = RequestFactory().get("/a/alpha/")
    response = serve(handler, request)
    assert response.status_code == 200
    assert hasattr(request, "session") and hasattr(request, "user")
