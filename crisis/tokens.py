"""Signed links for a subscription (confirm, unsubscribe): they name the agency, so another agency's
link is refused, and carry no personal data."""

from __future__ import annotations

from django.core import signing

SALT = "crisis.subscription"


def subscription_token(subscription) -> str:
    return signing.dumps({"a": subscription.agency_id, "s": subscription.pk}, salt=SALT, compress=True)


def subscription_token_read(*, agency, token: str) -> int | None:
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("a") != agency.pk or not isinstance(data.get("s"), int):
        return None
    return data["s"]
