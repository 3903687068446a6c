"""Admin: the service catalogue with its questions, request settings, Open311 API keys, and a
read-only view of requests (status changes happen in the staff queue, through the services)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from requests_app.models import (
    AgencyRequestSettings,
    ApiKey,
    Follower,
    ServiceAttribute,
    ServiceCategory,
    ServiceRequest,
    StatusEvent,
)
from requests_app.selectors import caches_clear, request_settings_get
from requests_app.services import api_key_issue
from requests_app.services.keys import api_key_cache_clear
from tenants.admin import TenantAdmin
from tenants.selectors import ADMIN_ROLES
from tenants.translation_fields import translations_form_field


class SameAgencyInlineFormSet(forms.BaseInlineFormSet):
    """Inline rows belong to the parent's agency; set it before the rows are validated."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if self.instance is not None and self.instance.agency_id:
            form.instance.agency_id = self.instance.agency_id
        return form

    @property
    def empty_form(self):
        form = super().empty_form
        if self.instance is not None and self.instance.agency_id:
            form.instance.agency_id = self.instance.agency_id
        return form


class ParentPermissionInline:
    """Inline rows are allowed exactly as their parent (roles in the parent's agency), not by Django's
    model permissions, which agency staff do not hold."""

    def _parent(self):
        return self.admin_site._registry[self.parent_model]

    def has_view_permission(self, request, obj=None):
        return self._parent().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        parent = self._parent()
        return parent.has_change_permission(request, obj) if obj else parent.has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        parent = self._parent()
        return parent.has_change_permission(request, obj) if obj else parent.has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


class ServiceAttributeForm(forms.ModelForm):
    """A question's translations: its text and, for a choice list, each choice's name, per language of the agency."""

    agency = None  # set per request by the inline

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "translations" in self.fields:
            choices = [
                (str(v.get("key")), str(v.get("name")))
                for v in (self.instance.values or [])
                if isinstance(v, dict) and v.get("key")
            ]
            self.fields["translations"] = translations_form_field(
                ServiceAttribute._meta.get_field("translations"),
                agency=self.agency,
                obj=self.instance if self.instance.pk else None,
                choices=choices,
            )


class ServiceAttributeInline(ParentPermissionInline, admin.TabularInline):
    model = ServiceAttribute
    form = ServiceAttributeForm
    formset = SameAgencyInlineFormSet
    exclude = ["agency"]
    extra = 0
    fields = [
        "order",
        "code",
        "description",
        "datatype",
        "required",
        "variable",
        "datatype_description",
        "values",
        "translations",
    ]

    def get_formset(self, request, obj=None, **kwargs):
        agency = obj.agency if obj is not None else self._parent().form_agency(request)
        form = type("ServiceAttributeForm", (self.form,), {"agency": agency})
        return super().get_formset(request, obj, form=form, **kwargs)


class ServiceCategoryForm(forms.ModelForm):
    # No Meta: the admin builds the fields per request, inside the user's agency scope.
    def clean(self):
        cleaned = super().clean()
        agency = cleaned.get("agency") or getattr(self.instance, "agency", None)
        for department in cleaned.get("area_departments") or []:
            if agency is not None and department.agency_id != agency.pk:
                raise ValidationError({"area_departments": _("Choose departments of the category's own agency.")})
        return cleaned


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(TenantAdmin):
    form = ServiceCategoryForm
    inlines = [ServiceAttributeInline]
    list_display = ["name", "code", "agency", "group", "department", "sla_hours", "active", "missing_translations"]
    list_filter = ["active", "group"]
    search_fields = ["name", "code", "keywords"]
    filter_horizontal = ["area_departments"]
    prepopulated_fields = {"code": ["name"]}

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        caches_clear()  # this process at once; other processes within the cache's 10 seconds


@admin.register(AgencyRequestSettings)
class AgencyRequestSettingsAdmin(TenantAdmin):
    list_display = ["agency", "reference_prefix", "map_latitude", "map_longitude"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        request_settings_get(agency=obj.agency, fresh=True)


class ApiKeyForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ["agency", "name", "is_active"]


@admin.register(ApiKey)
class ApiKeyAdmin(TenantAdmin):
    """Agency admins issue keys here; the key is shown once, only its hash is kept."""

    form = ApiKeyForm
    list_display = ["name", "agency", "prefix", "is_active", "created_at", "last_used_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "prefix"]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            api_key_cache_clear()  # a deactivated key stops here at once, elsewhere within seconds
            return
        key, raw = api_key_issue(agency=obj.agency, actor=request.user, name=obj.name)
        if not obj.is_active:
            key.is_active = False
            key.save(update_fields=["is_active"])
        obj.pk, obj.prefix, obj.key_hash, obj.created_at = key.pk, key.prefix, key.key_hash, key.created_at
        obj._state.adding = False
        messages.warning(request, _("Copy this API key now; it will not be shown again: %(key)s") % {"key": raw})


class StatusEventInline(ParentPermissionInline, admin.TabularInline):
    model = StatusEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "from_status", "to_status", "public_note", "internal_note", "actor"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FollowerInline(ParentPermissionInline, admin.TabularInline):
    model = Follower
    extra = 0
    can_delete = False
    fields = ["email", "phone", "chat_conversation", "is_reporter", "unsubscribed_at", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ServiceRequest)
class ServiceRequestAdmin(TenantAdmin):
    """Read-only: requests are worked in the staff queue, where every change is a status event."""

    change_roles = frozenset()
    add_roles = frozenset()
    delete_roles = ADMIN_ROLES
    inlines = [StatusEventInline, FollowerInline]
    list_display = ["reference", "agency", "category", "status", "department", "created_at", "sla_breached_at"]
    list_filter = ["status", "source"]
    search_fields = ["reference", "address", "description"]
    date_hierarchy = "created_at"
    list_select_related = ["agency", "category", "department"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
