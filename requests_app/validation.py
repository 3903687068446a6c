"""Input rules shared by every way of filing (web form, staff phone entry, chat, Open311).

Each function raises `ValidationError({field: [message]})` with a message a citizen or a client
developer can act on. Field names are the Open311 ones (lat, long, description, attribute[CODE]…).
"""

import math
import re
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from core.errors import merge_errors
from requests_app import geo
from requests_app.models import ServiceAttribute

MAX_DESCRIPTION = 4000
# A tag, comment, doctype or character reference; "a < b" and "<3" stay plain text.
HTML = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value, *, field: str, max_length: int, allow_newlines: bool = False) -> str:
    text = "" if value is None else str(value)
    text = CONTROL.sub("", text).strip()
    if not allow_newlines:
        text = " ".join(text.split())
    if len(text) > max_length:
        raise ValidationError(
            {field: [_("At most %(max)d characters are allowed (got %(n)d).") % {"max": max_length, "n": len(text)}]}
        )
    return text


def clean_description(value, *, required: bool = False) -> str:
    text = "" if value is None else CONTROL.sub("", str(value)).strip()
    if len(text) > MAX_DESCRIPTION:
        raise ValidationError(
            {"description": [_("The description may be at most 4,000 characters (got %(n)d).") % {"n": len(text)}]}
        )
    if HTML.search(text):
        raise ValidationError({"description": [_("The description must be plain text, without HTML.")]})
    if required and not text:
        raise ValidationError({"description": [_("Describe the problem.")]})
    return text


SWAP_FAR_M = 2_000_000
SWAP_NEAR_M = 300_000


def _number(value, field: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError({field: [_("%(field)s must be a number.") % {"field": field}]}) from None
    if not math.isfinite(number):
        raise ValidationError({field: [_("%(field)s must be a number.") % {"field": field}]})
    return number


def clean_location(
    *, lat, long, address: str = "", address_id: str = "", service_area=None, center=None
) -> tuple[float | None, float | None]:
    """Check a location: both coordinates or neither; within range; inside the agency's service area
    when it has one. A location is needed at all: coordinates, an address or an address id.

    Swapped lat/long is a common client bug; it is named in the error when the swapped point would
    be inside the area (or, with no area but a configured map centre, near that centre)."""
    lat_value, long_value = _number(lat, "lat"), _number(long, "long")
    if (lat_value is None) != (long_value is None):
        missing = "long" if long_value is None else "lat"
        raise ValidationError({missing: [_("Give both lat and long, or neither.")]})
    if lat_value is None:
        if not (address or address_id):
            raise ValidationError(
                {"location": [_("Say where the problem is: place a pin, give coordinates or type an address.")]}
            )
        return None, None
    swapped_hint = -90 <= long_value <= 90 and not -90 <= lat_value <= 90
    if not -90 <= lat_value <= 90:
        message = _("lat must be between -90 and 90.")
        if swapped_hint:
            message += " " + _("It looks like lat and long are swapped.")
        raise ValidationError({"lat": [message]})
    if not -180 <= long_value <= 180:
        raise ValidationError({"long": [_("long must be between -180 and 180.")]})
    if service_area and not geo.contains(service_area, lat_value, long_value):
        message = _("This location is outside the area this agency serves.")
        if -90 <= long_value <= 90 and geo.contains(service_area, long_value, lat_value):
            message += " " + _("It looks like lat and long are swapped.")
        raise ValidationError({"location": [message]})
    if not service_area and center and -90 <= long_value <= 90:
        far = geo.distance_m(lat_value, long_value, *center) > SWAP_FAR_M
        if far and geo.distance_m(long_value, lat_value, *center) < SWAP_NEAR_M:
            raise ValidationError(
                {"location": [_("This location is far from this agency. It looks like lat and long are swapped.")]}
            )
    return round(lat_value, 7), round(long_value, 7)


def clean_email(value) -> str:
    email = clean_text(value, field="email", max_length=254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": [_("Enter a valid email address.")]}) from None
    return email.lower()


PHONE = re.compile(r"^\+?[0-9 ()./-]{5,40}$")


def clean_phone(value) -> str:
    phone = clean_text(value, field="phone", max_length=40)
    if phone and not PHONE.match(phone):
        raise ValidationError({"phone": [_("Enter a phone number with digits, spaces or + ( ) - only.")]})
    return phone


def clean_media_url(value) -> str:
    url = clean_text(value, field="media_url", max_length=500)
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ValidationError({"media_url": [_("media_url must be an http(s) URL.")]}) from None
    return url


def _attribute_error(code: str, message: str) -> ValidationError:
    return ValidationError({f"attribute[{code}]": [message]})


def clean_attributes(attributes: list[ServiceAttribute], raw: dict) -> dict:
    """Answers to a category's questions, keyed by code. `raw` maps code → str or list of str.
    Unknown codes are ignored (clients may send more than a service asks)."""
    raw = raw or {}
    answers: dict = {}
    errors: dict[str, list[str]] = {}
    for attribute in attributes:
        if not attribute.variable:
            continue
        value = raw.get(attribute.code)
        try:
            answer = _clean_answer(attribute, value)
        except ValidationError as exc:
            merge_errors(errors, exc, field=f"attribute[{attribute.code}]")
            continue
        if answer in (None, "", []):
            if attribute.required:
                errors.setdefault(f"attribute[{attribute.code}]", []).append(
                    _("“%(question)s” is required.") % {"question": attribute.question_in()}
                )
            continue
        answers[attribute.code] = answer
    if errors:
        raise ValidationError(errors)
    return answers


def _clean_answer(attribute: ServiceAttribute, value):
    code = attribute.code
    Datatype = ServiceAttribute.Datatype
    if attribute.datatype == Datatype.MULTI:
        values = value if isinstance(value, list | tuple) else ([] if value in (None, "") else [value])
        values = [str(v).strip() for v in values if str(v).strip()]
        allowed = {key for key, _name in attribute.choices}
        unknown = [v for v in values if v not in allowed]
        if unknown:
            raise _attribute_error(code, _("Unknown choice: %(values)s.") % {"values": ", ".join(unknown[:5])})
        return list(dict.fromkeys(values))
    if isinstance(value, list | tuple):
        value = value[-1] if value else ""
    text = "" if value is None else CONTROL.sub("", str(value)).strip()
    if not text:
        return ""
    if attribute.datatype == Datatype.SINGLE:
        if text not in {key for key, _name in attribute.choices}:
            raise _attribute_error(code, _("Unknown choice: %(values)s.") % {"values": text[:50]})
        return text
    if attribute.datatype == Datatype.NUMBER:
        try:
            number = float(text)
        except ValueError:
            raise _attribute_error(code, _("Enter a number.")) from None
        if not math.isfinite(number):
            raise _attribute_error(code, _("Enter a number."))
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if attribute.datatype == Datatype.DATETIME:
        parsed = _parse_datetime(text)
        if parsed is None:
            raise _attribute_error(code, _("Enter a date and time like 2026-05-01T14:30."))
        return parsed.isoformat()
    limit = 4000 if attribute.datatype == Datatype.TEXT else 500
    if len(text) > limit:
        raise _attribute_error(code, _("At most %(max)d characters are allowed.") % {"max": limit})
    if HTML.search(text):
        raise _attribute_error(code, _("Plain text only, without HTML."))
    return text


def _parse_datetime(text: str) -> datetime | None:
    try:
        parsed = parse_datetime(text)
    except ValueError:
        return None
    if parsed is None:
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed
