"""Form definitions: the admin's working copy, published versions, and which version takes applications."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from registrations.engine import DefinitionError, FormSpec, load_definition, localize
from registrations.models import FormDefinition, FormVersion
from registrations.services.common import FormClosed

RESERVED_FORM_SLUGS = {"resume", "respond", "new", "forms", "export"}


def _spec_or_error(definition: Any) -> FormSpec:
    try:
        return load_definition(definition)
    except DefinitionError as exc:
        raise ValidationError({"definition": exc.errors}) from exc


def _sync_titles(form: FormDefinition, spec: FormSpec) -> None:
    form.title = localize(spec.title, "en")[:200]
    form.description = localize(spec.description, "en")


@transaction.atomic
def form_definition_create(*, agency, actor, slug: str, definition: dict) -> FormDefinition:
    if slug in RESERVED_FORM_SLUGS:
        raise ValidationError({"slug": _("This name is reserved; choose another.")})
    spec = _spec_or_error(definition)
    form = FormDefinition(agency=agency, slug=slug, definition=definition)
    _sync_titles(form, spec)
    form.full_clean()
    form.save()
    return form


@transaction.atomic
def form_definition_update(*, agency, actor, form: FormDefinition, definition: dict) -> FormDefinition:
    form = FormDefinition.objects.for_agency(agency).select_for_update().get(pk=form.pk)
    spec = _spec_or_error(definition)
    form.definition = definition
    _sync_titles(form, spec)
    form.full_clean()
    form.save()
    return form


@transaction.atomic
def form_definition_publish(*, agency, actor, form: FormDefinition) -> FormVersion:
    """Freeze the working copy as the next version (or reopen the latest if nothing changed)."""
    form = FormDefinition.objects.for_agency(agency).select_for_update().get(pk=form.pk)
    _spec_or_error(form.definition)
    latest = FormVersion.objects.for_agency(agency).filter(form=form).order_by("-number").first()
    if latest is not None and latest.definition == form.definition and not latest.retired:
        version = latest
    else:
        version = FormVersion(
            agency=agency,
            form=form,
            number=(latest.number if latest else 0) + 1,
            definition=form.definition,
            published_by=actor,
        )
        version.full_clean()
        version.save()
    form.version = version.number
    form.published = True
    form.full_clean()
    form.save()
    return version


@transaction.atomic
def form_definition_unpublish(*, agency, actor, form: FormDefinition) -> FormDefinition:
    form = FormDefinition.objects.for_agency(agency).select_for_update().get(pk=form.pk)
    form.published = False
    form.save()
    return form


@transaction.atomic
def form_definition_department_set(*, agency, actor, form: FormDefinition, department) -> FormDefinition:
    """The department that reviews this form's applications (its caseworkers see them); None: no department."""
    if department is not None and department.agency_id != agency.pk:
        raise ValidationError({"department": [_("Choose one of this agency's departments.")]})
    form = FormDefinition.objects.for_agency(agency).select_for_update().get(pk=form.pk)
    form.department = department
    form.save()
    return form


@transaction.atomic
def form_version_retire(*, agency, actor, version: FormVersion) -> FormVersion:
    """A retired version takes no more submissions; drafts on it are offered a fresh start."""
    version = FormVersion.objects.for_agency(agency).select_for_update().get(pk=version.pk)
    version.retired = True
    version.save()
    return version


def form_current_version(*, agency, form: FormDefinition) -> FormVersion | None:
    if not form.version:
        return None
    return FormVersion.objects.for_agency(agency).filter(form=form, number=form.version).first()


def form_open_version(*, agency, form: FormDefinition) -> FormVersion:
    """The version that takes applications now; FormClosed when there is none."""
    form.refresh_from_db(fields=["published", "version"])  # the caller's copy may predate a publish
    if form.agency_id != agency.pk or not form.published:
        raise FormClosed()
    version = form_current_version(agency=agency, form=form)
    if version is None or version.retired:
        raise FormClosed()
    return version
