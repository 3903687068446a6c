"""Personal data in free text: find e-mail addresses, phone numbers, SSN-like numbers, payment card
numbers (Luhn) and IBANs (mod 97), and mask them for whoever should not see them.

What an agency masks for whom is its `Agency.pii_policy` (see `policy_for`): per kind, the staff roles
that see the value; everyone else (and any text sent to an external LLM provider, unless the agency
lists the kind in `"llm_allowed"`) gets a placeholder such as `[phone]`. Detection recall and precision
are measured on generated examples in bench/pii/ (bench/README.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

KINDS = ("email", "phone", "ssn", "card", "iban")
PLACEHOLDER = {"email": "[email]", "phone": "[phone]", "ssn": "[SSN]", "card": "[card]", "iban": "[IBAN]"}

# Staff who work a case need the citizen's contact details; nobody needs a card number, SSN or IBAN in a
# transcript or a report description, so those are masked for every role unless the agency says otherwise.
DEFAULT_REVEAL = {
    "email": ["admin", "supervisor", "agent", "caseworker"],
    "phone": ["admin", "supervisor", "agent", "caseworker"],
    "ssn": [],
    "card": [],
    "iban": [],
}


@dataclass(frozen=True)
class Span:
    kind: str
    start: int
    end: int


_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}")
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{4}){2,7}(?:[ -]?[A-Z0-9]{1,4})?(?![A-Za-z0-9])")
_CARD = re.compile(r"(?<![\d+-])(?<!\+ )\d(?:[ -]?\d){12,18}(?![\d-])")
_SSN = re.compile(r"(?<![\d-])(\d{3})([- ]?)(\d{2})\2(\d{4})(?![\d-])")
_PHONE = re.compile(
    r"(?<![\w-])(?:\+|00)?(?:\d[\s.-]?){0,3}(?:\(\d{1,5}\)[\s.-]?)?\d{2,5}(?:[\s.-]?\d{2,5}){1,4}(?![\w-])"
)
_SSN_CONTEXT = re.compile(r"\b(ssn|social security|soc\.? sec)", re.IGNORECASE)
_YEAR_RANGE = re.compile(r"^(19|20)\d{2}\s*-\s*(19|20)\d{2}$")
_DATE_LIKE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")


def without_emails(text: str) -> str:
    """`text` with its e-mail addresses taken out (what a message wants is in its words, not in an address)."""
    return " ".join(_EMAIL.sub(" ", text).split())


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def iban_valid(candidate: str) -> bool:
    compact = re.sub(r"[ -]", "", candidate)
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    try:
        number = int("".join(str(int(char, 36)) for char in rearranged))
    except ValueError:
        return False
    return number % 97 == 1


def _ssn_valid(area: str, group: str, serial: str) -> bool:
    return area not in {"000", "666"} and not area.startswith("9") and group != "00" and serial != "0000"


def pii_find(text: str) -> list[Span]:
    """Every personal-data span in `text`, left to right, without overlaps (the more specific kind wins)."""
    if not text:
        return []
    spans: list[Span] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    def add(kind: str, start: int, end: int) -> None:
        spans.append(Span(kind, start, end))
        taken.append((start, end))

    for match in _EMAIL.finditer(text):
        add("email", match.start(), match.end())
    for match in _IBAN.finditer(text):
        if free(*match.span()):
            if iban_valid(match.group()):
                add("iban", *match.span())
            else:
                taken.append(match.span())  # IBAN-shaped: its digits are not a phone or card number either
    for match in _CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if free(*match.span()) and 13 <= len(digits) <= 19 and luhn_valid(digits) and len(set(digits)) > 1:
            add("card", *match.span())
    for match in _SSN.finditer(text):
        area, separator, group, serial = match.groups()
        if not free(*match.span()) or not _ssn_valid(area, group, serial):
            continue
        # Nine bare digits are an SSN only when the text says so; with dashes or spaces the shape is enough.
        if separator or _SSN_CONTEXT.search(text[max(0, match.start() - 40) : match.start()]):
            add("ssn", *match.span())
    for match in _PHONE.finditer(text):
        candidate = match.group().strip()
        digits = re.sub(r"\D", "", candidate)
        if not 7 <= len(digits) <= 15 or not free(*match.span()):
            continue
        if _YEAR_RANGE.match(candidate) or _DATE_LIKE.match(candidate):
            continue
        if len(digits) < 10 and not re.search(r"[\s.()+-]", candidate):
            continue  # a bare run of 7-9 digits is more often an id or an amount than a phone number
        add("phone", match.start(), match.start() + len(match.group().rstrip()))
    return sorted(spans, key=lambda span: span.start)


def pii_mask(text: str, *, kinds: Iterable[str] = KINDS) -> str:
    """`text` with the spans of `kinds` replaced by their placeholders."""
    wanted = set(kinds)
    if not text or not wanted:
        return text
    parts = []
    position = 0
    for span in pii_find(text):
        if span.kind not in wanted:
            continue
        parts.append(text[position : span.start])
        parts.append(PLACEHOLDER[span.kind])
        position = span.end
    parts.append(text[position:])
    return "".join(parts)


def policy_for(agency) -> dict:
    """The agency's policy merged over the defaults: {"reveal": {kind: [roles]}, "llm_allowed": [kinds]}."""
    configured = getattr(agency, "pii_policy", None) or {}
    reveal = {**DEFAULT_REVEAL, **{k: list(v) for k, v in (configured.get("reveal") or {}).items() if k in KINDS}}
    return {"reveal": reveal, "llm_allowed": [k for k in configured.get("llm_allowed", []) if k in KINDS]}


