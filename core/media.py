"""Stored files (everything under MEDIA_ROOT) are served only through here, never as static files.

Each app that stores files registers a resolver for the first segment of its storage paths
(`knowledge/…`, `requests/…`, `registrations/…`). `GET /media/<name>` finds the resolver, which checks
the agency in the path, the owning row, its audience and the user's role, and answers a `MediaFile`
or `None` (404: a file the user may not see does not exist for them, whoever else owns it). A path no
app claims is a 404 too, so a file dropped under MEDIA_ROOT by anything else is never public.

The bytes leave by `settings.MEDIA_SERVE`: "django" reads them in the process (development, tests),
"x-accel-redirect" hands nginx an internal location (`MEDIA_ACCEL_PREFIX` + name, mapped to MEDIA_ROOT
with `internal;`) and "x-sendfile" hands Apache/lighttpd the file's path. Files that must be decrypted
are always read in the process.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse

SERVE_MODES = ("django", "x-accel-redirect", "x-sendfile")


@dataclass(frozen=True)
class MediaFile:
    """What a resolver allows: the stored file, how to label it, and who may cache it."""

    name: str  # the storage name, e.g. "knowledge/agency-3/doc-9/rules.pdf"
    content_type: str
    public: bool  # anyone may see it (shared caches may keep it) or only this user (never stored)
    download_name: str = ""  # sent as an attachment under this name; empty: shown inline
    decrypt: Callable[[bytes], bytes] | None = None


Resolver = Callable[[HttpRequest, str], "MediaFile | None"]
_resolvers: dict[str, Resolver] = {}


def media_resolver_register(prefix: str, resolver: Resolver) -> None:
    """Claim the storage paths that start with `prefix/` (an app's AppConfig.ready())."""
    _resolvers[prefix] = resolver


def media_response(media: MediaFile) -> HttpResponse:
    """The response carrying a file a resolver allowed (also for views that check access themselves)."""
    mode = settings.MEDIA_SERVE
    if media.decrypt is not None or mode == "django":
        try:
            with default_storage.open(media.name, "rb") as handle:
                # Whole, not streamed: a synchronous file iterator would be consumed thread hop by
                # thread hop under ASGI; large files belong behind X-Accel-Redirect / X-Sendfile.
                content = handle.read()
        except (FileNotFoundError, IsADirectoryError):
            raise Http404 from None
        if media.decrypt is not None:
            content = media.decrypt(content)
        response = HttpResponse(content, content_type=media.content_type)
    else:
        if not default_storage.exists(media.name):
            raise Http404
        response = HttpResponse(content_type=media.content_type)
        if mode == "x-accel-redirect":
            response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_PREFIX + quote(media.name)
        else:
            response["X-Sendfile"] = default_storage.path(media.name)
    if media.download_name:
        safe = media.download_name.replace('"', "").replace("\\", "")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(safe)}"
    response["X-Content-Type-Options"] = "nosniff"
    # An uploaded HTML or SVG file opened directly must not run script in the portal's origin.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    response["Cache-Control"] = "public, max-age=86400" if media.public else "private, no-store"
    if not media.public:
        response["Vary"] = "Cookie"
    return response


def media_serve(request: HttpRequest, name: str) -> HttpResponse:
    """GET /media/<name>: only what the owning app's resolver allows this user."""
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts) or "\\" in name:
        raise Http404
    resolver = _resolvers.get(parts[0])
    media = resolver(request, name) if resolver is not None else None
    if media is None:
        raise Http404
    return media_response(media)
