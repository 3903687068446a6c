from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    default = True
    name = "portal"
    verbose_name = _("CivicDesk portal")


class PortalAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "tenants.admin_site.AgencyAdminSite"
