from django.urls import path

from frontdoor import staff_views, views

urlpatterns = [
    path("ask/", views.ask, name="frontdoor-ask"),
    path("services/", views.services_directory, name="frontdoor-services"),
    path("report/", views.report, name="frontdoor-report"),
    path("staff/frontdoor/gaps/", staff_views.gaps, name="frontdoor-gaps"),
]
