"""Django admin for registrations, scoped by agency and role (tenants.admin.TenantAdmin).

Definitions are edited as JSON and validated against the schema on save (the staff editor at
/a/<slug>/staff/registrations/forms/ adds a live preview). Registrations are read-only here: status
changes go through the review queue, and sensitive answers are always masked in the admin.
"""

import json

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from registrations import services
from registrations.engine import DefinitionError, load_definition
from registrations.engine.display import MASK
from registrations.flows import spec_for
from registrations.models import FormDefinition, FormVersion, Registration, RegistrationEvent
from tenants.admin import TenantAdmin
from tenants.models import Department


class FormDefinitionForm(forms.ModelForm):
    class Meta:
        model = FormDefinition
        fields = ["agency", "slug", "definition", "published"]
        widgets = {"definition": forms.Textarea(attrs={"rows": 30, "cols": 100, "spellcheck": "false"})}

    def clean_definition(self):
        definition = self.cleaned_data["definition"]
        try:
            spec = load_definition(definition)
        except DefinitionError as exc:
            raise forms.ValidationError(exc.errors) from exc
        self._spec = spec
        return definition


@admin.register(FormDefinition)
class FormDefinitionAdmin(TenantAdmin):
    form = FormDefinitionForm
    list_display = ["title", "slug", "agency", "version", "published", "updated_at"]
    list_filter = ["published"]
    search_fields = ["title", "slug"]
    readonly_fields = ["title", "version", "editor_link"]
    # The department field is made per request (its choices are the admin's agencies' departments).
    fields = ["agency", "slug", "title", "department", "definition", "published", "version", "editor_link"]

    @admin.display(description=_("Editor with live preview"))
    def editor_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html('<a href="/a/{}/staff/registrations/forms/{}/">{}</a>', obj.agency.slug, obj.slug, _("Open"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "department":
            kwargs["queryset"] = Department.objects.unscoped().filter(  # unscoped: the agencies this admin changes
                agency_id__in=self._ids(request, self.change_roles)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # Writes go through the services, which validate and keep titles and versions consistent.
        publish = form.cleaned_data.get("published")
        if change:
            saved = services.form_definition_update(
                agency=obj.agency, actor=request.user, form=obj, definition=form.cleaned_data["definition"]
            )
        else:
            saved = services.form_definition_create(
                agency=obj.agency, actor=request.user, slug=obj.slug, definition=form.cleaned_data["definition"]
            )
        if saved.department_id != (form.cleaned_data.get("department") or Department(pk=None)).pk:
            saved = services.form_definition_department_set(
                agency=saved.agency, actor=request.user, form=saved, department=form.cleaned_data.get("department")
            )
        if publish:
            version = services.form_definition_publish(agency=saved.agency, actor=request.user, form=saved)
            messages.info(request, _("Published as version %(number)d.") % {"number": version.number})
        elif saved.published:
            services.form_definition_unpublish(agency=saved.agency, actor=request.user, form=saved)
        obj.pk = saved.pk
        obj.refresh_from_db()


@admin.register(FormVersion)
class FormVersionAdmin(TenantAdmin):
    list_display = ["form", "number", "agency", "published_at", "retired"]
    list_filter = ["retired"]
    readonly_fields = ["form", "number", "definition_pretty", "published_at", "published_by"]
    fields = ["form", "number", "published_at", "published_by", "retired", "definition_pretty"]
    actions = ["retire"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("Definition"))
    def definition_pretty(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.definition, indent=2, ensure_ascii=False))

    @admin.action(description=_("Retire the selected versions"))
    def retire(self, request, queryset):
        for version in queryset:
            if self.has_change_permission(request, version):
                services.form_version_retire(agency=version.agency, actor=request.user, version=version)


class RegistrationEventInline(admin.TabularInline):
    model = RegistrationEvent
    fields = ["created_at", "kind", "from_status", "to_status", "public_note", "staff_note", "actor", "response"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description=_("Applicant's answer"))
    def response(self, obj):
        return "••••••" if obj.citizen_response else ""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Registration)
class RegistrationAdmin(TenantAdmin):
    list_display = ["__str__", "form", "agency", "status", "channel", "submitted_at"]
    list_filter = ["status", "channel"]
    search_fields = ["reference", "applicant_name", "applicant_email"]
    fields = [
        "reference",
        "form",
        "form_version",
        "status",
        "channel",
        "language",
        "applicant_name",
        "applicant_email",
        "applicant_phone",
        "submitted_at",
        "answers_masked",
    ]
    readonly_fields = fields
    inlines = [RegistrationEventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("form", "form_version", "agency")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # status changes go through the review queue (and its transition rules)

    @admin.display(description=_("Answers (sensitive ones masked)"))
    def answers_masked(self, obj):
        spec = spec_for(obj.form_version)
        rows = []
        for item in spec.fields:
            value = obj.answers.get(item.id)
            if item.sensitive:
                value = MASK if item.id in (obj.sensitive_answers or {}) else None
            if value is not None:
                rows.append((item.id, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)))
        return format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows))
