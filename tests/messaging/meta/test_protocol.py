"""WhatsApp Cloud API and Messenger, the protocol alone (no database): signatures, the handshake,
payloads shaped as Meta documents them (meta_payloads/), rendering within Meta's limits, error
classification, the 24-hour window, and the local Graph server."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from messaging.fakes.meta import FakeMeta
from messaging.fakes.meta_payloads import GraphError, graph_failure, messenger_body_check, whatsapp_body_check
from messaging.providers import messenger_protocol as fb
from messaging.providers import meta_common as mc
from messaging.providers import whatsapp_protocol as wa

PAYLOADS = Path(__file__).parent / "payloads"
PHONE_ID = "106540352242922"
PAGE_ID = "1122334455"


def load(name: str) -> dict:
    return json.loads((PAYLOADS / name).read_text())


# --- signatures and the handshake ----------------------------------------------------------------------------
def test_signature_is_hmac_sha256_of_the_raw_bytes():
    raw = b'{"object":"page","entry":[]}'
    header = mc.signature_header("s3cret", raw)
    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert mc.signature_valid("s3cret", raw, header)
    assert mc.signature_valid("s3cret", raw, header.upper().replace("SHA256=", "sha256="))  # hex case does not matter
    # The same JSON re-serialised is other bytes: not valid.
    assert not mc.signature_valid("s3cret", json.dumps(json.loads(raw)).encode(), header)
    assert not mc.signature_valid("other", raw, header)
    assert not mc.signature_valid("s3cret", raw + b" ", header)


@pytest.mark.parametrize("header", [None, "", "sha256=", "sha1=abc", "abc", "sha256=zz", "sha256=é"])
def test_missing_or_malformed_signatures_are_not_valid(header):
    assert not mc.signature_valid("s3cret", b"{}", header)


def test_no_app_secret_verifies_nothing():
    assert not mc.signature_valid("", b"{}", mc.signature_header("", b"{}"))


def test_handshake_echoes_the_challenge_only_for_our_token():
    ok = {"hub.mode": "subscribe", "hub.verify_token": "vt", "hub.challenge": "1158201444"}
    assert mc.handshake_challenge(ok, "vt") == "1158201444"
    assert mc.handshake_challenge({**ok, "hub.verify_token": "other"}, "vt") is None
    assert mc.handshake_challenge({**ok, "hub.mode": "unsubscribe"}, "vt") is None
    assert mc.handshake_challenge({"hub.mode": "subscribe", "hub.challenge": "1"}, "vt") is None
    assert mc.handshake_challenge(ok, "") is None


# --- WhatsApp inbound ---------------------------------------------------------------------------------------
def test_whatsapp_text_with_phone_and_business_scoped_id():
    [message] = wa.parse_webhook(load("wa_text.json"), phone_number_id=PHONE_ID)
    assert isinstance(message, mc.InboundMessage)
    assert message.text == "Hi" and message.kind == "text"
    assert message.external_id.startswith("wamid.")
    assert message.identity.user_id == "US.13491208655302741918"
    assert message.identity.phone == "16505551234"
    assert message.identity.key == "US.13491208655302741918"  # the business-scoped id is the stable key
    assert message.identity.keys == ["US.13491208655302741918", "16505551234"]
    assert message.identity.name == "Ana Ruiz"
    assert message.sent_at == datetime(2024, 12, 5, tzinfo=UTC)


def test_whatsapp_username_user_without_phone_number():
    [message] = wa.parse_webhook(load("wa_username_only.json"), phone_number_id=PHONE_ID)
    assert message.identity.phone == ""
    assert message.identity.key == "US.ENT.11815799212886844830"
    assert message.identity.parent_user_id == "US.ENT.99"
    assert message.identity.username == "@liwei"


def test_whatsapp_phone_only_payload_of_before_business_scoped_ids():
    payload = load("wa_text.json")
    value = payload["entry"][0]["changes"][0]["value"]
    del value["contacts"][0]["user_id"], value["messages"][0]["from_user_id"]
    [message] = wa.parse_webhook(payload, phone_number_id=PHONE_ID)
    assert message.identity.key == "16505551234"


def test_whatsapp_button_and_list_replies():
    button, row = wa.parse_webhook(load("wa_interactive.json"), phone_number_id=PHONE_ID)
    assert (button.text, button.action) == ("Report a problem", "report")
    assert (row.text, row.action) == ("Pothole", "report:choice:pothole")


def test_whatsapp_image_and_location():
    image, location = wa.parse_webhook(load("wa_image_location.json"), phone_number_id=PHONE_ID)
    assert image.media == [
        mc.MediaRef(kind="image", media_id="2754859441498128", mime_type="image/jpeg", caption="The hole")
    ]
    assert image.text == "The hole"
    assert location.location == mc.Location(39.7817, -89.6501, "Main St", "1 Main St, Springfield")


def test_whatsapp_statuses_sent_delivered_read_failed():
    sent, delivered, read = wa.parse_webhook(load("wa_statuses.json"), phone_number_id=PHONE_ID)
    assert [s.status for s in (sent, delivered, read)] == ["sent", "delivered", "read"]
    assert {s.external_id for s in (sent, delivered, read)} == {"wamid.OUT1"}
    assert sent.identity.user_id == "US.13491208655302741918"
    [failed] = wa.parse_webhook(load("wa_failed.json"), phone_number_id=PHONE_ID)
    assert failed.status == "failed" and failed.error_code == 131047
    assert "Re-engagement" in failed.error_title and "24 hours" in failed.error_title


def test_whatsapp_unknown_kinds_are_ignored():
    events = wa.parse_webhook(load("wa_ignored.json"), phone_number_id=PHONE_ID)
    assert [e.kind for e in events] == ["reaction", "sticker", "unsupported", "field:message_template_status_update"]
    assert all(isinstance(e, mc.Ignored) for e in events)


def test_whatsapp_other_phone_number_and_garbage():
    assert [e.kind for e in wa.parse_webhook(load("wa_text.json"), phone_number_id="999")] == ["other_phone_number"]
    for garbage in (None, [], "x", {"object": "page"}, {"object": "whatsapp_business_account", "entry": "x"}):
        assert all(isinstance(e, mc.Ignored) for e in wa.parse_webhook(garbage, phone_number_id=PHONE_ID))
    broken = load("wa_image_location.json")
    broken["entry"][0]["changes"][0]["value"]["messages"][1]["location"]["latitude"] = "north"
    assert isinstance(wa.parse_webhook(broken, phone_number_id=PHONE_ID)[1], mc.Ignored)


# --- Messenger inbound --------------------------------------------------------------------------------------
def test_messenger_payloads():
    events = fb.parse_webhook(load("fb_messages.json"), page_id=PAGE_ID)
    text, quick, image, location, echo, delivery, read, reaction, postback = events
    assert (text.text, text.identity.key, text.external_id) == ("Hi", "7001", "m_text1")
    assert (quick.text, quick.action) == ("Report a problem", "report")
    assert image.media == [mc.MediaRef(kind="image", url="https://scontent.xx.fbcdn.net/v/photo.jpg")]
    assert (location.location.latitude, location.location.longitude) == (39.7817, -89.6501)
    assert isinstance(echo, mc.Ignored) and echo.kind == "echo"
    assert (delivery.status, delivery.external_id) == ("delivered", "m_out1")
    assert read.status == "read" and read.external_id == "" and read.watermark is not None
    assert isinstance(reaction, mc.Ignored) and reaction.kind == "reaction"
    assert (postback.text, postback.action) == ("Get Started", "greeting")
    assert [e.kind for e in fb.parse_webhook(load("fb_messages.json"), page_id="other")] == ["other_page"]


# --- rendering -----------------------------------------------------------------------------------------------
def _actions(n):
    return [{"type": "reply", "label": f"Option number {i} with a long label", "value": f"v{i}"} for i in range(n)]


def test_whatsapp_buttons_up_to_three_then_a_list():
    [three] = wa.reply_bodies({"to": "1"}, "Pick one", actions=_actions(3), site_url="http://x")
    assert three["type"] == "interactive" and three["interactive"]["type"] == "button"
    buttons = three["interactive"]["action"]["buttons"]
    assert len(buttons) == 3 and all(len(b["reply"]["title"]) <= 20 for b in buttons)
    assert [b["reply"]["id"] for b in buttons] == ["v0", "v1", "v2"]
    [many] = wa.reply_bodies({"to": "1"}, "Pick one", actions=_actions(12), site_url="http://x")
    rows = many["interactive"]["action"]["sections"][0]["rows"]
    assert many["interactive"]["type"] == "list" and len(rows) == 10
    assert all(len(r["title"]) <= 24 and len(r.get("description", "")) <= 72 for r in rows)
    for body in (three, many):
        whatsapp_body_check(body)  # what the fake (and Meta) accept


def test_whatsapp_long_text_goes_first_on_its_own():
    text = "word " * 400
    first, second = wa.reply_bodies({"to": "1"}, text, actions=_actions(2), site_url="http://x", choose_label="Choose")
    assert first["type"] == "text" and second["interactive"]["body"]["text"] == "Choose"
    whatsapp_body_check(first)
    whatsapp_body_check(second)


def test_citations_are_a_short_title_and_a_link():
    citations = [
        {
            "title": "Street maintenance policy — potholes, sidewalks and curbs, 2026 edition",
            "url": "/a/springfield/docs/4/",
        },
        {
            "title": "Street maintenance policy — potholes, sidewalks and curbs, 2026 edition",
            "url": "/a/springfield/docs/4/",
        },
    ]
    [body] = wa.reply_bodies(
        {"to": "1"}, "Potholes are fixed within 5 days.", citations=citations, site_url="https://portal.example"
    )
    text = body["text"]["body"]
    assert text.startswith("Potholes are fixed within 5 days.\n\n• ")
    assert text.count("https://portal.example/a/springfield/docs/4/") == 1  # duplicates folded
    title_line = text.splitlines()[-1]
    assert len(title_line.split(": https")[0]) <= 62


def test_messenger_quick_replies_and_tags():
    [body] = fb.reply_bodies("7001", "Pick", actions=_actions(15), site_url="http://x")
    assert body["messaging_type"] == "RESPONSE" and len(body["message"]["quick_replies"]) == 13
    assert all(len(q["title"]) <= 20 and q["content_type"] == "text" for q in body["message"]["quick_replies"])
    messenger_body_check(body)
    [tagged] = fb.reply_bodies("7001", "Your report was closed", site_url="http://x", tag="ACCOUNT_UPDATE")
    assert tagged["messaging_type"] == "MESSAGE_TAG" and tagged["tag"] == "ACCOUNT_UPDATE"
    [long] = fb.reply_bodies("7001", "x" * 5000, site_url="http://x")
    assert len(long["message"]["text"]) == 2000


def test_whatsapp_template_parameters_are_one_line():
    body = wa.template_body(
        {"recipient": "US.1"}, name="status_update", language="es", text="Report SPR-1\nClosed:\tfixed"
    )
    assert body["recipient"] == "US.1" and "to" not in body
    [parameter] = body["template"]["components"][0]["parameters"]
    assert "\n" not in parameter["text"] and "\t" not in parameter["text"]
    assert body["template"]["language"] == {"code": "es"}
    whatsapp_body_check(body)


def test_recipient_is_the_phone_number_or_the_business_scoped_id():
    assert wa.recipient_fields(phone="16505551234") == {"to": "16505551234"}
    assert wa.recipient_fields(user_id="US.134") == {"recipient": "US.134"}
    with pytest.raises(ValueError):
        wa.recipient_fields()


# --- errors and the window ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "code", "subcode", "transient", "window"),
    [
        (429, 130429, None, True, False),  # throughput limit
        (400, 131056, None, True, False),  # pair rate limit
        (500, 1, None, True, False),
        (503, None, None, True, False),
        (400, 4, None, True, False),  # app rate limit
        (400, 613, None, True, False),  # Messenger rate limit
        (400, 131047, None, False, True),  # re-engagement: outside 24 h
        (400, 10, 2018278, False, True),  # Messenger: outside the window
        (401, 190, None, False, False),  # bad token
        (400, 100, None, False, False),  # invalid parameter
        (400, 131026, None, False, False),  # undeliverable
        (400, 551, None, False, False),  # Messenger: person unavailable
    ],
)
def test_graph_errors_are_classified(status, code, subcode, transient, window):
    error = {"message": "m", "type": "OAuthException", "code": code, "fbtrace_id": "A"}
    if subcode:
        error["error_subcode"] = subcode
    result = mc.graph_error(status, {"error": error} if code else None)
    assert (result.transient, result.window_closed) == (transient, window)


def test_retry_after_is_kept():
    assert mc.graph_error(429, None, retry_after="7").retry_after == 7.0


def test_window_is_24_hours_from_the_last_message():
    now = datetime(2026, 12, 5, 12, tzinfo=UTC)
    assert mc.window_open(now - timedelta(hours=23, minutes=59), now)
    assert not mc.window_open(now - timedelta(hours=24), now)
    assert not mc.window_open(None, now)


# --- the local Graph server -------------------------------------------------------------------------------------
@pytest.fixture
def graph():
    server = FakeMeta(auto_status=False).start()
    yield server
    server.stop()


def test_fake_graph_sends_whatsapp_and_checks_the_token(graph):
    graph.add_account("whatsapp", PHONE_ID, token="tok", app_secret="sec")
    client = wa.WhatsAppClient(api_base=graph.url, phone_number_id=PHONE_ID, access_token="tok")
    [body] = wa.reply_bodies({"to": "16505551234"}, "Hello", site_url="http://x")
    wamid = client.send(body)
    assert wamid.startswith("wamid.")
    assert graph.sent()[0]["body"] == body and graph.sent()[0]["id"] == wamid
    bad = wa.WhatsAppClient(api_base=graph.url, phone_number_id=PHONE_ID, access_token="wrong")
    with pytest.raises(mc.SendError) as caught:
        bad.send(body)
    assert caught.value.code == 190 and not caught.value.transient
    graph.fail_next(*graph_failure(503, 2, "Service temporarily unavailable"))
    with pytest.raises(mc.SendError) as caught:
        client.send(body)
    assert caught.value.transient
    with pytest.raises(mc.SendError) as caught:
        client.send({**body, "text": {"body": ""}})
    assert caught.value.code == 100 and not caught.value.transient


def test_fake_graph_serves_media_to_the_token(graph):
    graph.add_account("whatsapp", PHONE_ID, token="tok", app_secret="sec")
    media_id = graph.add_media(b"\x89PNG-bytes", "image/png")
    client = wa.WhatsAppClient(api_base=graph.url, phone_number_id=PHONE_ID, access_token="tok")
    assert client.media(media_id) == (b"\x89PNG-bytes", "image/png")
    with pytest.raises(mc.SendError):
        wa.WhatsAppClient(api_base=graph.url, phone_number_id=PHONE_ID, access_token="no").media(media_id)
    with pytest.raises(mc.SendError):
        client.media("404404")


def test_fake_graph_messenger_window(graph):
    account = graph.add_account("messenger", PAGE_ID, token="page-tok", app_secret="sec")
    client = fb.MessengerClient(api_base=graph.url, page_id=PAGE_ID, page_token="page-tok")
    [body] = fb.reply_bodies("7001", "Hello", site_url="http://x")
    assert client.send(body).startswith("m_")
    account.last_inbound["7001"] = 0  # long ago
    with pytest.raises(mc.SendError) as caught:
        client.send(body)
    assert caught.value.window_closed
    [tagged] = fb.reply_bodies("7001", "News", site_url="http://x", tag="ACCOUNT_UPDATE")
    assert client.send(tagged)


def test_fake_graph_posts_signed_webhooks(graph):
    received = []

    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            raw = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((raw, self.headers.get("X-Hub-Signature-256")))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

    app = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    try:
        account = graph.add_account(
            "whatsapp", PHONE_ID, token="tok", app_secret="sec", hook_url=f"http://127.0.0.1:{app.server_address[1]}/"
        )
        response = httpx.post(f"{graph.url}/_control/say", json={"phone": "16505551234", "text": "Hi"})
        assert response.json()["status"] == 200
        raw, signature = received[0]
        assert mc.signature_valid("sec", raw, signature)
        [message] = wa.parse_webhook(json.loads(raw), phone_number_id=PHONE_ID)
        assert message.text == "Hi" and message.identity.phone == "16505551234"
        assert account.last_inbound["16505551234"] > 0
    finally:
        app.shutdown()
        app.server_close()


def test_fake_graph_refuses_what_meta_refuses():
    with pytest.raises(GraphError):
        whatsapp_body_check(
            {
                "messaging_product": "whatsapp",
                "to": "1",
                "type": "interactive",
                "interactive": {
                    "type": "button",
                    "body": {"text": "x"},
                    "action": {
                        "buttons": [{"type": "reply", "reply": {"id": str(i), "title": str(i)}} for i in range(4)]
                    },
                },
            }
        )
    with pytest.raises(GraphError):
        messenger_body_check(
            {
                "recipient": {"id": "1"},
                "message": {
                    "text": "x",
                    "quick_replies": [{"content_type": "text", "title": "x" * 21, "payload": "p"}],
                },
            }
        )


def test_paths_to_our_pages_become_links():
    text = "Thank you. Your report SPR-2026-000123 has been filed. Track it here: /a/springfield/track/?reference=SPR-2026-000123"
    [body] = wa.reply_bodies({"to": "1"}, text, site_url="https://portal.example", actions=())
    assert body["text"]["body"].endswith("here: https://portal.example/a/springfield/track/?reference=SPR-2026-000123")
    assert (
        mc.absolute_links("see https://x.example/a/b and 1/a/2", "https://p") == "see https://x.example/a/b and 1/a/2"
    )
