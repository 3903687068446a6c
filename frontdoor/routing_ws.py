from django.urls import path

from frontdoor.consumers import PortalChatConsumer

websocket_urlpatterns = [path("ws/chat/", PortalChatConsumer.as_asgi())]
