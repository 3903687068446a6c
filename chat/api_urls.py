"""API under /api/v1/a/<slug>/ (views subclass tenants.api.AgencyScopedAPIView)."""

from django.urls import path

from chat import api

urlpatterns: list = [
    path("chat/photo/", api.PhotoApi.as_view(), name="api-chat-photo"),
    path("chat/understand/", api.UnderstandApi.as_view(), name="api-chat-understand"),
]
