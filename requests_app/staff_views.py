"""Staff pages under /a/<slug>/staff/requests/: the queue with filters and a map, a request's detail
with history, the work forms (status, assignment, notes, merge), sharing, and phone entry. Who sees and
works which request is decided in `tenants.cases` (caseworkers: their departments' requests and the ones
shared with them); analysts read but do not change."""

import datetime as dt
import zoneinfo

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import error_messages
from requests_app import selectors
from requests_app.forms import AssignForm, MergeForm, NoteForm, QueueFilterForm, ReportForm, TransitionForm
from requests_app.models import OPEN_STATUSES, RequestPhoto, StatusEvent
from requests_app.services import (
    Reporter,
    allowed_transitions,
    service_request_assign,
    service_request_merge,
    service_request_note,
    service_request_transition,
)
from requests_app.views import map_context, report_file
from tenants.case_views import sharing_context
from tenants.cases import SHARING_ROLES
from tenants.models import Department
from tenants.permissions import agency_role_required
from tenants.selectors import STAFF_ROLES, pii_masked_kinds, user_has_role
from tenants.translations import translated, translated_value

WORK_ROLES = selectors.WORK_ROLES


def _departments(agency):
    return Department.objects.for_agency(agency).filter(is_active=True).order_by("name")


@agency_role_required(STAFF_ROLES)
def queue(request, agency_slug: str):
    agency = request.agency
    categories = list(selectors.categories_active(agency=agency))
    departments = list(_departments(agency))
    params = request.GET.copy()
    if "status" not in params and "filtered" not in params:
        params.setlist("status", list(OPEN_STATUSES))
    form = QueueFilterForm(params, categories=categories, departments=departments)
    filters = selectors.QueueFilters(status=list(OPEN_STATUSES))
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.QueueFilters(
            status=data["status"],
            category=data["category"],
            department=int(data["department"]) if data["department"] else None,
            older_than_days=data["older_than_days"],
            sla_breached=data["sla_breached"],
            mine=data["mine"],
            search=data["q"],
        )
    queryset = selectors.service_requests_queue(agency=agency, user=request.user, filters=filters)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    checker = selectors.case_checker(agency=agency, user=request.user)
    # The rows shared with this person are known from the list's own guardian query: no per-row check.
    shared_ids = {r.pk for r in page if checker.shared(r)}
    markers = [
        {
            "reference": r.reference,
            "lat": r.lat,
            "long": r.long,
            "label": f"{r.reference} · {translated(r.category, 'name')} · {r.get_status_display()}",
            "url": reverse("requests:staff-detail", kwargs={"agency_slug": agency.slug, "reference": r.reference}),
        }
        for r in page
        if r.lat is not None
    ]
    query = params.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "markers": markers,
        "query": query.urlencode(),
        "shared_ids": shared_ids,
        "can_work": user_has_role(user=request.user, agency=agency, roles=WORK_ROLES),
        **map_context(agency),
    }
    return render(request, "requests_app/staff/queue.html", context)


def _get(request, reference):
    found = selectors.service_request_get_for_staff(agency=request.agency, user=request.user, reference=reference)
    if found is None:
        raise Http404
    return found


def _get_to_work(request, reference):
    """A request this person may act on; one they may only read (shared read-only) is a 404 here too."""
    found = _get(request, reference)
    if not selectors.case_checker(agency=request.agency, user=request.user).can_act(found):
        raise Http404
    return found


def _expected(day: dt.date | None, agency) -> dt.datetime | None:
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time(17, 0), tzinfo=zoneinfo.ZoneInfo(agency.timezone))


