"""One mapping of Django's `ValidationError` (what services raise) to what callers show.

Services validate and raise `django.core.exceptions.ValidationError`, with field names (`{"email": […]}`)
or without (`"This report is closed."`). Pages, the API and Open311 render them through these helpers;
the API's exception handler (`portal.api.exception_handler`) turns any that reaches it into a 400 with
`api_error`, so an API view need not catch them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from rest_framework.exceptions import ValidationError as ApiValidationError


def error_dict(exc: ValidationError, *, field: str = "detail") -> dict[str, list[str]]:
    """Field → messages. Errors that name no field are listed under `field`."""
    if hasattr(exc, "error_dict"):
        return exc.message_dict
    return {field: list(exc.messages)}


def error_messages(exc: ValidationError, *, with_fields: bool = False) -> list[str]:
    """Every message in order; `with_fields` prefixes each with its field (`"email: Enter a valid …"`)."""
    if with_fields and hasattr(exc, "error_dict"):
        return [f"{name}: {message}" for name, messages in exc.message_dict.items() for message in messages]
    return list(exc.messages)


def api_error(exc: ValidationError, *, field: str = "detail") -> ApiValidationError:
    """The DRF 400 for a service's validation error: `{"field": ["message", …], …}`."""
    return ApiValidationError(error_dict(exc, field=field))


def merge_errors(errors: dict[str, list[str]], exc: ValidationError, *, field: str = "detail") -> None:
    """Add `exc`'s messages to `errors` (collecting several checks' errors before raising them at once)."""
    for name, messages in error_dict(exc, field=field).items():
        errors.setdefault(name, []).extend(messages)
