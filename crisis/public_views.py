"""Citizens' alert pages: current alerts, subscribe/confirm/unsubscribe, the CAP 1.2 feed and documents, and the
SMS gateway's inbound webhook (STOP) and status callbacks (delivered)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import error_dict
from crisis import cap, selectors, services
from crisis.forms import ConfirmForm, SubscribeForm
from crisis.models import Channel, Subscription
from crisis.tokens import subscription_token, subscription_token_read


def _channels(agency) -> list[tuple[str, str]]:
    from requests_app.services.notify import sms_configured

    choices = [(Channel.EMAIL.value, _("E-mail"))]
    if sms_configured(agency):
        choices.append((Channel.SMS.value, _("Text message (SMS)")))
    return choices


def alerts_home(request, agency_slug: str):
    from requests_app.views import map_context

    agency = request.agency
    form = SubscribeForm(request.POST or None, channels=_channels(agency))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            subscription = services.subscription_start(
                agency=agency,
                channel=data["channel"],
                address=data["address"],
                language=get_language(),
                lat=data.get("lat"),
                lon=data.get("lon"),
                radius_km=data.get("radius_km"),
                place=data.get("place") or "",
            )
        except ValidationError as exc:
            for field, errors in error_dict(exc, field="__all__").items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            token = subscription_token(subscription)
            return redirect(reverse("crisis:confirm", kwargs={"agency_slug": agency.slug, "token": token}) + "?sent=1")
    return render(
        request,
        "crisis/alerts_home.html",
        {
            "alerts": [(alert, alert.text(get_language())) for alert in selectors.alerts_current(agency=agency)],
            "form": form,
            **map_context(agency),
        },
    )


def alert_public(request, agency_slug: str, identifier: str):
    alert = selectors.alert_get_public(agency=request.agency, identifier=identifier)
    if alert is None:
        raise Http404
    language = get_language()
    return render(request, "crisis/alert_public.html", {"alert": alert, "text": alert.text(language)})


def alert_cap(request, agency_slug: str, identifier: str):
    alert = selectors.alert_get_public(agency=request.agency, identifier=identifier)
    if alert is None:
        raise Http404
    return HttpResponse(cap.alert_document(request.agency, alert), content_type="application/cap+xml; charset=utf-8")


def alerts_feed(request, agency_slug: str):
    agency = request.agency
    alerts = selectors.alerts_current(agency=agency, with_cancels=True)
    body = cap.alerts_feed(agency, alerts, self_url=request.build_absolute_uri())
    return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")


@require_http_methods(["GET", "POST"])
def confirm(request, agency_slug: str, token: str):
    agency = request.agency
    subscription_id = subscription_token_read(agency=agency, token=token)
    subscription = (
        Subscription.objects.for_agency(agency).filter(pk=subscription_id).first() if subscription_id else None
    )
    if subscription is None:
        return render(request, "crisis/confirm.html", {"invalid": True}, status=404)
    code = request.POST.get("code") or request.GET.get("code") or ""
    form = ConfirmForm(request.POST or ({"code": code} if code else None))
    done = subscription.active
    if not done and request.method == "POST" and form.is_valid():
        try:
            services.subscription_confirm(
                agency=agency, subscription_id=subscription.pk, code=form.cleaned_data["code"]
            )
            done = True
        except ValidationError as exc:
            form.add_error("code", exc.messages[0])
    return render(
        request,
        "crisis/confirm.html",
        {"form": form, "done": done, "channel": subscription.channel, "sent": request.GET.get("sent"), "code": code},
    )


@csrf_exempt  # RFC 8058 one-click unsubscribe posts without our cookie; the signed token is the authority
@require_http_methods(["GET", "POST"])
def unsubscribe(request, agency_slug: str, token: str):
    agency = request.agency
    subscription_id = subscription_token_read(agency=agency, token=token)
    if subscription_id is None:
        return render(request, "crisis/unsubscribe.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        done = services.subscription_unsubscribe(agency=agency, subscription_id=subscription_id) is not None
        if not done:
            return render(request, "crisis/unsubscribe.html", {"invalid": True}, status=404)
    return render(request, "crisis/unsubscribe.html", {"done": done})


@csrf_exempt  # the SMS gateway's webhook, authenticated by its signature
@require_POST
def sms_inbound(request, agency_slug: str):
    """Twilio-style inbound SMS: STOP (and its synonyms) ends the number's alert subscriptions here."""
    from twilio.request_validator import RequestValidator

    if not settings.SMS_AUTH_TOKEN:
        raise Http404
    validator = RequestValidator(settings.SMS_AUTH_TOKEN)
    url = settings.SITE_URL.rstrip("/") + request.get_full_path()
    if not validator.validate(url, request.POST.dict(), request.headers.get("X-Twilio-Signature", "")):
        return HttpResponseForbidden("bad signature")
    body = (request.POST.get("Body") or "").strip().upper()
    reply = ""
    if body in {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"}:
        services.subscriptions_stop_sms(agency=request.agency, phone=request.POST.get("From", ""))
        reply = _("You will get no more alerts from %(agency)s.") % {"agency": request.agency.public_name}
    twiml = '<?xml version="1.0" encoding="UTF-8"?><Response>'
    if reply:
        from xml.sax.saxutils import escape

        twiml += f"<Message>{escape(reply)}</Message>"
    return HttpResponse(twiml + "</Response>", content_type="application/xml")


@csrf_exempt  # the SMS gateway's status callback, authenticated by its signature
@require_POST
def sms_status(request, agency_slug: str, delivery_id: int):
    """Twilio-style `StatusCallback` for one alert text: `delivered` (or `undelivered`/`failed`) is recorded on
    its delivery row. Signed with the auth token of the route the text went out on; another agency's delivery
    is a 404."""
    from twilio.request_validator import RequestValidator

    from crisis.services.sms_out import _sms_route

    route = _sms_route(request.agency)
    if route is None:
        raise Http404
    url = settings.SITE_URL.rstrip("/") + request.get_full_path()
    if not RequestValidator(route[2]).validate(url, request.POST.dict(), request.headers.get("X-Twilio-Signature", "")):
        return HttpResponseForbidden("bad signature")
    if not services.delivery_exists(agency=request.agency, delivery_id=delivery_id):
        raise Http404
    error = " ".join(filter(None, [request.POST.get("ErrorCode", ""), request.POST.get("ErrorMessage", "")]))
    services.delivery_receipt_record(
        agency=request.agency,
        delivery_id=delivery_id,
        provider_id=request.POST.get("MessageSid", ""),
        status=request.POST.get("MessageStatus", ""),
        error=error,
    )
    return HttpResponse(status=204)
