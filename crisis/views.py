"""Staff crisis pages: crisis mode, crisis documents, alerts (compose, approve, live delivery report)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from core.errors import error_messages
from crisis import selectors, services
from crisis.forms import AlertForm, CapSourceForm, CapTrustForm, CrisisDocumentForm, CrisisForm, CrisisSettingsForm
from crisis.models import Alert
from crisis.services.cap_signature import certificates_summary
from tenants.permissions import agency_role_required
from tenants.selectors import ADMIN_ROLES, SUPERVISING_ROLES, user_has_role
from tenants.translations import translated


def _home_url(agency) -> str:
    return reverse("crisis:staff-home", kwargs={"agency_slug": agency.slug})


def _form_errors(form, exc: ValidationError) -> None:
    for message in error_messages(exc, with_fields=False):
        form.add_error(None, message)


def _cap_sources_with_trust(agency, bound_form):
    """The agency's CAP sources, each with its certificates summarised and its own trust form (the one just
    posted, with its errors, for the source it was posted for)."""
    sources = list(selectors.cap_sources(agency=agency))
    for source in sources:
        source.certificates = certificates_summary(source.trusted_certificates)
        if bound_form is not None and str(bound_form.data.get("source")) == str(source.pk):
            source.trust_form = bound_form
        else:
            source.trust_form = CapTrustForm(
                initial={
                    "source": source.pk,
                    "trusted_certificates": source.trusted_certificates,
                    "require_signature": source.require_signature,
                },
                auto_id=f"id_trust{source.pk}_%s",
            )
    return sources


@agency_role_required(SUPERVISING_ROLES)
@require_http_methods(["GET", "POST"])
def crisis_home(request, agency_slug: str):
    from knowledge.models import Document
    from knowledge.services import document_create, document_update

    agency = request.agency
    state = services.crisis_state_get(agency=agency)
    form = CrisisForm(
        initial={"message": agency.crisis_message, "severity": state.severity, "until": state.ends_at}, agency=agency
    )
    settings_form = CrisisSettingsForm(initial={"approval_threshold": state.approval_threshold})
    document_form = CrisisDocumentForm()
    cap_form = CapSourceForm()
    trust_form = None
    can_set_trust = user_has_role(user=request.user, agency=agency, roles=ADMIN_ROLES)
    action = request.POST.get("action", "")
    if request.method == "POST":
        try:
            if action == "on":
                form = CrisisForm(request.POST, agency=agency)
                if form.is_valid():
                    services.crisis_turn_on(
                        agency=agency,
                        actor=request.user,
                        message=form.cleaned_data["message"],
                        severity=form.cleaned_data["severity"],
                        until=form.cleaned_data["until"],
                    )
                    messages.success(request, _("Crisis mode is on."))
                    return redirect(_home_url(agency))
            elif action == "off":
                services.crisis_turn_off(agency=agency, actor=request.user)
                messages.success(request, _("Crisis mode is off."))
                return redirect(_home_url(agency))
            elif action == "settings":
                settings_form = CrisisSettingsForm(request.POST)
                if settings_form.is_valid():
                    services.crisis_settings_update(
                        agency=agency,
                        actor=request.user,
                        approval_threshold=settings_form.cleaned_data["approval_threshold"],
                    )
                    messages.success(request, _("Saved."))
                    return redirect(_home_url(agency))
            elif action == "documents":
                chosen = {int(pk) for pk in request.POST.getlist("crisis_documents") if pk.isdigit()}
                for document in Document.objects.for_agency(agency).filter(is_retired=False):
                    if document.is_crisis != (document.pk in chosen):
                        document_update(
                            agency=agency, actor=request.user, document=document, is_crisis=document.pk in chosen
                        )
                messages.success(request, _("Crisis documents saved."))
                return redirect(_home_url(agency))
            elif action == "cap_source":
                cap_form = CapSourceForm(request.POST)
                if cap_form.is_valid():
                    data = cap_form.cleaned_data
                    _source, key = services.cap_source_create(
                        agency=agency,
                        actor=request.user,
                        name=data["name"],
                        kind=data["kind"],
                        url=data.get("url") or "",
                        allowed_senders=data["allowed_senders"].splitlines(),
                        min_severity=data["min_severity"],
                        action=data["then"],
                        area=cap_form.area(),
                        trusted_certificates=data.get("trusted_certificates") or "",
                        require_signature=data.get("require_signature") or False,
                    )
                    if key:
                        messages.warning(
                            request,
                            _("The source's key (shown once): %(key)s — POST CAP to %(url)s with it.")
                            % {
                                "key": key,
                                "url": request.build_absolute_uri(
                                    reverse("crisis-api-cap", kwargs={"agency_slug": agency.slug})
                                ),
                            },
                        )
                    else:
                        messages.success(request, _("Feed added; it is polled every two minutes."))
                    return redirect(_home_url(agency))
            elif action == "cap_trust":
                trust_form = CapTrustForm(request.POST, auto_id=f"id_trust{request.POST.get('source', '')}_%s")
                if not can_set_trust:
                    messages.error(request, _("Only the agency's administrators set the trusted certificates."))
                    return redirect(_home_url(agency))
                if trust_form.is_valid():
                    source = selectors.cap_source_get(agency=agency, source_id=trust_form.cleaned_data["source"])
                    services.cap_source_trust_set(
                        agency=agency,
                        actor=request.user,
                        source=source,
                        trusted_certificates=trust_form.cleaned_data["trusted_certificates"],
                        require_signature=trust_form.cleaned_data["require_signature"],
                    )
                    messages.success(request, _("Trusted certificates of %(name)s saved.") % {"name": source.name})
                    return redirect(_home_url(agency))
            elif action == "upload":
                document_form = CrisisDocumentForm(request.POST, request.FILES)
                if document_form.is_valid():
                    data = document_form.cleaned_data
                    document_create(
                        agency=agency,
                        actor=request.user,
                        title=data["title"],
                        is_crisis=True,
                        language=agency.languages[0],
                        file=data.get("file"),
                        content=None if data.get("file") else data["content"],
                        format=None if data.get("file") else "text",
                    )
                    messages.success(request, _("Crisis document uploaded; it is being indexed."))
                    return redirect(_home_url(agency))
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as exc:
            target = {"upload": document_form, "settings": settings_form, "cap_source": cap_form}.get(action, form)
            target = trust_form if action == "cap_trust" else target
            _form_errors(target, exc)
    documents = Document.objects.for_agency(agency).filter(is_retired=False).order_by("-is_crisis", "title")
    return render(
        request,
        "crisis/staff_home.html",
        {
            "form": form,
            "settings_form": settings_form,
            "document_form": document_form,
            "state": state,
            "documents": documents,
            "alerts": selectors.alerts_for_staff(agency=agency)[:50],
            "subscriber_counts": selectors.subscriptions_counts(agency=agency),
            "preview_message": translated(agency, "crisis_message"),
            "cap_form": cap_form,
            "cap_sources": _cap_sources_with_trust(agency, trust_form),
            "cap_messages": selectors.cap_messages_recent(agency=agency),
            "can_set_trust": can_set_trust,
            "trust_form": trust_form,
        },
    )


@agency_role_required(SUPERVISING_ROLES)
@require_http_methods(["GET", "POST"])
def alert_new(request, agency_slug: str):
    agency = request.agency
    references, msg_type = None, Alert.MsgType.ALERT
    if request.GET.get("references"):
        try:
            references = selectors.alert_get(agency=agency, alert_id=int(request.GET["references"]))
        except ValueError:
            references = None
        if references is None:
            raise Http404
        msg_type = Alert.MsgType.CANCEL if request.GET.get("type") == "cancel" else Alert.MsgType.UPDATE
    channels = services.channels_available(agency)
    initial = {}
    if references is not None:
        original = references.references or references
        initial = {
            "severity": original.severity,
            "area_kind": original.area_kind,
            "area_desc": original.area_desc,
            "channels": [c for c in original.channels if c in channels],
        }
        for code, text in original.texts.items():
            initial[f"event_{code}"] = text.get("event", "")
            with translation.override(code):  # the word "Cancelled" in the language of the headline it heads
                cancelled = (_("Cancelled: %(h)s") % {"h": text["headline"]})[:160]
            initial[f"headline_{code}"] = cancelled if msg_type == "Cancel" else text["headline"]
            initial[f"instruction_{code}"] = "" if msg_type == "Cancel" else text.get("instruction", "")
        default = f"event_{agency.languages[0]}"
        initial[default] = initial.get(default) or original.event
        if original.area_kind == "circle":
            initial.update(
                circle_lat=original.area["lat"],
                circle_lon=original.area["lon"],
                circle_radius_km=original.area["radius_km"],
            )
        elif original.area_kind == "polygon":
            import json

            initial["area"] = json.dumps(original.area["points"])
    form = AlertForm(
        request.POST or None,
        initial=initial,
        agency=agency,
        channels=channels,
        cancel=msg_type == Alert.MsgType.CANCEL,
    )
    if request.method == "POST" and form.is_valid():
        try:
            alert = services.alert_create(
                agency=agency,
                actor=request.user,
                texts=form.texts(),
                channels=form.cleaned_data["channels"],
                area_kind=form.cleaned_data["area_kind"],
                area=form.area_value(),
                area_desc=form.cleaned_data["area_desc"],
                severity=form.cleaned_data["severity"],
                event=form.event(),
                send_at=form.cleaned_data["send_at"],
                expires_at=form.cleaned_data["expires_at"],
                msg_type=msg_type,
                references=references,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            if alert.status == Alert.Status.PENDING:
                messages.warning(
                    request,
                    ngettext(
                        "This alert reaches %(n)d person: a second supervisor must approve it before it goes out.",
                        "This alert reaches %(n)d people: a second supervisor must approve it before it goes out.",
                        alert.recipients,
                    )
                    % {"n": alert.recipients},
                )
            else:
                messages.success(request, _("The alert is on its way."))
            return redirect(reverse("crisis:staff-alert", kwargs={"agency_slug": agency.slug, "alert_id": alert.pk}))
    from requests_app.views import map_context

    return render(
        request,
        "crisis/alert_form.html",
        {"form": form, "references": references, "msg_type": msg_type, **map_context(agency)},
    )


@agency_role_required(SUPERVISING_ROLES)
@require_http_methods(["GET", "POST"])
def alert_detail(request, agency_slug: str, alert_id: int):
    agency = request.agency
    alert = selectors.alert_get(agency=agency, alert_id=alert_id)
    if alert is None:
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                services.alert_approve(agency=agency, actor=request.user, alert=alert)
                messages.success(request, _("Approved: the alert is on its way."))
            elif action == "reject":
                services.alert_reject(agency=agency, actor=request.user, alert=alert)
                messages.success(request, _("Rejected: the alert will not be sent."))
            elif action == "submit":
                services.alert_submit_draft(agency=agency, actor=request.user, alert=alert)
                messages.success(request, _("Submitted."))
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as exc:
            for message in error_messages(exc):
                messages.error(request, message)
        return redirect(reverse("crisis:staff-alert", kwargs={"agency_slug": agency.slug, "alert_id": alert.pk}))
    return render(
        request,
        "crisis/alert_detail.html",
        {
            "alert": alert,
            "report": services.delivery_report(agency=agency, alert=alert),
            "followups": selectors.alerts_for_staff(agency=agency).filter(references=alert.references or alert),
            "can_follow_up": alert.status == Alert.Status.SENT or alert.status == Alert.Status.SENDING,
        },
    )


@agency_role_required(SUPERVISING_ROLES)
def alert_report(request, agency_slug: str, alert_id: int):
    alert = selectors.alert_get(agency=request.agency, alert_id=alert_id)
    if alert is None:
        raise Http404
    return JsonResponse(services.delivery_report(agency=request.agency, alert=alert))
