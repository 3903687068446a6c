"""Django admin for agency staff, scoped to their memberships.

Every admin view runs inside the scope of the agencies the user belongs to, so the fail-closed
managers restrict everything the admin touches (lists, details, search, filters, autocompletes,
raw-id popups, history, FK choices) to those agencies. `TenantAdmin` narrows further by role.
"""

import contextlib
import zoneinfo

from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.context import agencies_context, cross_agency
from tenants.selectors import agency_ids_for_user
from tenants.timezones import zone_for_user


class MissingIsNotFound:
    """Another agency's object answers 404, exactly like one that does not exist: an object the user may
    not see is looked up as missing (the history page would otherwise say 403 for it and redirect for a
    missing one), and "missing" is a 404 instead of the admin's redirect."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and not self.has_view_or_change_permission(request, obj):
            return None
        return obj

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404


def _platform_rows(user):
    """Platform superusers' admin also shows the rows of no agency (the platform's audit entries: e.g. an
    agency's deletion); everyone else's stays within their agencies."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return cross_agency(reason="a platform superuser's admin shows the platform's own audit entries")
    return contextlib.nullcontext()


class AgencyAdminSite(admin.AdminSite):
    site_header = _("CivicDesk administration")
    site_title = _("CivicDesk admin")
    index_title = _("Your agencies")

    def has_permission(self, request) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        return user.is_superuser or bool(agency_ids_for_user(user=user))

    def register(self, model_or_iterable, admin_class=None, **options):
        # Every admin, the platform's own (users, login records) included, treats "not yours" as missing.
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, MissingIsNotFound):
            admin_class = type(
                admin_class.__name__, (MissingIsNotFound, admin_class), {"__module__": admin_class.__module__}
            )
        super().register(model_or_iterable, admin_class, **options)

    def get_urls(self):
        urls = super().get_urls()
        for index, pattern in enumerate(urls):
            if getattr(pattern, "name", None) == "view_on_site":
                urls[index] = path(
                    "r/<int:content_type_id>/<path:object_id>/",
                    self.admin_view(self.view_on_site),
                    name="view_on_site",
                )
        return urls

    def view_on_site(self, request, content_type_id, object_id):
        """Django's "view on site" shortcut, for objects this user's admin shows them; 404 otherwise
        (the stock one looks any row up, in any agency, and redirects to it)."""
        content_type = ContentType.objects.filter(pk=content_type_id).first()
        model_admin = self._registry.get(content_type.model_class()) if content_type else None
        if model_admin is None:
            raise Http404
        try:
            visible = model_admin.get_object(request, object_id) is not None
        except (ValidationError, ValueError):
            visible = False
        if not visible:
            raise Http404
        return contenttype_views.shortcut(request, content_type_id, object_id)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def scoped(request, *args, **kwargs):
            zone = zone_for_user(request.user) or zoneinfo.ZoneInfo(settings.TIME_ZONE)
            with (
                agencies_context(agency_ids_for_user(user=request.user)),
                _platform_rows(request.user),
                timezone.override(zone),
            ):
                response = inner(request, *args, **kwargs)
                # Admin pages are TemplateResponses, rendered lazily after the view returns; querysets
                # evaluated in templates (inlines, filters) must still see the scope.
                if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                    response.render()
                return response

        scoped.__name__ = getattr(view, "__name__", "admin_view")
        scoped.__wrapped__ = inner
        return scoped
