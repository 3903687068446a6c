"""The webhook: /hooks/<agency-slug>/<kind>/ — one per agency and channel.

GET is the provider's verification handshake. POST: refuse an over-large body before reading it,
verify the signature or secret over the exact raw bytes (401/403, counted, nothing stored), store the
raw event (a provider retry of the same id is acknowledged again, not stored twice) and answer 2xx at
once; the turn runs in a worker after commit (`messaging.tasks`).
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from messaging.providers.base import Verdict
from messaging.selectors import connection_for_hook
from messaging.services import connection_signature_rejected, inbound_event_store
from tenants.context import agency_context


def _body(request: HttpRequest, limit: int) -> bytes | None:
    """The raw body, or None when it is (or turns out to be) larger than `limit` bytes."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if declared > limit:
        return None
    raw = request.read(limit + 1)
    return None if len(raw) > limit else raw


@csrf_exempt
def webhook(request: HttpRequest, agency_slug: str, kind: str) -> HttpResponse:
    # Only deliveries use the kept copy; a handshake (rare, right after connecting) reads it fresh.
    found = connection_for_hook(agency_slug=agency_slug, kind=kind, fresh=request.method != "POST")
    if found is None:
        raise Http404
    connection, provider = found
    with agency_context(connection.agency):
        return _serve(request, connection, provider, agency_slug)


def _serve(request: HttpRequest, connection, provider, agency_slug: str) -> HttpResponse:
    if request.method == "GET":
        answer = provider.handshake(connection, request)
        return answer if answer is not None else HttpResponse(status=405, headers={"Allow": "POST"})
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    raw = _body(request, provider.max_body_bytes)
    if raw is None:
        return HttpResponse("Request body too large.", status=413, content_type="text/plain")
    verdict = provider.verify(connection, request, raw)
    if verdict is not Verdict.OK:
        # The kept copy may hold a secret rotated since (in another process): ask the database once.
        found = connection_for_hook(agency_slug=agency_slug, kind=connection.kind, fresh=True)
        if found is None or found[0].agency_id != connection.agency_id:
            raise Http404
        connection = found[0]
        verdict = provider.verify(connection, request, raw)
    if verdict is not Verdict.OK:
        connection_signature_rejected(connection=connection)
        return HttpResponse(status=verdict.value)
    inbound_event_store(
        connection=connection,
        provider_id=provider.event_id(connection, request, raw),
        body=raw,
        content_type=request.META.get("CONTENT_TYPE", ""),
    )
    return provider.acknowledge(connection, request)
