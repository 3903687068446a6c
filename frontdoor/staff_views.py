"""Staff pages of the front door: admins keep the agency's services, public contacts and jurisdiction area;
staff review the questions the portal routed here and re-route a conversation; platform superusers see
which agencies the front door cannot route to yet."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import error_dict
from frontdoor import crossagency, selectors, services
from frontdoor.forms import AreaForm, OfficialForm, RerouteForm, ServiceForm
from requests_app.views import map_context
from tenants.models import Role
from tenants.permissions import agency_role_required

EDITORS = [Role.ADMIN]
REVIEWERS = [Role.ADMIN, Role.SUPERVISOR, Role.AGENT]


@agency_role_required(REVIEWERS)
def home(request, agency_slug: str):
    agency = request.agency
    context = {
        "services": selectors.services_of(agency=agency),
        "officials": selectors.officials_of(agency=agency),
        "jurisdiction": selectors.jurisdiction_of(agency=agency),
        "routed": selectors.routed_questions(agency=agency, limit=20),
        "can_edit": request.user.memberships.filter(agency=agency, role=Role.ADMIN).exists(),
    }
    return render(request, "frontdoor/staff_home.html", context)


def _edit(request, *, form_class, instance, save, delete, template: str):
    """A service's or contact's page: create (no instance), edit, or delete (a POST with `delete`)."""
    agency = request.agency
    if request.method == "POST" and request.POST.get("delete") and instance is not None:
        delete(agency=agency, actor=request.user)
        messages.success(request, _("Deleted."))
        return redirect("frontdoor-staff", agency_slug=agency.slug)
    form = form_class(request.POST or None, instance=instance, agency=agency)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            save(agency=agency, actor=request.user, **values)
        except ValidationError as exc:
            for name, problems in error_dict(exc, field="__all__").items():
                for problem in problems:
                    form.add_error(name if name in form.fields else None, problem)
        else:
            messages.success(request, _("Saved."))
            return redirect("frontdoor-staff", agency_slug=agency.slug)
    return render(request, template, {"form": form, "instance": instance})


def _found(instance):
    if instance is None:
        raise Http404
    return instance


def _edit_view(kind: str, *, get, form_class, save, delete, template: str):
    """The staff page of one of the agency's `kind` records (a service, a public contact): new without the
    `<kind>_id` in the URL, otherwise that record of the request's agency (404 for another agency's)."""

    @agency_role_required(EDITORS)
    def view(request, agency_slug: str, **ids):
        instance = None
        if ids.get(f"{kind}_id") is not None:
            instance = _found(get(agency=request.agency, **ids))
        return _edit(
            request,
            form_class=form_class,
            instance=instance,
            save=lambda **values: save(**{kind: instance}, **values),
            delete=lambda **who: delete(**{kind: instance}, **who),
            template=template,
        )

    view.__name__ = view.__qualname__ = f"{kind}_edit"
    return view


service_edit = _edit_view(
    "service",
    get=selectors.service_get,
    form_class=ServiceForm,
    save=services.service_save,
    delete=services.service_delete,
    template="frontdoor/staff_service.html",
)
official_edit = _edit_view(
    "official",
    get=selectors.official_get,
    form_class=OfficialForm,
    save=services.official_save,
    delete=services.official_delete,
    template="frontdoor/staff_official.html",
)


@agency_role_required(EDITORS)
def area(request, agency_slug: str):
    agency = request.agency
    current = selectors.jurisdiction_of(agency=agency)
    form = AreaForm(
        request.POST or None, request.FILES or None, initial={"name": current.name if current else agency.name}
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["geojson"]
        field = "geojson" if upload else "drawn"
        try:
            if upload:
                value = services.area_parse(upload.read(services.MAX_AREA_BYTES + 1))
            else:
                value = services.drawn_area_parse(form.cleaned_data["drawn"])
            services.jurisdiction_set(agency=agency, actor=request.user, name=form.cleaned_data["name"], area=value)
        except ValidationError as exc:
            form.add_error(field, exc.messages[0] if exc.messages else _("The area was refused."))
        else:
            messages.success(request, _("The jurisdiction area was saved."))
            return redirect("frontdoor-staff", agency_slug=agency.slug)
    config = map_context(agency)["map_config"]
    config["area"] = current.area if current else config["area"]
    return render(
        request,
        "frontdoor/staff_area.html",
        {"form": form, "current": current, "map_config": config},
        status=400 if form.errors else 200,
    )


@agency_role_required(REVIEWERS)
def routed(request, agency_slug: str):
    return render(
        request,
        "frontdoor/staff_routed.html",
        {
            "routed": selectors.routed_questions(agency=request.agency, limit=200),
            "agencies": crossagency.agencies_active().exclude(pk=request.agency.pk).order_by("name"),
        },
    )


@require_POST
@agency_role_required(REVIEWERS)
def reroute(request, agency_slug: str, record_id: int):
    agency = request.agency
    record = selectors.routed_question_get(agency=agency, record_id=record_id)
    if record is None:
        raise Http404
    form = RerouteForm(request.POST)
    target = crossagency.agency_active_by_slug(form.data.get("to_agency", "")) if form.is_valid() else None
    if target is None:
        messages.error(request, _("Choose an agency to send it to."))
        return redirect("frontdoor-routed", agency_slug=agency.slug)
    try:
        services.conversation_reroute(agency=agency, actor=request.user, record=record, to_agency=target)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Sent to %(agency)s with the transcript.") % {"agency": target.name})
    return redirect("frontdoor-routed", agency_slug=agency.slug)


@staff_member_required
def gaps(request):
    if not request.user.is_superuser:
        raise Http404
    return render(request, "frontdoor/staff_gaps.html", {"gaps": crossagency.agency_gaps()})
