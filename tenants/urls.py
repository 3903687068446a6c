from django.urls import path

from tenants import views

urlpatterns = [
    path("", views.agency_staff_home, name="agency-staff-home"),
    path("audit/", views.agency_audit, name="agency-audit"),
]
