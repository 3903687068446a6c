from django.urls import path

from frontdoor import staff_views

urlpatterns = [
    path("staff/frontdoor/", staff_views.home, name="frontdoor-staff"),
    path("staff/frontdoor/services/new/", staff_views.service_edit, name="frontdoor-service-new"),
    path("staff/frontdoor/services/<int:service_id>/", staff_views.service_edit, name="frontdoor-service-edit"),
    path("staff/frontdoor/contacts/new/", staff_views.official_edit, name="frontdoor-official-new"),
    path("staff/frontdoor/contacts/<int:official_id>/", staff_views.official_edit, name="frontdoor-official-edit"),
    path("staff/frontdoor/area/", staff_views.area, name="frontdoor-area"),
    path("staff/frontdoor/routed/", staff_views.routed, name="frontdoor-routed"),
    path("staff/frontdoor/routed/<int:record_id>/reroute/", staff_views.reroute, name="frontdoor-reroute"),
]
