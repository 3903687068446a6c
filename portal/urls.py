from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from portal import api, views

handler404 = "portal.views.error_404"
handler500 = "portal.views.error_500"

api_v1 = [
    path("agencies/", api.AgencyListApi.as_view(), name="api-agency-list"),
]

agency_pages = [
    path("", views.agency_home, name="agency-home"),
    path("staff/", include("tenants.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("staff/", include("tenants.urls_platform")),
    path("admin/", admin.site.urls),
    path("a/<slug:agency_slug>/", include(agency_pages)),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
