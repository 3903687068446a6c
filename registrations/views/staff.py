"""Staff pages: the review queue, one registration (transitions, notes, requests for information),
uploaded documents, and the CSV export. Sensitive answers are masked unless the role may see them
and the person asks to; each reveal is written to the audit trail."""

import csv
from collections.abc import Iterator

from auditlog.signals import accessed
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core import pii
from core.media import media_response
from registrations import services
from registrations.engine import display_value, mask_value
from registrations.flows import spec_for, state_for
from registrations.media import registration_file_media
from registrations.models import FormVersion, Registration, Status
from registrations.selectors import (
    VIEW_ROLES,
    can_see_sensitive,
    case_checker,
    forms_all,
    registration_answer_sections,
    registration_events,
    registration_file_get,
    registration_get_for_staff,
    registrations_queue,
)
from tenants.case_views import revoke_submit, share_submit, sharing_context
from tenants.cases import SHARING_ROLES
from tenants.permissions import agency_role_required
from tenants.selectors import pii_masked_kinds, user_has_role


def _get_or_404(request, reference: str) -> Registration:
    registration = registration_get_for_staff(agency=request.agency, user=request.user, reference=reference)
    if registration is None:
        raise Http404
    return registration


@agency_role_required(VIEW_ROLES)
def queue(request, agency_slug: str):
    status = request.GET.get("status", "open")
    form_slug = request.GET.get("form", "")[:60]
    search = request.GET.get("q", "").strip()[:100]
    registrations = registrations_queue(
        agency=request.agency, user=request.user, status=status, form_slug=form_slug, search=search
    )
    page = Paginator(registrations, 50).get_page(request.GET.get("page"))
    checker = case_checker(agency=request.agency, user=request.user)
    # The rows shared with this person are known from the list's own guardian query: no per-row check.
    return render(
        request,
        "registrations/staff_queue.html",
        {
            "page": page,
            "status": status,
            "form_slug": form_slug,
            "search": search,
            "statuses": [(value, label) for value, label in Status.choices if value != Status.DRAFT],
            "forms": forms_all(agency=request.agency),
            "may_reveal": can_see_sensitive(user=request.user, agency=request.agency),
            "query": request.GET.urlencode(),
            "shared_ids": {r.pk for r in page if checker.shared(r)},
        },
    )


@agency_role_required(VIEW_ROLES)
@require_http_methods(["GET", "POST"])
def detail(request, agency_slug: str, reference: str):
    registration = _get_or_404(request, reference)
    checker = case_checker(agency=request.agency, user=request.user)
    may_review = checker.can_act(registration)
    may_share = user_has_role(user=request.user, agency=request.agency, roles=SHARING_ROLES)
    may_reveal = can_see_sensitive(user=request.user, agency=request.agency)
    if request.method == "POST":
        if not may_review:
            raise Http404
        return _act(request, registration)
    reveal = may_reveal and request.GET.get("reveal") == "1"
    if reveal:
        accessed.send(sender=Registration, instance=registration)  # audit: who saw the sensitive answers
    return render(
        request,
        "registrations/staff_detail.html",
        {
            "registration": registration,
            "sections": registration_answer_sections(registration=registration, reveal=reveal),
            "events": registration_events(registration=registration),
            "reveal": reveal,
            "may_reveal": may_reveal,
            "may_review": may_review,
            "transitions": [
                (value, label) for value, label in Status.choices if value in services.allowed_transitions(registration)
            ],
            "has_sensitive": bool(spec_for(registration.form_version).sensitive_field_ids),
            "may_share": may_share,
            "shared_with_me": checker.shared(registration),
            **(sharing_context(agency=request.agency, case=registration) if may_share else {}),
        },
    )


