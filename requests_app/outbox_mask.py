"""What staff see of an outbox row's recipient and of a failure's text: enough to recognise it, not the whole
address or number (`j***@example.org`, `+1 •••• 1234`, `conversation …a1b2`)."""

from __future__ import annotations

import re

from core.pii import pii_mask

# ITU country calling codes: 1 and 7 are one digit long, these two, every other three.
_TWO_DIGIT_CODES = frozenset(
    [
        "20",
        "27",
        "30",
        "31",
        "32",
        "33",
        "34",
        "36",
        "39",
        "40",
        "41",
        "43",
        "44",
        "45",
        "46",
        "47",
        "48",
        "49",
        "51",
        "52",
        "53",
        "54",
        "55",
        "56",
        "57",
        "58",
        "60",
        "61",
        "62",
        "63",
        "64",
        "65",
        "66",
        "81",
        "82",
        "84",
        "86",
        "90",
        "91",
        "92",
        "93",
        "94",
        "95",
        "98",
    ]
)
_URL_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s]+@")
_URL_QUERY = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^\s?#]+)\?\S*")
ERROR_CHARS = 300


def email_masked(address: str) -> str:
    local, at, domain = address.strip().rpartition("@")
    if not at or not local:
        return "***"
    return f"{local[0]}***@{domain}"


def phone_masked(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    last = digits[-4:] if len(digits) > 4 else ""
    if not number.strip().startswith("+") or len(digits) < 8:
        return f"•••• {last}".strip()
    if digits[0] in "17":
        code = digits[0]
    elif digits[:2] in _TWO_DIGIT_CODES:
        code = digits[:2]
    else:
        code = digits[:3]
    return f"+{code} •••• {last}"


def recipient_masked(channel: str, recipient: str) -> str:
    """The recipient of an outbox row for the staff page and the audit trail."""
    if channel == "email":
        return email_masked(recipient)
    if channel == "sms":
        return phone_masked(recipient)
    tail = recipient.replace("-", "")[-4:]
    return f"…{tail}" if tail else "—"


def error_summary(exc: BaseException) -> str:
    """One line saying why a send failed, for staff: the error's kind and the server's words, with addresses and
    numbers masked, URLs without credentials or query strings, at most 300 characters. Never the message."""
    text = _error_text(exc)
    text = _URL_CREDENTIALS.sub(r"\1", text)
    text = _URL_QUERY.sub(r"\1", text)
    text = pii_mask(" ".join(text.split()), kinds=("email", "phone", "card", "iban", "ssn"))
    return text[:ERROR_CHARS] or exc.__class__.__name__


def _error_text(exc: BaseException) -> str:
    import smtplib

    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        answers = [f"{code} {_decoded(message)}" for code, message in exc.recipients.values()]
        return "SMTP: recipient refused: " + "; ".join(answers)
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"SMTP: {exc.smtp_code} {_decoded(exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPException | OSError):
        detail = str(exc) or exc.__class__.__name__
        return f"{exc.__class__.__name__}: {detail}" if not detail.startswith(exc.__class__.__name__) else detail
    detail = str(exc)
    code = str(getattr(exc, "code", "") or "")
    if code and code not in detail:  # a provider's error code (Twilio's 21211: the number is not valid)
        detail = f"{detail} (error {code})"
    return f"{exc.__class__.__name__}: {detail}" if detail else exc.__class__.__name__


def _decoded(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
