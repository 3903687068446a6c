"""API under /api/v1/a/<slug>/ (views subclass tenants.api.AgencyScopedAPIView)."""

from django.urls import path

from requests_app import api

urlpatterns: list = [
    path("requests/nearby/", api.NearbyApi.as_view(), name="requests-api-nearby"),
    path("requests/open/", api.OpenRequestsApi.as_view(), name="requests-api-open"),
]