def _act(request, registration: Registration):
    action = request.POST.get("action", "")
    try:
        if action == "transition":
            services.registration_transition(
                agency=request.agency,
                actor=request.user,
                registration=registration,
                to_status=request.POST.get("to_status", ""),
                public_note=request.POST.get("public_note", ""),
                staff_note=request.POST.get("staff_note", ""),
            )
            messages.success(request, _("Status updated. The applicant has been notified."))
        elif action == "note":
            services.registration_note_add(
                agency=request.agency,
                actor=request.user,
                registration=registration,
                staff_note=request.POST.get("staff_note", ""),
            )
            messages.success(request, _("Note added."))
        else:
            messages.error(request, _("Unknown action."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except services.RegistrationError as exc:
        messages.error(request, exc.message)
    return redirect("registration-staff-detail", request.agency.slug, registration.reference)


@agency_role_required(VIEW_ROLES)
def file_download(request, agency_slug: str, reference: str, file_id: str):
    registration = _get_or_404(request, reference)
    stored = registration_file_get(agency=request.agency, registration=registration, file_id=file_id)
    if stored is None:
        raise Http404
    item = spec_for(registration.form_version).field(stored.field_id)
    if (item is None or item.sensitive) and not can_see_sensitive(user=request.user, agency=request.agency):
        raise Http404
    answer = state_for(registration).answers.get(stored.field_id)
    if not isinstance(answer, dict) or answer.get("file_id") != str(stored.pk):
        raise Http404  # an upload that was replaced is not part of the application
    accessed.send(sender=Registration, instance=registration)
    return media_response(registration_file_media(stored))


@agency_role_required(SHARING_ROLES)
@require_http_methods(["POST"])
def share(request, agency_slug: str, reference: str):
    registration = _get_or_404(request, reference)
    back = reverse("registration-staff-detail", args=[request.agency.slug, registration.reference])
    return share_submit(request, case=registration, back=back + "#sharing-heading")


@agency_role_required(SHARING_ROLES)
@require_http_methods(["POST"])
def unshare(request, agency_slug: str, reference: str):
    registration = _get_or_404(request, reference)
    back = reverse("registration-staff-detail", args=[request.agency.slug, registration.reference])
    return revoke_submit(request, case=registration, back=back + "#sharing-heading")


def _safe_cell(value) -> str:
    """Keep spreadsheet programs from running a cell as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


BASE_COLUMNS = [
    "reference",
    "form",
    "form_version",
    "status",
    "channel",
    "language",
    "submitted_at",
    "updated_at",
    "applicant_name",
    "applicant_email",
    "applicant_phone",
]


@agency_role_required(VIEW_ROLES)
def export_csv(request, agency_slug: str):
    """Registrations as CSV, one column per question. Sensitive answers are masked unless the
    role may see them and `reveal=1` is asked for (which is written to the audit trail)."""
    status = request.GET.get("status", "all")
    registrations = registrations_queue(
        agency=request.agency,
        user=request.user,
        status=status,
        form_slug=request.GET.get("form", "")[:60],
        search=request.GET.get("q", "").strip()[:100],
    ).defer(None)
    reveal = request.GET.get("reveal") == "1" and can_see_sensitive(user=request.user, agency=request.agency)
    version_ids = set(registrations.values_list("form_version_id", flat=True))
    versions = FormVersion.objects.for_agency(request.agency).filter(pk__in=version_ids).order_by("form_id", "number")
    columns: list[str] = []
    for version in versions:
        for item in spec_for(version).fields:
            if item.id not in columns:
                columns.append(item.id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{request.agency.slug}-registrations-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    # Personal data in applicants' contacts and free text, masked for roles that do not need it (core.pii).
    masks = frozenset() if reveal else pii_masked_kinds(user=request.user, agency=request.agency)
    for row in _rows(registrations, columns, reveal, masks=masks):
        writer.writerow(row)
    return response


def _rows(registrations, columns: list[str], reveal: bool, *, masks=frozenset()) -> Iterator[list[str]]:
    yield BASE_COLUMNS + columns
    for registration in registrations.iterator(chunk_size=200):
        if reveal:
            accessed.send(sender=Registration, instance=registration)
        spec = spec_for(registration.form_version)
        answers = state_for(registration).answers
        row = [
            registration.reference,
            registration.form.slug,
            registration.form_version.number,
            registration.status,
            registration.channel,
            registration.language,
            registration.submitted_at.isoformat() if registration.submitted_at else "",
            registration.updated_at.isoformat(),
            registration.applicant_name,
            pii.PLACEHOLDER["email"]
            if "email" in masks and registration.applicant_email
            else registration.applicant_email,
            pii.PLACEHOLDER["phone"]
            if "phone" in masks and registration.applicant_phone
            else registration.applicant_phone,
        ]
        for column in columns:
            item = spec.field(column)
            value = answers.get(column) if item else None
            if item is None or value is None:
                row.append("")
            elif item.sensitive and not reveal:
                row.append(mask_value(item, value))
            else:
                row.append(pii.pii_mask(str(display_value(item, value, "en", iso_dates=True)), kinds=masks))
        yield [_safe_cell(cell) for cell in row]
