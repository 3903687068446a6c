"""WebSocket routes (consumers under /ws/a/<slug>/ subclass tenants.consumers.AgencyScopedConsumer)."""

from django.urls import path

from chat import consumers

websocket_urlpatterns: list = [
    path("ws/a/<str:agency_slug>/chat/", consumers.CitizenChatConsumer.as_asgi()),
    path("ws/a/<str:agency_slug>/inbox/", consumers.InboxConsumer.as_asgi()),
]
