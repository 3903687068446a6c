"""API under /api/v1/a/<slug>/analytics/ and /api/v1/a/<slug>/feedback/."""

from django.urls import path

from analytics import api

urlpatterns: list = [
    path("analytics/summary/", api.SummaryApi.as_view(), name="analytics-api-summary"),
    path("feedback/", api.FeedbackApi.as_view(), name="feedback-api"),
]