@agency_role_required(STAFF_ROLES)
def detail(request, agency_slug: str, reference: str):
    agency = request.agency
    service_request = _get(request, reference)
    events = StatusEvent.objects.for_agency(agency).filter(request=service_request).select_related("actor")
    photos = RequestPhoto.objects.for_agency(agency).filter(request=service_request)
    checker = selectors.case_checker(agency=agency, user=request.user)
    nearby = []
    if service_request.has_location and service_request.is_open:
        nearby = [
            item
            for item in selectors.duplicates_nearby(
                agency=agency,
                category=service_request.category,
                lat=service_request.lat,
                long=service_request.long,
                limit=6,
            )
            if item.request.pk != service_request.pk
        ]
    duplicates = list(service_request.duplicates.all())
    checker.prefetch([service_request, *(item.request for item in nearby), *duplicates])
    nearby = [item for item in nearby if checker.can_view(item.request)]
    duplicates = [d for d in duplicates if checker.can_view(d)]
    can_work = checker.can_act(service_request)
    can_share = user_has_role(user=request.user, agency=agency, roles=SHARING_ROLES)
    members = selectors.assignable_staff(agency=agency)
    answers = _answers(service_request)
    photo_urls = [
        reverse(
            "requests:photo",
            kwargs={
                "agency_slug": agency.slug,
                "uid": p.uid,
                "ext": {"JPEG": "jpg", "PNG": "png"}.get(p.format, "webp"),
            },
        )
        for p in photos
    ]
    markers = []
    if service_request.has_location:
        markers = [
            {
                "reference": service_request.reference,
                "lat": service_request.lat,
                "long": service_request.long,
                "label": service_request.reference,
            }
        ]
    context = {
        "r": service_request,
        "events": events,
        "photo_urls": photo_urls,
        "markers": markers,
        "answers": answers,
        "nearby": nearby,
        "duplicates": duplicates,
        "can_work": can_work,
        "can_share": can_share,
        "shared_with_me": checker.shared(service_request),
        **(sharing_context(agency=agency, case=service_request) if can_share else {}),
        "transition_form": TransitionForm(allowed=allowed_transitions(service_request), current=service_request.status),
        "assign_form": AssignForm(
            departments=_departments(agency),
            members=members,
            initial={
                "department": service_request.department_id,
                "assignee": service_request.assignee_id,
                "expected_date": timezone.localtime(service_request.expected_at).date()
                if service_request.expected_at
                else None,
            },
        ),
        "note_form": NoteForm(),
        "merge_form": MergeForm(),
        "pii_masks": pii_masked_kinds(user=request.user, agency=agency),
        **map_context(agency),
    }
    return render(request, "requests_app/staff/detail.html", context)


def _answers(service_request) -> list[tuple[str, str]]:
    """The extra questions and the answers, with choice keys shown by their names, in the staff member's language
    when the agency translated them."""
    attributes = {a.code: a for a in service_request.category.attributes.all()}
    shown = []
    for code, value in (service_request.attributes or {}).items():
        attribute = attributes.get(code)
        names = dict(attribute.choices) if attribute else {}
        values = value if isinstance(value, list) else [value]
        answer = ", ".join(
            translated_value(attribute, str(v), str(names[str(v)])) if str(v) in names else str(v) for v in values
        )
        shown.append((translated(attribute, "description") if attribute else code, answer))
    return shown


def _back(service_request, agency):
    return redirect("requests:staff-detail", agency_slug=agency.slug, reference=service_request.reference)


def _fail(request, exc: ValidationError) -> None:
    messages.error(request, "; ".join(error_messages(exc)))


@agency_role_required(WORK_ROLES)
@require_POST
def transition(request, agency_slug: str, reference: str):
    agency = request.agency
    service_request = _get_to_work(request, reference)
    form = TransitionForm(request.POST, allowed=allowed_transitions(service_request), current=service_request.status)
    if not form.is_valid():
        if "confirm_backward" in form.errors:
            messages.error(request, " ".join(form.errors["confirm_backward"]))
        else:
            messages.error(request, _("Choose one of the offered statuses."))
        return _back(service_request, agency)
    data = form.cleaned_data
    try:
        service_request_transition(
            agency=agency,
            actor=request.user,
            request=service_request,
            to_status=data["to_status"],
            public_note=data["public_note"],
            internal_note=data["internal_note"],
            expected_at=_expected(data["expected_date"], agency),
        )
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Status changed."))
    return _back(service_request, agency)


