"""Alert e-mails through Postmark's HTTP API (`CRISIS_EMAIL_PROVIDER=postmark`): the send, with the delivery's
outbox id in the message's `Metadata`, and the look-up of a message whose sender died between Postmark's answer and
the row's update. Over SMTP no such look-up exists: an in-doubt e-mail is sent again with the same Message-ID (at
least once; the receiver's mail system may drop the copy).

Postmark's API (https://postmarkapp.com/developer): `POST {base}/email` with the `X-Postmark-Server-Token` header
answers `{"To", "SubmittedAt", "MessageID", "ErrorCode": 0, "Message": "OK"}`; a refused message is a 422 with an
`ErrorCode` (300 invalid request such as a malformed address, 406 inactive recipient: bounced or complained
before). `GET {base}/messages/outbound?count=…&offset=0&metadata_<key>=<value>` searches sent messages by one
metadata field and answers `{"TotalCount", "Messages": [{"MessageID", "Recipients", "Metadata", …}]}`."""

from __future__ import annotations

from django.conf import settings

from crisis.models import Delivery
from crisis.services.failures import PermanentFailure

# Postmark's error codes meaning "this address will never take this message": 300 invalid e-mail request (a
# malformed address), 406 inactive recipient (hard bounce, spam complaint or manual suppression).
EMAIL_PERMANENT_CODES = {300, 406}
METADATA_KEY = "outbox"


def postmark_enabled() -> bool:
    return settings.CRISIS_EMAIL_PROVIDER == "postmark"


def _headers() -> dict[str, str]:
    return {"Accept": "application/json", "X-Postmark-Server-Token": settings.POSTMARK_SERVER_TOKEN}


def _url(path: str) -> str:
    return f"{settings.POSTMARK_BASE_URL.rstrip('/')}{path}"


def email_already_accepted(*, sender, row: Delivery, to: str, key: str) -> str | None:
    """A row whose sender died mid-send: did Postmark take its message already? The outbound message search is
    filtered by the delivery's outbox id (`metadata_outbox`); a found message to this address is the one sent.
    Its MessageID, or None (send it). A search that fails raises, so the row is retried later rather than sent
    twice."""
    response = sender.http.get(
        _url("/messages/outbound"),
        params={"count": 50, "offset": 0, f"metadata_{METADATA_KEY}": key},
        headers=_headers(),
    )
    response.raise_for_status()
    for message in response.json().get("Messages") or []:
        if not isinstance(message, dict) or (message.get("Metadata") or {}).get(METADATA_KEY) != key:
            continue
        recipients = [str(r).lower() for r in message.get("Recipients") or []]
        if to.lower() in recipients and message.get("MessageID"):
            return str(message["MessageID"])
    return None


def send_postmark(*, sender, to: str, message, key: str) -> str:
    """One alert e-mail through Postmark; its MessageID. The Message-ID header is the one the SMTP path uses, so a
    receiver sees the same identity whichever provider carried it."""
    payload = {
        "From": settings.DEFAULT_FROM_EMAIL,
        "To": to,
        "Subject": message.subject,
        "TextBody": message.body,
        "MessageStream": settings.POSTMARK_MESSAGE_STREAM,
        "Metadata": {METADATA_KEY: key},
        "Headers": [
            {"Name": "Message-ID", "Value": f"<{key}@{settings.CRISIS_MESSAGE_DOMAIN}>"},
            {"Name": "List-Unsubscribe", "Value": f"<{message.unsubscribe_url}>"},
            {"Name": "List-Unsubscribe-Post", "Value": "List-Unsubscribe=One-Click"},
        ],
    }
    response = sender.http.post(_url("/email"), json=payload, headers=_headers())
    if response.status_code == 422:
        try:
            data = response.json()
            code, text = int(data.get("ErrorCode")), str(data.get("Message") or "")
        except (ValueError, TypeError, AttributeError):
            code, text = None, ""
        if code in EMAIL_PERMANENT_CODES:
            raise PermanentFailure(f"address refused (Postmark error {code}: {text[:200]})")
    response.raise_for_status()
    try:
        return str(response.json().get("MessageID") or key)
    except ValueError:
        return key
