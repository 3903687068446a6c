"""Bad input is refused once, at the edges, before any view or socket handler sees it.

PostgreSQL cannot store a NUL character, and UTF-8 cannot carry an unpaired UTF-16 surrogate (JSON's
"\\ud800" escape makes one): either one reaching a query or an encoder was a server error on dozens of
endpoints. Deeply nested JSON made recursive code (form definitions, the engine) raise RecursionError.
So `InputGuardMiddleware` checks every HTTP request's path, query string, form fields, file names and
JSON body, and `AgencyScopedConsumer` checks every socket frame with `json_loads_checked`; both answer
with a clear error (HTTP 400/413, an `error` frame on a socket that stays open).
"""

import json
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

MAX_JSON_DEPTH = 32
_BAD_CHARACTER = re.compile("[\x00\ud800-\udfff]")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_FORM_TYPES = frozenset({"multipart/form-data", "application/x-www-form-urlencoded"})
_JSON_PATHS = ("/api/", "/open311/")
# Messaging webhooks read their raw body themselves: a smaller size limit before reading it, then the
# provider's signature over the exact bytes, then their own parser (which drops NUL and surrogates).
_OWN_BODY_PATHS = ("/hooks/",)


class BadInput(ValueError):
    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def text_check(value: str, what: str = "text") -> None:
    """Raise BadInput when `value` holds a NUL character or an unpaired surrogate."""
    if _BAD_CHARACTER.search(value):
        raise BadInput(
            "bad_character", f"The {what} contains a NUL character or an unpaired surrogate, which are not allowed."
        )


def json_value_check(value, *, max_depth: int = MAX_JSON_DEPTH) -> None:
    """Walk a decoded JSON value without recursion: nesting at most `max_depth`, clean strings and keys."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            text_check(item, "JSON")
        elif isinstance(item, dict | list):
            if depth > max_depth:
                raise BadInput("too_deep", f"JSON may be nested at most {max_depth} levels deep.")
            if isinstance(item, dict):
                for key, child in item.items():
                    text_check(key, "JSON")
                    stack.append((child, depth + 1))
            else:
                stack.extend((child, depth + 1) for child in item)


def _no_constants(name: str):
    raise ValueError(f"{name} is not valid JSON")


def json_loads_checked(text: str | bytes, *, max_depth: int = MAX_JSON_DEPTH):
    """`json.loads` that refuses NaN/Infinity, nesting past `max_depth`, NUL and lone surrogates.

    Raises BadInput for all of them and for text that is not JSON at all."""
    try:
        value = json.loads(text, parse_constant=_no_constants)
    except RecursionError:
        raise BadInput("too_deep", f"JSON may be nested at most {max_depth} levels deep.") from None
    except (ValueError, TypeError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise BadInput("bad_json", f"The body is not valid JSON ({exc}).") from None
    json_value_check(value, max_depth=max_depth)
    return value


def _request_check(request: HttpRequest) -> None:
    text_check(request.path, "address")
    for key, values in request.GET.lists():
        text_check(key, "query string")
        for value in values:
            text_check(value, "query string")
    for key in [key for key, value in request.COOKIES.items() if _BAD_CHARACTER.search(key + value)]:
        del request.COOKIES[key]  # a mangled cookie is ignored, like no cookie, rather than locking the browser out
    if request.method not in _BODY_METHODS or request.path.startswith(_OWN_BODY_PATHS):
        return
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise BadInput("bad_length", "The Content-Length header is not a number.") from None
    content_type = request.content_type or ""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if content_type == "multipart/form-data":
        limit = settings.REQUEST_MAX_UPLOAD_BYTES
    if limit is not None and length > limit:
        raise BadInput("too_large", f"The request body is larger than {limit} bytes.", status=413)
    if content_type in _FORM_TYPES:
        for key, values in request.POST.lists():
            text_check(key, "form")
            for value in values:
                text_check(value, "form")
        for key, uploads in request.FILES.lists():
            text_check(key, "form")
            for upload in uploads:
                text_check(upload.name or "", "file name")
    elif (content_type == "application/json" or content_type.endswith("+json")) and request.body:
        json_loads_checked(request.body)


def _refusal(request: HttpRequest, error: BadInput) -> HttpResponse:
    if request.path.startswith(_JSON_PATHS) or "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"detail": error.message, "code": error.code}, status=error.status)
    return render(request, "400.html", {"message": error.message}, status=error.status)


class InputGuardMiddleware:
    """Refuse requests carrying NUL, unpaired surrogates, over-deep or invalid JSON (400) or an
    over-large body (413) before any other code parses them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            _request_check(request)
        except BadInput as error:
            return _refusal(request, error)
        except RequestDataTooBig:
            return _refusal(request, BadInput("too_large", _("The request body is too large."), status=413))
        except (MultiPartParserError, TooManyFieldsSent, UnicodeDecodeError) as exc:
            return _refusal(request, BadInput("bad_form", f"The form data could not be read ({exc})."))
        return self.get_response(request)
