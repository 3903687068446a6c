from django.urls import path

from audit import views as audit_views
from privacy import views as privacy_views
from tenants import views

urlpatterns = [
    path("", views.agency_staff_home, name="agency-staff-home"),
    path("audit/", views.agency_audit, name="agency-audit"),
    path("audit/export/", audit_views.audit_export, name="agency-audit-export"),
    path("privacy/", privacy_views.privacy_home, name="agency-privacy"),
]
