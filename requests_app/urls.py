"""Pages under /a/<slug>/ (the agency is resolved by the middleware)."""

from django.urls import path

from requests_app import outbox_views, staff_share_views, staff_views, status_views, views

app_name = "requests"

urlpatterns: list = [
    path("report/", views.report_start, name="report"),
    path("report/sent/<str:reference>/", views.report_sent, name="report-sent"),
    path("report/<slug:code>/", views.report_form, name="report-form"),
    path("requests/map/", views.public_map, name="map"),
    path("requests/<str:reference>/follow/", views.follow, name="follow"),
    path("requests/photos/<uuid:uid>.<str:ext>", views.photo, name="photo"),
    path("requests/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("requests/sms/status/<int:notification_id>/", status_views.sms_status, name="sms-status"),
    path("staff/outbox/", outbox_views.outbox, name="staff-outbox"),
    path("staff/requests/", staff_views.queue, name="staff-queue"),
    path("staff/requests/new/", staff_views.phone_start, name="staff-new"),
    path("staff/requests/new/<slug:code>/", staff_views.phone_entry, name="staff-new-form"),
    path("staff/requests/<str:reference>/", staff_views.detail, name="staff-detail"),
    path("staff/requests/<str:reference>/status/", staff_views.transition, name="staff-transition"),
    path("staff/requests/<str:reference>/assign/", staff_views.assign, name="staff-assign"),
    path("staff/requests/<str:reference>/note/", staff_views.note, name="staff-note"),
    path("staff/requests/<str:reference>/merge/", staff_views.merge, name="staff-merge"),
    path("staff/requests/<str:reference>/share/", staff_share_views.share, name="staff-share"),
    path("staff/requests/<str:reference>/unshare/", staff_share_views.unshare, name="staff-unshare"),
]
