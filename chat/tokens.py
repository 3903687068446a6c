"""Citizen conversation tokens: 256 random bits, stored only as a SHA-256 hash."""

import hashlib
import secrets

TOKEN_BYTES = 32
MAX_TOKEN_CHARS = 100


def token_new() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_looks_valid(token) -> bool:
    return isinstance(token, str) and 20 <= len(token) <= MAX_TOKEN_CHARS and token.isascii()
