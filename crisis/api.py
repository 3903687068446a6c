"""CAP 1.2 pushed to an agency: POST /api/v1/a/<slug>/cap/ with the source's key (`Authorization: Bearer …`
or `X-API-Key`), the CAP document (or an Atom feed of them) as the body."""

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from crisis.cap import CapInvalid
from crisis.services import cap_receive, cap_source_for_key


@csrf_exempt  # a machine-to-machine endpoint authenticated by its key, never by cookies
@require_POST
def cap_push(request, agency_slug: str):
    auth = request.headers.get("Authorization", "")
    key = auth[7:].strip() if auth.lower().startswith("bearer ") else request.headers.get("X-API-Key", "")
    source = cap_source_for_key(agency=request.agency, key=key)
    if source is None:
        return JsonResponse({"detail": "A valid CAP source key is required."}, status=401)
    try:
        records = cap_receive(agency=request.agency, source=source, data=request.body)
    except CapInvalid as exc:
        return JsonResponse({"detail": f"Not a valid CAP 1.2 document: {exc}"}, status=400)
    return JsonResponse(
        {
            "received": [
                {"identifier": r.identifier, "sender": r.sender, "outcome": r.outcome, "reason": r.reason}
                for r in records
            ]
        },
        status=202,
    )
