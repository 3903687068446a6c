"""Django admin for agency staff, scoped to their memberships.

Every admin view runs inside the scope of the agencies the user belongs to, so the fail-closed
managers restrict everything the admin touches (lists, details, search, filters, autocompletes,
raw-id popups, history, FK choices) to those agencies. `TenantAdmin` narrows further by role.
"""

import zoneinfo

from django.conf import settings
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.context import agencies_context
from tenants.selectors import agency_ids_for_user
from tenants.timezones import zone_for_user


class AgencyAdminSite(admin.AdminSite):
    site_header = _("CivicDesk administration")
    site_title = _("CivicDesk admin")
    index_title = _("Your agencies")

    def has_permission(self, request) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        return user.is_superuser or bool(agency_ids_for_user(user=user))

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def scoped(request, *args, **kwargs):
            zone = zone_for_user(request.user) or zoneinfo.ZoneInfo(settings.TIME_ZONE)
            with agencies_context(agency_ids_for_user(user=request.user)), timezone.override(zone):
                response = inner(request, *args, **kwargs)
                # Admin pages are TemplateResponses, rendered lazily after the view returns; querysets
                # evaluated in templates (inlines, filters) must still see the scope.
                if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                    response.render()
                return response

        scoped.__name__ = getattr(view, "__name__", "admin_view")
        scoped.__wrapped__ = inner
        return scoped