@agency_role_required(WORK_ROLES)
@require_POST
def assign(request, agency_slug: str, reference: str):
    agency = request.agency
    service_request = _get_to_work(request, reference)
    form = AssignForm(request.POST, departments=_departments(agency), members=selectors.assignable_staff(agency=agency))
    if not form.is_valid():
        messages.error(request, _("Choose a department and a person from the lists."))
        return _back(service_request, agency)
    data = form.cleaned_data
    department = _departments(agency).filter(pk=data["department"]).first() if data["department"] else None
    assignee = get_user_model().objects.filter(pk=data["assignee"]).first() if data["assignee"] else None
    try:
        service_request_assign(
            agency=agency,
            actor=request.user,
            request=service_request,
            department=department,
            assignee=assignee,
            expected_at=_expected(data["expected_date"], agency),
        )
    except ValidationError as exc:
        _fail(request, exc)
        return _back(service_request, agency)
    messages.success(request, _("Assignment saved."))
    if selectors.service_request_get_for_staff(agency=agency, user=request.user, reference=reference) is None:
        # A caseworker who handed the request to another department can no longer see it.
        return redirect("requests:staff-queue", agency_slug=agency.slug)
    return _back(service_request, agency)


@agency_role_required(WORK_ROLES)
@require_POST
def note(request, agency_slug: str, reference: str):
    agency = request.agency
    service_request = _get_to_work(request, reference)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            service_request_note(
                agency=agency,
                actor=request.user,
                request=service_request,
                public_note=form.cleaned_data["public_note"],
                internal_note=form.cleaned_data["internal_note"],
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Note added."))
    else:
        messages.error(request, _("The note is too long."))
    return _back(service_request, agency)


@agency_role_required(WORK_ROLES)
@require_POST
def merge(request, agency_slug: str, reference: str):
    agency = request.agency
    service_request = _get_to_work(request, reference)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reference of the report to keep."))
        return _back(service_request, agency)
    into = selectors.service_request_get_for_staff(
        agency=agency, user=request.user, reference=form.cleaned_data["into"]
    )
    if into is None:
        messages.error(request, _("No request with that reference."))
        return _back(service_request, agency)
    try:
        service_request_merge(
            agency=agency,
            actor=request.user,
            request=service_request,
            into=into,
            public_note=form.cleaned_data["public_note"],
        )
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Marked as a duplicate of %(reference)s.") % {"reference": into.reference})
    return _back(service_request, agency)


@agency_role_required(WORK_ROLES)
def phone_start(request, agency_slug: str):
    categories = list(selectors.categories_active(agency=request.agency))
    return render(request, "requests_app/staff/phone_start.html", {"categories": categories})


@agency_role_required(WORK_ROLES)
@require_http_methods(["GET", "POST"])
def phone_entry(request, agency_slug: str, code: str):
    agency = request.agency
    category = selectors.category_get(agency=agency, code=code)
    if category is None:
        raise Http404
    form = ReportForm(request.POST or None, request.FILES or None, category=category, staff=True)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result, duplicates = report_file(
            form,
            agency=agency,
            actor=request.user,
            reporter=Reporter(
                email=data["email"],
                phone=data["phone"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                follow=data["follow"],
            ),
            source="phone",
        )
        if result is not None:
            messages.success(
                request,
                _("Filed as %(reference)s. Read this reference to the caller.")
                % {"reference": result.request.reference},
            )
            return redirect("requests:staff-detail", agency_slug=agency.slug, reference=result.request.reference)
    context = {
        "form": form,
        "category": category,
        "duplicates": duplicates,
        "staff_entry": True,
        "nearby_url": reverse("requests-api-nearby", kwargs={"agency_slug": agency.slug}),
        **map_context(agency),
    }
    return render(request, "requests_app/report_form.html", context)
