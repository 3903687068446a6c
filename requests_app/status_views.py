"""Twilio's status callbacks for the outbox's texts: /a/<slug>/requests/sms/status/<notification id>/ (the
`StatusCallback` each text is sent with; `requests_app.services.receipts`)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from messaging.twilio_api import twilio_signature_valid
from requests_app.services.receipts import notification_delivery_record, sms_callback_tokens


@csrf_exempt  # Twilio's callback, authenticated by its signature
@require_POST
def sms_status(request, agency_slug: str, notification_id: int):
    """Signed (`X-Twilio-Signature`, over the URL the text was given and the form) with the auth token of the
    agency's SMS account or the installation's gateway: anything else is a 403 (a 404 when the agency has no way to
    send texts). A text that is not this agency's, or not the message the callback names, is a 404."""
    agency = request.agency
    url = settings.NOTIFICATION_STATUS_CALLBACK_BASE_URL + request.get_full_path()
    params = [(key, value) for key, values in request.POST.lists() for value in values]
    signature = request.headers.get("X-Twilio-Signature", "")
    tokens = sms_callback_tokens(agency)
    if not tokens:  # the agency sends no texts: there is nothing here a callback could be about
        raise Http404
    if not any(twilio_signature_valid(token, url, params, signature) for token in tokens):
        return HttpResponseForbidden("Bad or missing X-Twilio-Signature.")
    sid, status = request.POST.get("MessageSid", "").strip(), request.POST.get("MessageStatus", "").strip()
    if not sid or not status:
        return HttpResponseBadRequest("MessageSid and MessageStatus are required.")
    recorded = notification_delivery_record(
        agency=agency,
        notification_id=notification_id,
        provider_id=sid,
        status=status.lower(),
        error_code=request.POST.get("ErrorCode", ""),
    )
    if recorded is None:
        raise Http404
    return HttpResponse(status=204)
