"""Staff pages for an agency's own words in its other languages (admins): the agency's public name and texts, its
departments and its report categories, each on its page (one box per language the agency lists after its first and
per text, a <details> per language), and an overview of what still lacks a translation, linking to the pages that
edit the rest (a document's, a service's, a public contact's)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import error_messages
from tenants.models import Department, Role
from tenants.permissions import agency_role_required
from tenants.translation_fields import language_names, missing_languages, other_languages, translations_form_field
from tenants.translation_services import translations_save
from tenants.translations import TranslationsValidator, translated

EDITORS = [Role.ADMIN]


def _fields(model) -> tuple[str, ...]:
    validators = model._meta.get_field("translations").validators
    return next((v.fields for v in validators if isinstance(v, TranslationsValidator)), ())


def _missing(obj, agency) -> str:
    return language_names(missing_languages(obj, _fields(type(obj)), other_languages(agency)))


def _categories(agency):
    from requests_app.models import ServiceCategory

    return ServiceCategory.objects.for_agency(agency).order_by("order", "name")


def changed() -> None:
    """What caches a name: the directory's search documents and the front door's catalogue (per process)."""
    from frontdoor.catalogue import catalogue_clear
    from portal.directory import directory_index_clear

    catalogue_clear()
    directory_index_clear()


def _object(agency, kind: str, object_id: int | None):
    """The agency itself, or its department or report category `object_id`; None for another agency's."""
    if kind == "agency":
        return agency if object_id is None else None
    if kind == "department":
        return Department.objects.for_agency(agency).filter(pk=object_id).first()
    if kind == "category":
        return _categories(agency).filter(pk=object_id).first()
    return None


class TranslationsForm(forms.Form):
    def __init__(self, *args, agency, obj, **kwargs):
        super().__init__(*args, initial={"translations": obj.translations or {}}, **kwargs)
        self.fields["translations"] = translations_form_field(
            obj._meta.get_field("translations"), agency=agency, obj=obj
        )


@agency_role_required(EDITORS)
def overview(request, agency_slug: str):
    from frontdoor.selectors import officials_of, services_of
    from knowledge.models import Document

    agency = request.agency

    def rows(objects, name, url):
        return [{"name": name(o), "missing": _missing(o, agency), "url": url(o)} for o in objects]

    edit = "staff-translations-edit"
    sections = [
        (
            _("Departments"),
            rows(
                Department.objects.for_agency(agency),
                lambda o: o.name_in(),
                lambda o: reverse(edit, args=[agency.slug, "department", o.pk]),
            ),
        ),
        (
            _("Report categories"),
            rows(
                _categories(agency),
                lambda o: o.name_in(),
                lambda o: reverse(edit, args=[agency.slug, "category", o.pk]),
            ),
        ),
        (
            _("Documents"),
            rows(
                Document.objects.for_agency(agency).filter(is_retired=False).order_by("title"),
                lambda o: translated(o, "title"),
                lambda o: reverse("knowledge-document", args=[agency.slug, o.pk]) + "#translations-heading",
            ),
        ),
        (
            _("Services"),
            rows(
                services_of(agency=agency).order_by("name"),
                lambda o: o.text_in("name"),
                lambda o: reverse("frontdoor-service-edit", args=[agency.slug, o.pk]),
            ),
        ),
        (
            _("Public contacts"),
            rows(
                officials_of(agency=agency).order_by("name"),
                lambda o: o.name,
                lambda o: reverse("frontdoor-official-edit", args=[agency.slug, o.pk]),
            ),
        ),
    ]
    context = {
        "translated_into": language_names(other_languages(agency)),
        "agency_missing": _missing(agency, agency),
        "sections": sections,
    }
    return render(request, "portal/staff_translations.html", context)


@agency_role_required(EDITORS)
def edit(request, agency_slug: str, kind: str, record_id: int | None = None):
    """The translations of the agency (`kind` "agency"), or of its department or report category `record_id`:
    another agency's is a 404, as is a kind this page does not edit."""
    agency = request.agency
    obj = _object(agency, kind, record_id)
    if obj is None:
        raise Http404
    form = TranslationsForm(request.POST or None, agency=agency, obj=obj)
    if request.method == "POST" and form.is_valid():
        try:
            translations_save(
                agency=agency, actor=request.user, obj=obj, translations=form.cleaned_data["translations"] or {}
            )
        except ValidationError as exc:
            for message in error_messages(exc):
                form.add_error("translations", message)
        else:
            transaction.on_commit(changed)
            messages.success(request, _("Saved."))
            return redirect("staff-translations", agency_slug=agency.slug)
    names = {"agency": _("The agency"), "department": _("Department"), "category": _("Report category")}
    context = {
        "form": form,
        "kind": names[kind],
        "name": obj.name_in() if hasattr(obj, "name_in") else obj.name,
        "base": [
            (str(obj._meta.get_field(f).verbose_name).capitalize(), getattr(obj, f, "")) for f in _fields(type(obj))
        ],
    }
    return render(request, "portal/staff_translation_edit.html", context, status=400 if form.errors else 200)
