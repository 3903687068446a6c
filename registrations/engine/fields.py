"""Typed answers: turning what a person typed (web input or a chat message) into a clean value.

`clean_value(spec, raw, today=…, lang=…) -> (value, FieldError | None)` is idempotent: cleaning a clean
value returns it unchanged, so stored answers can always be re-validated (on confirm, on a new version).
Chat messages become raw answers in `parsing`; answers are shown (and masked) by `display`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from registrations.engine.conditions import is_answered
from registrations.engine.definition import FILE_TYPES
from registrations.engine.i18n import FieldError, normalize_language
from registrations.engine.i18n_more import MORE_DATE_EXAMPLES, MORE_NO, MORE_YES
from registrations.engine.schema import FieldSpec
from registrations.engine.validators import check_identifier

ADDRESS_PARTS = ("line1", "line2", "city", "region", "postal_code")
DEFAULT_MAX_LENGTH = 200
DEFAULT_MAX_MULTILINE = 5000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$"
)
_US_ZIP = re.compile(r"^\d{5}(-\d{4})?$")
_POSTAL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$")
YES_WORDS = {"yes", "y", "yeah", "yep", "sure", "true", "si", "sí", "s", "claro", "是", "是的", "对", "好", "有"} | MORE_YES  # fmt: skip
NO_WORDS = {"no", "n", "nope", "false", "not", "不", "否", "不是", "没有", "无"} | MORE_NO  # fmt: skip
DATE_EXAMPLES = {"en": "03/27/1990", "es": "27/03/1990", "zh-hans": "1990-03-27", **MORE_DATE_EXAMPLES}


def _blank(text: str) -> bool:
    # Invisible characters alone (a right-to-left mark, a zero-width joiner, a BOM) are no answer.
    return all(ch.isspace() or unicodedata.category(ch) in ("Cf", "Cc") for ch in text)


def is_empty(raw: Any) -> bool:
    if isinstance(raw, str):
        return _blank(raw)
    if isinstance(raw, dict):
        return not any(not _blank(v) if isinstance(v, str) else is_answered(v) for v in raw.values())
    if isinstance(raw, list | tuple):
        return not any(is_answered(item) for item in raw)
    return raw is None


def clean_value(spec: FieldSpec, raw: Any, *, today: date, lang: str | None = "en") -> tuple[Any, FieldError | None]:
    value, error = _clean_value(spec, raw, today=today, lang=lang)
    if error is not None and error.text is None and error.code in spec.error_messages:
        error = FieldError(error.code, error.params, text=spec.error_messages[error.code])
    return value, error


def _clean_value(spec: FieldSpec, raw: Any, *, today: date, lang: str | None) -> tuple[Any, FieldError | None]:
    if isinstance(raw, dict) and spec.type not in ("address", "file", "location"):
        return None, FieldError("invalid")
    if isinstance(raw, list | tuple) and spec.type != "multiple_choice":
        return None, FieldError("invalid")
    if is_empty(raw):
        return None, (FieldError("required") if spec.required else None)
    cleaner = _CLEANERS[spec.type]
    try:
        return cleaner(spec, raw, today=today, lang=normalize_language(lang))
    except (TypeError, ValueError, AttributeError):
        return None, FieldError("invalid")


def _clean_text(spec, raw, **_):
    if not isinstance(raw, str):
        return None, FieldError("invalid")
    text = _CONTROL.sub("", raw).strip()
    if not spec.multiline:
        text = " ".join(text.split())
    limit = spec.max_length or (DEFAULT_MAX_MULTILINE if spec.multiline else DEFAULT_MAX_LENGTH)
    if len(text) > limit:
        return None, FieldError("max_length", {"max": limit})
    if spec.min_length and len(text) < spec.min_length:
        return None, FieldError("min_length", {"min": spec.min_length})
    if spec.pattern and not re.fullmatch(spec.pattern, text):
        return None, FieldError("pattern", text=spec.pattern_message)
    return text, None


def _parse_decimal(text: str, lang: str) -> Decimal:
    text = text.strip().replace(" ", "").replace("\u00a0", "").replace("_", "")
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        text = text.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in text:
        if lang != "es" and re.fullmatch(r"-?\d{1,3}(,\d{3})+", text):
            text = text.replace(",", "")
        else:
            text = text.replace(",", ".")
    elif "." in text and lang == "es" and re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    return Decimal(text)


def _clean_number(spec, raw, *, lang, **_):
    if isinstance(raw, bool):
        return None, FieldError("invalid_number")
    try:
        number = Decimal(str(raw)) if isinstance(raw, int | float) else _parse_decimal(str(raw), lang)
    except InvalidOperation:
        return None, FieldError("invalid_number")
    if not number.is_finite() or abs(number) > Decimal("1e15"):
        return None, FieldError("invalid_number")
    integral = number == number.to_integral_value()
    if spec.integer and not integral:
        return None, FieldError("not_integer")
    value: int | float = int(number) if integral else float(number)
    if isinstance(value, float) and not math.isfinite(value):
        return None, FieldError("invalid_number")
    if spec.min is not None and value < spec.min:
        return None, FieldError("min_value", {"min": _number_text(spec.min)})
    if spec.max is not None and value > spec.max:
        return None, FieldError("max_value", {"max": _number_text(spec.max)})
    return value, None


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


_DATE_FORMATS = [
    (re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"), "ymd"),
    (re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$"), "ymd"),
    (re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$"), "local"),
]


def parse_date(text: str, lang: str) -> date | None:
    text = text.strip()
    for pattern, order in _DATE_FORMATS:
        match = pattern.match(text)
        if not match:
            continue
        a, b, c = (int(group) for group in match.groups())
        if order == "ymd":
            year, month, day = a, b, c
        elif lang == "en":
            month, day, year = a, b, c  # US order
        else:
            day, month, year = a, b, c
        try:
            return date(year, month, day)
        except ValueError:
            return None
    return None


def resolve_date_bound(bound: str, today: date) -> date:
    if bound.startswith("today"):
        offset = int(bound[5:] or 0)
        return today + timedelta(days=offset)
    return date.fromisoformat(bound)


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _clean_date(spec, raw, *, today, lang, **_):
    if not isinstance(raw, str):
        return None, FieldError("invalid_date", {"example": DATE_EXAMPLES[lang]})
    value = parse_date(raw, lang)
    if value is None or value.year < 1850:
        return None, FieldError("invalid_date", {"example": DATE_EXAMPLES[lang]})
    if spec.min_date and value < resolve_date_bound(spec.min_date, today):
        return None, FieldError("date_min", {"date": resolve_date_bound(spec.min_date, today).isoformat()})
    if spec.max_date and value > resolve_date_bound(spec.max_date, today):
        return None, FieldError("date_max", {"date": resolve_date_bound(spec.max_date, today).isoformat()})
    if spec.min_age is not None and age_on(value, today) < spec.min_age:
        return None, FieldError("min_age", {"age": spec.min_age})
    if spec.max_age is not None and age_on(value, today) > spec.max_age:
        return None, FieldError("max_age", {"age": spec.max_age})
    return value.isoformat(), None


def _clean_email(spec, raw, **_):
    if not isinstance(raw, str):
        return None, FieldError("invalid_email")
    text = raw.strip()
    if len(text) > (spec.max_length or 254) or not _EMAIL.match(text):
        return None, FieldError("invalid_email")
    local, _at, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}", None


def _clean_phone(spec, raw, **_):
    if not isinstance(raw, str) or not re.fullmatch(r"\+?[\d\s().-]+", raw.strip()):
        return None, FieldError("invalid_phone")
    digits = re.sub(r"\D", "", raw)
    if not 7 <= len(digits) <= 15:
        return None, FieldError("invalid_phone")
    return ("+" if raw.strip().startswith("+") else "") + digits, None


def _expectation(spec, value):
    if spec.expect is not None and value != spec.expect:
        return FieldError("not_eligible", text=spec.expect_message)
    return None


def _clean_single(spec, raw, **_):
    if not isinstance(raw, str) or raw not in spec.choice_values:
        return None, FieldError("invalid_choice")
    return raw, _expectation(spec, raw)


def _clean_multiple(spec, raw, **_):
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple) or any(not isinstance(item, str) for item in items):
        return None, FieldError("invalid_choice")
    chosen = {item for item in items if item}
    if chosen - set(spec.choice_values):
        return None, FieldError("invalid_choice")
    value = [item for item in spec.choice_values if item in chosen]  # definition order, no duplicates
    if spec.min_choices and len(value) < spec.min_choices:
        return None, FieldError("min_choices", {"min": spec.min_choices})
    if spec.max_choices and len(value) > spec.max_choices:
        return None, FieldError("max_choices", {"max": spec.max_choices})
    return value, None


def _clean_yes_no(spec, raw, **_):
    if isinstance(raw, str):
        word = raw.strip().lower()
        if word in {"yes", "true", "1", "on"}:
            raw = True
        elif word in {"no", "false", "0", "off"}:
            raw = False
    if not isinstance(raw, bool):
        return None, FieldError("invalid_yes_no")
    return raw, _expectation(spec, raw)


def _clean_address(spec, raw, **_):
    if not isinstance(raw, dict):
        return None, FieldError("address_incomplete")
    value = {}
    for part in ADDRESS_PARTS:
        item = raw.get(part) or ""
        if not isinstance(item, str):
            return None, FieldError("invalid")
        item = " ".join(_CONTROL.sub("", item).split())
        if len(item) > 200:
            return None, FieldError("max_length", {"max": 200})
        value[part] = item
    if not (value["line1"] and value["city"] and value["postal_code"]):
        return None, FieldError("address_incomplete")
    country = spec.country or "US"
    if country == "US":
        if not _US_ZIP.match(value["postal_code"]):
            return None, FieldError("invalid_postal_code")
        value["region"] = value["region"].upper() if len(value["region"]) == 2 else value["region"]
    elif not _POSTAL.match(value["postal_code"]):
        return None, FieldError("invalid")
    value["country"] = country
    return value, None


def _clean_file(spec, raw, **_):
    if not isinstance(raw, dict):
        return None, FieldError("file_in_chat")
    file_id, name = raw.get("file_id"), raw.get("name")
    content_type, size = raw.get("content_type"), raw.get("size")
    if not (isinstance(file_id, str) and isinstance(name, str) and isinstance(size, int)) or isinstance(size, bool):
        return None, FieldError("invalid")
    if content_type not in spec.accept:
        return None, FieldError("file_type", {"types": ", ".join(FILE_TYPES[t] for t in spec.accept)})
    if size > spec.max_size_mb * 1024 * 1024:
        return None, FieldError("file_size", {"max": _number_text(spec.max_size_mb)})
    return {"file_id": file_id, "name": name[:200], "content_type": content_type, "size": size}, None


def _clean_identifier(spec, raw, **_):
    if not isinstance(raw, str):
        return None, FieldError("invalid")
    compact = re.sub(r"[\s\-./]", "", raw).upper()
    if spec.max_length and len(compact) > spec.max_length:
        return None, FieldError("max_length", {"max": spec.max_length})
    if len(compact) > 64:
        return None, FieldError("max_length", {"max": 64})
    if spec.min_length and len(compact) < spec.min_length:
        return None, FieldError("min_length", {"min": spec.min_length})
    if spec.pattern and not re.fullmatch(spec.pattern, compact):
        return None, FieldError("pattern", text=spec.pattern_message)
    if spec.validator:
        value, code = check_identifier(spec.validator, compact)
        if code:
            return None, FieldError(code)
        return value, None
    return compact, None


def _clean_location(spec, raw, **_):
    """A place: coordinates (`lat`, `long`: both or neither, in range) and/or an address as typed.
    Whether the place is one the form's owner serves is the runner's check (`Flow(check=…)`)."""
    if isinstance(raw, str):
        raw = parse_location(raw)
    if not isinstance(raw, dict):
        return None, FieldError("invalid")
    lat, long = raw.get("lat"), raw.get("long")
    address = raw.get("address") or ""
    if not isinstance(address, str):
        return None, FieldError("invalid")
    address = " ".join(_CONTROL.sub("", address).split())
    if len(address) > 300:
        return None, FieldError("max_length", {"max": 300})
    if (lat is None) != (long is None):
        return None, FieldError("invalid_coordinates")
    if lat is not None:
        if isinstance(lat, bool) or isinstance(long, bool):
            return None, FieldError("invalid_coordinates")
        lat, long = float(lat), float(long)
        if not (math.isfinite(lat) and math.isfinite(long) and -90 <= lat <= 90 and -180 <= long <= 180):
            return None, FieldError("invalid_coordinates")
        lat, long = round(lat, 7), round(long, 7)
    elif not address or not any(ch.isalnum() for ch in address):
        return None, FieldError("location_missing")  # "😀😀😀" is no place (it was stored as the address)
    return {"lat": lat, "long": long, "address": address}, None


_CLEANERS = {
    "text": _clean_text,
    "number": _clean_number,
    "date": _clean_date,
    "email": _clean_email,
    "phone": _clean_phone,
    "single_choice": _clean_single,
    "multiple_choice": _clean_multiple,
    "yes_no": _clean_yes_no,
    "address": _clean_address,
    "file": _clean_file,
    "identifier": _clean_identifier,
    "location": _clean_location,
}


_COORDINATES = re.compile(r"^\s*(-?\d{1,3}(?:\.\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


def parse_location(text: str) -> dict[str, Any]:
    """ "39.78, -89.64" → coordinates; anything else is an address."""
    match = _COORDINATES.match(text or "")
    if match:
        return {"lat": float(match.group(1)), "long": float(match.group(2)), "address": ""}
    return {"lat": None, "long": None, "address": (text or "").strip()}
