"""Encryption at rest for sensitive answers and uploads (Fernet: AES-128-CBC + HMAC-SHA256).

The key comes from `settings.FIELD_ENCRYPTION_KEY` (the environment). Several comma-separated keys
allow rotation: the first encrypts, every key decrypts. Development without a key derives one from
SECRET_KEY; production refuses to start without it (see portal/settings.py).
"""

import base64
import hashlib
import json
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder


class DecryptionFailed(RuntimeError):
    """Stored ciphertext does not open with the configured keys (wrong or rotated-out key)."""


def _configured_keys() -> tuple[str, ...]:
    configured = getattr(settings, "FIELD_ENCRYPTION_KEY", None)
    if configured:
        return tuple(key.strip() for key in configured.split(",") if key.strip())
    if getattr(settings, "PRODUCTION", False):
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be set when DJANGO_ENV=production")
    digest = hashlib.sha256(b"civicdesk.field-encryption:" + settings.SECRET_KEY.encode()).digest()
    return (base64.urlsafe_b64encode(digest).decode(),)


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64-encoded bytes), e.g. from "
            '`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`'
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(_configured_keys())


def encrypt_bytes(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return fernet().decrypt(token)
    except InvalidToken as exc:
        raise DecryptionFailed("Encrypted data does not open with FIELD_ENCRYPTION_KEY.") from exc


def encrypt_text(text: str) -> str:
    return encrypt_bytes(text.encode()).decode()


def decrypt_text(token: str) -> str:
    return decrypt_bytes(token.encode()).decode()


def encrypt_json(value: Any) -> str:
    return encrypt_text(json.dumps(value, sort_keys=True, cls=DjangoJSONEncoder))


def decrypt_json(token: str) -> Any:
    return json.loads(decrypt_text(token))
