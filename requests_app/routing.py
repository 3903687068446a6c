"""WebSocket routes (consumers under /ws/a/<slug>/ subclass tenants.consumers.AgencyScopedConsumer)."""

websocket_urlpatterns: list = []
