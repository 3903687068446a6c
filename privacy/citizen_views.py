"""Citizens' pages: ask to export or erase what the agency holds about your e-mail or phone, prove it
with a one-time code, then download the export or confirm the erasure."""

import json

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from privacy.models import RightsRequest
from privacy.requests import (
    CodeRejected,
    rights_request_done,
    rights_request_start,
    rights_request_verify,
    signed_id,
    unsign_id,
)
from privacy.rights import ErasureBlocked, citizen_erase, citizen_export, citizen_export_record


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


@require_http_methods(["GET", "POST"])
def privacy_request(request, agency_slug: str):
    agency = request.agency
    if agency is None:
        raise Http404
    errors: list[str] = []
    if request.method == "POST":
        try:
            started = rights_request_start(
                agency=agency,
                kind=request.POST.get("kind", ""),
                email=request.POST.get("email", "")[:254],
                phone=request.POST.get("phone", "")[:40],
            )
        except ValidationError as error:
            errors = error.messages
        else:
            return redirect(reverse("privacy-verify", kwargs={"agency_slug": agency.slug, "token": signed_id(started)}))
    return render(
        request,
        "privacy/citizen_request.html",
        {"errors": errors, "posted": request.POST},
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
def privacy_verify(request, agency_slug: str, token: str):
    agency = request.agency
    request_id = unsign_id(token, agency=agency) if agency is not None else None
    if request_id is None:
        raise Http404
    context = {"token": token, "errors": [], "result": None}
    if request.method == "POST":
        try:
            rights = rights_request_verify(
                agency=agency,
                request_id=request_id,
                code=request.POST.get("code", "")[:12],
                client_ip=_client_ip(request),
            )
        except CodeRejected as rejected:
            context["errors"] = [str(rejected)]
            return render(request, "privacy/citizen_verify.html", context, status=400)
        if rights.kind == RightsRequest.Kind.EXPORT:
            document = citizen_export(agency=agency, email=rights.email, phone=rights.phone)
            found = any(document[key] for key in ("service_requests", "follows", "registrations", "conversations"))
            citizen_export_record(agency=agency, via="citizen", found_anything=found)
            rights_request_done(agency=agency, request=rights)
            if not found:
                context["result"] = _("We found nothing about this address or number.")
                return render(request, "privacy/citizen_verify.html", context)
            response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json")
            response["Content-Disposition"] = f'attachment; filename="{agency.slug}-my-data.json"'
            response["Cache-Control"] = "no-store"
            return response
        try:
            counts = citizen_erase(agency=agency, email=rights.email, phone=rights.phone, via="citizen")
        except ErasureBlocked:
            context["errors"] = [
                _(
                    "We must keep some of this data for now (a legal hold), so nothing was erased. Contact us to know more."
                )
            ]
            return render(request, "privacy/citizen_verify.html", context, status=409)
        rights_request_done(agency=agency, request=rights)
        context["result"] = (
            _(
                "Done: everything we held about you is erased. Reports you made stay on the public map without your name."
            )
            if counts
            else _("We found nothing about this address or number.")
        )
    return render(request, "privacy/citizen_verify.html", context)
