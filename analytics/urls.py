"""Pages under /a/<slug>/: the staff dashboard and the public feedback page.

The dashboard's section (`?view=`) and a drill-down's chart (`?chart=`) are query parameters: they name
the same things in every agency, they are not objects."""

from django.urls import path

from analytics import views
from analytics.feedback import views as feedback_views

urlpatterns: list = [
    path("staff/analytics/", views.dashboard, name="analytics-home"),
    path("staff/analytics/rows/", views.rows, name="analytics-rows"),
    path("staff/analytics/gaps/", views.gap, name="analytics-gap"),
    path("feedback/", feedback_views.feedback_page, name="feedback"),
    path("staff/feedback/", feedback_views.feedback_list, name="feedback-staff"),
    path("staff/feedback/<int:feedback_id>/", feedback_views.feedback_detail, name="analytics-feedback-detail"),
]