def masked_kinds_for_roles(agency, roles: Iterable[str]) -> set[str]:
    """The kinds hidden from someone holding `roles` in `agency` (a kind is shown if any role may see it)."""
    held = set(roles)
    reveal = policy_for(agency)["reveal"]
    return {kind for kind in KINDS if not held.intersection(reveal.get(kind, []))}


def mask_for_llm(agency, text: str) -> str:
    allowed = set(policy_for(agency)["llm_allowed"])
    return pii_mask(text, kinds=[kind for kind in KINDS if kind not in allowed])


def validate_pii_policy(value) -> None:
    from django.core.exceptions import ValidationError

    roles = {"admin", "supervisor", "agent", "caseworker", "analyst"}
    if not isinstance(value, dict) or set(value) - {"reveal", "llm_allowed"}:
        raise ValidationError('Use {"reveal": {kind: [roles]}, "llm_allowed": [kinds]}.')
    reveal = value.get("reveal", {})
    if not isinstance(reveal, dict) or any(k not in KINDS for k in reveal):
        raise ValidationError(f"Kinds are {', '.join(KINDS)}.")
    for kind, listed in reveal.items():
        if not isinstance(listed, list) or any(role not in roles for role in listed):
            raise ValidationError(f"Roles for {kind} must be a list of {', '.join(sorted(roles))}.")
    allowed = value.get("llm_allowed", [])
    if not isinstance(allowed, list) or any(k not in KINDS for k in allowed):
        raise ValidationError(f"llm_allowed lists kinds among {', '.join(KINDS)}.")


_TEXT_KEYS = frozenset({"text", "last_text", "csat_comment", "description"})


def mask_frame(frame, kinds: Iterable[str]):
    """A copy of a JSON-like frame with the personal data in its text fields masked (nested lists and
    objects included); the frame itself is not changed."""
    kinds = frozenset(kinds)
    if not kinds:
        return frame
    if isinstance(frame, dict):
        return {
            key: pii_mask(value, kinds=kinds)
            if key in _TEXT_KEYS and isinstance(value, str)
            else mask_frame(value, kinds)
            for key, value in frame.items()
        }
    if isinstance(frame, list):
        return [mask_frame(item, kinds) for item in frame]
    return frame
