"""Every record the project defines has a name staff can read in their language.

Model names reach staff in the audit page's "kind of record" filter and its sentences ("… created alert …"), in the
admin and in error messages; field names are the audit page's "what changed" labels. A name Django makes up from
the class ("retention policys") or a plain string stays English in every language, so: every model of the
project's own apps sets `verbose_name` and `verbose_name_plural` with gettext_lazy, and every column the audit
page can show has a translatable name."""

import re
from pathlib import Path

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

from tenants import audit_display

ROOT = Path(settings.BASE_DIR).resolve()


def project_models():
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(ROOT) and ".venv" not in path.parts:
            yield from config.get_models()


def test_the_walk_finds_the_projects_models():
    labels = {model._meta.label for model in project_models()}
    assert {"tenants.Agency", "privacy.RetentionPolicy", "crisis.Alert", "requests_app.ServiceRequest"} <= labels
    assert not any(label.startswith(("auth.", "auditlog.", "contenttypes.")) for label in labels)


def test_every_model_has_a_translatable_name_and_plural():
    problems = []
    for model in project_models():
        meta = model._meta
        for option in ("verbose_name", "verbose_name_plural"):
            if not isinstance(meta.original_attrs.get(option), Promise):
                problems.append(f"{meta.label}.{option} is {getattr(meta, option)!r}, not gettext_lazy")
        # Django's made-up plural of "retention policy": a consonant, then "ys".
        if re.search(r"[^aeiou]ys$", str(meta.verbose_name_plural)):
            problems.append(f"{meta.label}: plural {meta.verbose_name_plural!r}")
    assert not problems, "\n".join(problems)


def test_app_names_are_translatable():
    problems = [
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(ROOT)
        and ".venv" not in Path(config.path).parts
        and not isinstance(config.verbose_name, Promise)
    ]
    assert not problems, f"apps without a gettext_lazy verbose_name: {problems}"


def _shown_fields(model):
    """The columns the audit page can show for an entry on `model` (as `tenants.audit_display` filters them)."""
    options = auditlog.get_model_fields(model)
    excluded, included = set(options["exclude_fields"]), set(options["include_fields"])
    for field in model._meta.concrete_fields:
        if audit_display._bookkeeping(field) or field.name in excluded or (included and field.name not in included):
            continue
        yield field


def test_every_audited_column_has_a_translatable_label():
    problems = []
    for model in auditlog.get_models():
        for field in _shown_fields(model):
            if not isinstance(field.verbose_name, Promise) and field.name not in getattr(
                audit_display, "_INHERITED_NAMES", {}
            ):
                problems.append(f"{model._meta.label}.{field.name} ({field.verbose_name!r})")
    assert not problems, "audited columns without a gettext_lazy verbose_name:\n" + "\n".join(problems)


def test_a_columns_label_follows_the_language():
    from requests_app.models import ServiceRequest
    from requests_app.models.sharing import ServiceRequestUserPermission

    with translation.override("de"):
        assert audit_display.field_name_for_people(ServiceRequest, "assignee") == "zuständige Person"
        assert audit_display.field_name_for_people(ServiceRequestUserPermission, "user") == "Mitarbeiterin/Mitarbeiter"
    with translation.override("zh-hans"):
        assert audit_display.field_name_for_people(ServiceRequest, "sla_due_at") == "SLA 截止时间"


def test_audit_sentences_and_labels_in_german(agency_a):
    from django.contrib.contenttypes.models import ContentType

    from privacy.models import LegalHold
    from tenants.context import agency_context

    with agency_context(agency_a):
        entry = LogEntry.objects.create(
            content_type=ContentType.objects.get_for_model(LegalHold),
            object_pk="1",
            object_repr="Hold 1",
            action=LogEntry.Action.UPDATE,
            changes={"reason": ["a", "b"], "released_at": ["None", "2026-12-01 10:00:00"]},
            additional_data={"agency_id": agency_a.pk},
        )
        with translation.override("de"):
            (row,) = audit_display.audit_rows(
                [LogEntry.objects.select_related("actor", "content_type").get(pk=entry.pk)]
            )
            action = row.action_label
            labels = [change.label for change in row.changes]
    assert labels == ["Grund", "Aufgehoben am"]
    # The record kind and the field names are German; German nouns keep their capital letter mid-sentence.
    assert "Grund, aufgehoben am" in row.sentence and "rechtliche Sperre" in row.sentence, row.sentence
    assert action == "Geändert"
