"""Pages under /a/<slug>/ (the agency is resolved by the middleware)."""

from django.urls import path

from crisis import public_views, views

app_name = "crisis"

urlpatterns = [
    path("alerts.cap", public_views.alerts_feed, name="feed"),
    path("alerts/", public_views.alerts_home, name="alerts"),
    path("alerts/confirm/<str:token>/", public_views.confirm, name="confirm"),
    path("alerts/unsubscribe/<str:token>/", public_views.unsubscribe, name="unsubscribe"),
    path("alerts/sms/inbound/", public_views.sms_inbound, name="sms-inbound"),
    path("alerts/sms/status/<int:delivery_id>/", public_views.sms_status, name="sms-status"),
    path("alerts/<slug:identifier>.xml", public_views.alert_cap, name="alert-cap"),
    path("alerts/<slug:identifier>/", public_views.alert_public, name="alert-public"),
    path("staff/crisis/", views.crisis_home, name="staff-home"),
    path("staff/crisis/alerts/new/", views.alert_new, name="staff-alert-new"),
    path("staff/crisis/alerts/<int:alert_id>/", views.alert_detail, name="staff-alert"),
    path("staff/crisis/alerts/<int:alert_id>/report.json", views.alert_report, name="staff-alert-report"),
]
