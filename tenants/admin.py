from auditlog.admin import LogEntryAdmin as AuditlogLogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from tenants.admin_site import MissingIsNotFound
from tenants.audit import audit_entries_for_agencies
from tenants.models import Agency, Department, Membership
from tenants.selectors import ADMIN_ROLES, SUPERVISING_ROLES, agency_ids_for_user
from tenants.services import delete_agency
from tenants.translation_fields import language_names, missing_languages, other_languages, translations_form_field


class TenantAdmin(MissingIsNotFound, admin.ModelAdmin):
    """Admin for a tenant-owned model: each action allowed by role, in the agencies of that role.

    A user with no suitable role in an object's agency gets 404 for it (the admin's "does not exist"
    redirect), exactly as for a missing object.
    """

    view_roles = SUPERVISING_ROLES
    change_roles = ADMIN_ROLES
    add_roles = ADMIN_ROLES
    delete_roles = ADMIN_ROLES

    def _ids(self, request, roles) -> frozenset[int]:
        cache = request.__dict__.setdefault("_agency_ids_by_roles", {})
        key = frozenset(roles)
        if key not in cache:
            cache[key] = agency_ids_for_user(user=request.user, roles=roles)
        return cache[key]

    def _allowed(self, request, roles, obj) -> bool:
        ids = self._ids(request, roles)
        return bool(ids) if obj is None else obj.agency_id in ids

    def get_queryset(self, request):
        viewable = self._ids(request, self.view_roles | self.change_roles)
        return super().get_queryset(request).filter(agency_id__in=viewable)

    def has_module_permission(self, request) -> bool:
        return self._allowed(request, self.view_roles | self.change_roles, None)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request, self.view_roles | self.change_roles, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._allowed(request, self.change_roles, obj)

    def has_add_permission(self, request) -> bool:
        return self._allowed(request, self.add_roles, None)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._allowed(request, self.delete_roles, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly.append("agency")
        return readonly

    def form_agency(self, request, obj=None):
        """The agency whose languages a form's translation boxes follow: the object's, else the user's only one."""
        if obj is not None:
            return obj.agency
        ids = self._ids(request, self.add_roles)
        return Agency.objects.filter(pk=next(iter(ids))).first() if len(ids) == 1 else None

    def get_form(self, request, obj=None, **kwargs):
        # The agency's own words in its other languages, one box per language and field, on the form itself.
        form = super().get_form(request, obj, **kwargs)
        if "translations" in form.base_fields:
            form.base_fields["translations"] = translations_form_field(
                self.model._meta.get_field("translations"), agency=self.form_agency(request, obj), obj=obj
            )
        return form

    @admin.display(description=_("Missing translations"))
    def missing_translations(self, obj) -> str:
        from tenants.translations import TranslationsValidator

        field = obj._meta.get_field("translations")
        validator = next(v for v in field.validators if isinstance(v, TranslationsValidator))
        return language_names(missing_languages(obj, validator.fields, other_languages(obj.agency))) or "—"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            kwargs["queryset"] = Agency.objects.filter(pk__in=self._ids(request, self.add_roles))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if len(self._ids(request, self.view_roles | self.change_roles)) > 1 and "agency" not in filters:
            filters.insert(0, ("agency", AgencyScopedFilter))
        return filters


class AgencyScopedFilter(admin.RelatedFieldListFilter):
    """The agency filter lists only the agencies the user can see."""

    def field_choices(self, field, request, model_admin):
        ids = model_admin._ids(request, model_admin.view_roles | model_admin.change_roles)
        return [(agency.pk, str(agency)) for agency in Agency.objects.filter(pk__in=ids)]


@admin.register(Agency)
class AgencyAdmin(MissingIsNotFound, admin.ModelAdmin):
    """Platform superusers manage agencies; an agency's admins may edit its public details."""

    list_display = ["name", "slug", "kind", "crisis_mode", "is_active"]
    list_filter = ["kind", "crisis_mode", "is_active"]
    search_fields = ["name", "slug"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=agency_ids_for_user(user=request.user, roles=SUPERVISING_ROLES))

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return []
        return ["slug", "kind", "is_active"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "translations" in form.base_fields:
            form.base_fields["translations"] = translations_form_field(
                Agency._meta.get_field("translations"), agency=obj, obj=obj
            )
        return form

    def has_module_permission(self, request):
        return request.user.is_superuser or bool(agency_ids_for_user(user=request.user, roles=SUPERVISING_ROLES))

    def has_view_permission(self, request, obj=None):
        if request.user.is_superuser:
            return True
        ids = agency_ids_for_user(user=request.user, roles=SUPERVISING_ROLES)
        return bool(ids) if obj is None else obj.pk in ids

    def has_change_permission(self, request, obj=None):
        if request.user.is_superuser:
            return True
        ids = agency_ids_for_user(user=request.user, roles=ADMIN_ROLES)
        return bool(ids) if obj is None else obj.pk in ids

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_deleted_objects(self, objs, request):
        # Only platform superusers delete agencies (has_delete_permission), through delete_agency, which also
        # removes the rows a PROTECT key guards (a request's category) and rows no admin may delete one by one
        # (audit entries are kept): neither is a refusal here.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if request.user.is_superuser:
            return deleted, counts, set(), []
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        # Inside the agency's scope (the cascade sees its rows only there), audited; its audit trail is kept.
        delete_agency(obj, reason="deleted by a platform superuser in the admin", actor=request.user)

    def delete_queryset(self, request, queryset):
        for agency in list(queryset):
            self.delete_model(request, agency)


@admin.register(Department)
class DepartmentAdmin(TenantAdmin):
    list_display = ["name", "agency", "email", "is_active", "missing_translations"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug", "email"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Membership)
class MembershipAdmin(TenantAdmin):
    list_display = ["user", "agency", "role", "display_name"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "display_name"]
    filter_horizontal = ["departments"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            # Accounts are platform-wide; an agency admin chooses among their own agencies' staff.
            ids = self._ids(request, self.add_roles | self.change_roles)
            kwargs["queryset"] = get_user_model().objects.filter(memberships__agency_id__in=ids).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AgencyLogEntryAdmin(MissingIsNotFound, AuditlogLogEntryAdmin):
    """The audit trail: supervisors and admins see their agencies' entries, read-only."""

    def get_queryset(self, request):
        if request.user.is_superuser:
            return super().get_queryset(request)
        ids = agency_ids_for_user(user=request.user, roles=SUPERVISING_ROLES)
        return audit_entries_for_agencies(agency_ids=ids)

    def has_module_permission(self, request):
        return request.user.is_superuser or bool(agency_ids_for_user(user=request.user, roles=SUPERVISING_ROLES))

    def has_view_permission(self, request, obj=None):
        if request.user.is_superuser:
            return True
        ids = agency_ids_for_user(user=request.user, roles=SUPERVISING_ROLES)
        if obj is None:
            return bool(ids)
        return (obj.additional_data or {}).get("agency_id") in ids

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.index_title = _("Your agencies")
