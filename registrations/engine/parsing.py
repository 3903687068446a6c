"""Chat answers: a typed message turned into the raw shape `clean_value` expects ("2" → the second choice,
"sí" → True, "12 Main St, Springfield, IL 62701" → an address, "39.78, -89.64" → a location)."""

from __future__ import annotations

import re
from typing import Any

from registrations.engine.fields import NO_WORDS, YES_WORDS, parse_location
from registrations.engine.schema import FieldSpec


def plain_words(text: str) -> str:
    return re.sub(r"[\s.!?,;:。\uff01\uff1f\uff0c]+", " ", text).strip().casefold()


def _labels(choice) -> list[str]:
    return [choice.label] if isinstance(choice.label, str) else list(choice.label.values())


def _match_choice(spec: FieldSpec, text: str) -> str | None:
    """The option a typed answer names: its number, value or label; failing that, the first option
    one of whose keywords the answer contains ("a big pothole" → the option with keyword "pothole")."""
    token = plain_words(text)
    if token.isdigit() and 1 <= int(token) <= len(spec.choices):
        return spec.choices[int(token) - 1].value
    for choice in spec.choices:
        if token == choice.value.casefold() or any(token == plain_words(label) for label in _labels(choice)):
            return choice.value
    if token:
        for choice in spec.choices:
            if any(plain_words(keyword) and plain_words(keyword) in token for keyword in choice.keywords):
                return choice.value
    return None


def parse_text(spec: FieldSpec, text: str, lang: str | None = "en") -> Any:
    text = (text or "").strip()
    if spec.type == "yes_no":
        word = plain_words(text)
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
        return text
    if spec.type == "single_choice":
        return _match_choice(spec, text) or text
    if spec.type == "multiple_choice":
        parts = [part for part in re.split(r"[,;\uff0c、]|\s+(?:and|y|e)\s+|和|及", text) if part.strip()]
        return [_match_choice(spec, part) or part.strip() for part in parts]
    if spec.type == "address":
        return parse_address(text)
    if spec.type == "location":
        return parse_location(text) if text else ""
    if spec.type == "file" and plain_words(text) in NO_WORDS:
        return ""  # "no" to a file question that cannot be answered in a chat: none (skipped if optional)
    return text


def parse_address(text: str) -> dict[str, str]:
    parts = [part.strip() for part in re.split(r"[,\uff0c\n]", text) if part.strip()]
    if len(parts) < 3:
        return {"line1": text}
    match = re.fullmatch(r"(?:(?P<region>[^\d]+?)\s+)?(?P<postal>[A-Za-z0-9-]{3,10})", parts[-1])
    if not match:
        return {"line1": text}
    return {
        "line1": parts[0],
        "line2": ", ".join(parts[1:-2]),
        "city": parts[-2],
        "region": (match["region"] or "").strip(),
        "postal_code": match["postal"],
    }
