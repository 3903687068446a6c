"""API under /api/v1/a/<slug>/ (views subclass tenants.api.AgencyScopedAPIView)."""

from django.urls import path

from registrations import api

urlpatterns = [
    path("forms/", api.FormListApi.as_view(), name="api-registration-forms"),
    path("forms/<slug:form_slug>/", api.FormDetailApi.as_view(), name="api-registration-form"),
    path(
        "forms/<slug:form_slug>/submissions/",
        api.SubmissionCreateApi.as_view(),
        name="api-registration-submissions",
    ),
]
