from django.urls import path

from chat.routing import websocket_urlpatterns as chat_ws
from frontdoor.routing_ws import websocket_urlpatterns as frontdoor_ws
from knowledge.routing import websocket_urlpatterns as knowledge_ws
from portal.consumers import HealthConsumer
from registrations.routing import websocket_urlpatterns as registrations_ws
from requests_app.routing import websocket_urlpatterns as requests_ws

websocket_urlpatterns = [
    path("ws/health/", HealthConsumer.as_asgi()),
    *chat_ws,
    *frontdoor_ws,
    *knowledge_ws,
    *requests_ws,
    *registrations_ws,
]
