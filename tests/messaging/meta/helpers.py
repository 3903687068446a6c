"""What the WhatsApp and Messenger tests share: a signed webhook post, a person writing on WhatsApp, events."""

import json

from messaging.fakes.meta_payloads import whatsapp_message
from messaging.models import InboundEvent
from messaging.providers.meta_common import signature_header
from tests.messaging.meta.conftest import APP_SECRET_A, PHONE_A

PERSON = "16505551234"
BSUID = "US.13491208655302741918"


def post(client, slug, kind, payload, secret=None, signature=None):
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {}
    if signature is not None:
        headers["HTTP_X_HUB_SIGNATURE_256"] = signature
    elif secret is not None:
        headers["HTTP_X_HUB_SIGNATURE_256"] = signature_header(secret, raw)
    return client.generic("POST", f"/hooks/{slug}/{kind}/", raw, content_type="application/json", **headers)


def say(client, text="Hi", *, phone=PERSON, user_id="", kind="text", content=None, wamid=""):
    payload = whatsapp_message(
        PHONE_A, phone=phone, user_id=user_id, kind=kind, content=content or {"body": text}, wamid=wamid
    )
    assert post(client, "alpha", "whatsapp", payload, APP_SECRET_A).status_code == 200
    return payload["entry"][0]["changes"][0]["value"]["messages"][0]["id"]


def events():
    return InboundEvent.objects.unscoped().count()  # unscoped: a test counting every agency's rows
