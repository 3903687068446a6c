import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from privacy import services
from privacy.models import DataKind, HoldTarget, LegalHold, RetentionRun
from privacy.retention import retention_preview
from privacy.rights import ErasureBlocked, citizen_erase, citizen_export, citizen_export_record
from tenants.permissions import agency_role_required
from tenants.selectors import ADMIN_ROLES


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@agency_role_required(ADMIN_ROLES)
@require_http_methods(["GET", "POST"])
def privacy_home(request, agency_slug: str):
    agency = request.agency
    errors: dict = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "policy":
                kind = request.POST.get("kind", "")
                days = _int(request.POST.get("days"))
                if days is None:
                    raise ValidationError({"days": _("Give the period as a whole number of days.")})
                services.retention_policy_set(
                    agency=agency, actor=request.user, kind=kind, days=days, enabled=request.POST.get("enabled") == "on"
                )
                messages.success(request, _("Retention period saved."))
            elif action == "hold":
                services.legal_hold_place(
                    agency=agency,
                    actor=request.user,
                    target=request.POST.get("target", ""),
                    reference=request.POST.get("reference", "")[:254],
                    reason=request.POST.get("reason", "")[:500],
                )
                messages.success(request, _("Legal hold placed."))
            elif action in ("export", "erase"):
                email, phone = request.POST.get("email", "").strip()[:254], request.POST.get("phone", "").strip()[:40]
                if bool(email) == bool(phone):
                    raise ValidationError({"email": _("Give the citizen's e-mail address or phone number (one).")})
                if action == "export":
                    document = citizen_export(agency=agency, email=email, phone=phone)
                    found = any(document[k] for k in ("service_requests", "follows", "registrations", "conversations"))
                    citizen_export_record(agency=agency, actor=request.user, via="staff", found_anything=found)
                    if not found:
                        raise ValidationError({"email": _("Nothing found for this address or number.")})
                    response = HttpResponse(
                        json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json"
                    )
                    response["Content-Disposition"] = f'attachment; filename="{agency.slug}-citizen-export.json"'
                    response["Cache-Control"] = "no-store"
                    return response
                if request.POST.get("confirm") != "on":
                    raise ValidationError({"confirm": _("Tick the box to confirm: an erasure cannot be undone.")})
                try:
                    counts = citizen_erase(agency=agency, actor=request.user, email=email, phone=phone, via="staff")
                except ErasureBlocked as blocked:
                    raise ValidationError({"email": str(blocked)}) from None
                if counts:
                    messages.success(
                        request, _("Erased: %(what)s.") % {"what": ", ".join(f"{k} {n}" for k, n in counts.items())}
                    )
                else:
                    messages.info(request, _("Nothing found for this address or number."))
            elif action == "release":
                hold_id = _int(request.POST.get("hold"))
                if hold_id is None:
                    raise ValidationError({"hold": _("No such hold.")})
                try:
                    services.legal_hold_release(agency=agency, actor=request.user, hold_id=hold_id)
                except LegalHold.DoesNotExist:
                    raise ValidationError({"hold": _("No such hold.")}) from None
                messages.success(request, _("Legal hold released."))
            else:
                raise ValidationError({"action": _("Unknown action.")})
            return redirect(request.path)
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    context = {
        "preview": retention_preview(agency=agency),
        "holds": LegalHold.objects.for_agency(agency).filter(released_at__isnull=True).select_related("created_by"),
        "released": LegalHold.objects.for_agency(agency).filter(released_at__isnull=False)[:20],
        "runs": RetentionRun.objects.for_agency(agency)[:10],
        "targets": HoldTarget.choices,
        "kinds": DataKind.choices,
        "errors": errors,
        "posted": request.POST if errors else {},
    }
    return render(request, "privacy/staff.html", context, status=400 if errors else 200)
