from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from analytics import views as analytics_views
from core.media import media_serve
from portal import api, staff_translations, views
from portal.catalogs import LanguageCatalog

handler400 = "portal.views.error_400"
handler403 = "portal.views.error_403"
handler404 = "portal.views.error_404"
handler500 = "portal.views.error_500"

DOMAIN_APPS = ["knowledge", "chat", "requests_app", "registrations", "geocoding", "analytics"]

api_v1_agency = [path("", include(f"{app}.api_urls")) for app in DOMAIN_APPS]
api_v1_agency.append(path("", include("crisis.api_urls")))

api_v1 = [
    path("agencies/", api.AgencyListApi.as_view(), name="api-agency-list"),
    path("a/<slug:agency_slug>/status/<str:reference>/", api.StatusLookupApi.as_view(), name="api-status"),
    path("a/<slug:agency_slug>/", include(api_v1_agency)),
    path("", include("frontdoor.api_urls")),
]

agency_pages = [
    path("", views.agency_home, name="agency-home"),
    path("staff/", include("tenants.urls")),
    path("staff/channels/", include("messaging.staff_urls")),
    path("staff/translations/", staff_translations.overview, name="staff-translations"),
    path("staff/translations/agency/", staff_translations.edit, {"kind": "agency"}, name="staff-translations-agency"),
    path("staff/translations/<slug:kind>/<int:record_id>/", staff_translations.edit, name="staff-translations-edit"),
    path("track/", views.track, name="track"),
    path("", include("privacy.urls")),
    path("", include("frontdoor.urls_agency")),
    *[path("", include(f"{app}.urls")) for app in DOMAIN_APPS],
    path("", include("crisis.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("", include("frontdoor.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("jsi18n/<str:language>.json", LanguageCatalog.as_view(), name="language-catalog"),
    path("staff/analytics/", analytics_views.platform, name="analytics-platform"),
    path("staff/", include("tenants.urls_platform")),
    path("admin/", admin.site.urls),
    path("a/<slug:agency_slug>/", include(agency_pages)),
    path("api/v1/", include(api_v1)),
    path("open311/v2/", include("requests_app.open311.urls")),
    # Messaging webhooks (WhatsApp, Telegram, Messenger, SMS): /hooks/<agency-slug>/<kind>/
    path("hooks/", include("messaging.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Stored files, in every mode, only through the owning app's access check (core/media.py).
    path(settings.MEDIA_URL.lstrip("/") + "<path:name>", media_serve, name="media"),
]
