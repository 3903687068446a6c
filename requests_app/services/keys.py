"""Open311 API keys: issued once (the key is shown a single time), stored as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.cache import TTLCache
from requests_app.models import ApiKey
from tenants.models import Agency

KEY_PREFIX = "cd311_"
LAST_USED_RESOLUTION = timedelta(minutes=5)


def api_key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_key_issue(*, agency: Agency, actor=None, name: str) -> tuple[ApiKey, str]:
    """Create a key for `agency`; returns the row and the raw key (never stored, shown once)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Name the key after who will use it.")]})
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(agency=agency, name=name[:100], prefix=raw[: len(KEY_PREFIX) + 6], key_hash=api_key_hash(raw))
    if getattr(actor, "is_authenticated", False):
        key.created_by = actor
    key.full_clean()
    key.save()
    return key, raw


# Open311 clients post hundreds of reports a second with the same key: a process remembers a
# valid key for a few seconds (so revoking one takes effect within that time everywhere).
KEY_CACHE_SECONDS = 5.0
_valid_keys = TTLCache("valid API keys", ttl=KEY_CACHE_SECONDS, maxsize=10_000)


def api_key_authenticate(*, agency: Agency, raw: str) -> ApiKey | None:
    """The active key of this agency matching `raw`. Another agency's key is no key here."""
    if not isinstance(raw, str) or not raw or len(raw) > 200:
        return None
    key_hash = api_key_hash(raw)
    key = _valid_keys.get_or_load(
        (agency.pk, key_hash),
        lambda: ApiKey.objects.for_agency(agency).filter(key_hash=key_hash, is_active=True).first(),
        keep_none=False,
    )
    if key is not None:
        now = timezone.now()
        # Record use coarsely: a write on every request would cost more than the request itself.
        # last_used_at is bookkeeping, excluded from the audit trail, so a plain UPDATE is fine.
        if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
            ApiKey.objects.for_agency(agency).filter(pk=key.pk).update(last_used_at=now)
            key.last_used_at = now
    return key


@transaction.atomic
def api_key_revoke(*, agency: Agency, actor=None, key: ApiKey) -> ApiKey:
    if key.agency_id != agency.pk:
        raise ValidationError(_("No such key."))
    key.is_active = False
    key.save(update_fields=["is_active"])
    api_key_cache_clear()  # this process at once; the others within KEY_CACHE_SECONDS
    return key


def api_key_cache_clear() -> None:
    _valid_keys.clear()
