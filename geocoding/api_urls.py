"""API under /api/v1/a/<slug>/geocode/."""

from django.urls import path

from geocoding import api

urlpatterns: list = [
    path("geocode/search/", api.ForwardApi.as_view(), name="geocode-api-search"),
    path("geocode/reverse/", api.ReverseApi.as_view(), name="geocode-api-reverse"),
    path("geocode/nearby/", api.NearbyPointsApi.as_view(), name="geocode-api-nearby"),
]
