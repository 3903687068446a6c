"""ASGI entry point: HTTP through Django, WebSockets through Channels (routes from each app)."""

import os
import re

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

from core.process import tune

tune(serves_sockets=True)

from portal.handlers import get_application  # noqa: E402

django_asgi_app = get_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import OriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from portal.routing import websocket_urlpatterns  # noqa: E402

# Citizen chat sockets serve the embeddable widget on agencies' own sites, so any origin may open
# them; they authenticate by conversation token only and never read the session (chat.consumers).
ANY_ORIGIN_SOCKETS = re.compile(r"^/ws/a/[a-z0-9-]+/chat/$")


class BrowserOriginValidator(OriginValidator):
    """Browsers always send Origin: it must be one of ALLOWED_HOSTS (cross-site socket hijacking is a
    browser attack). Clients that send none (apps, monitors, load tools) carry no ambient cookies
    from another site, so they pass; the consumers authenticate them like anyone else."""

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and ANY_ORIGIN_SOCKETS.match(scope.get("path", "")):
            return await self.application(scope, receive, send)
        return await super().__call__(scope, receive, send)

    def valid_origin(self, parsed_origin):
        if parsed_origin is None:
            return True
        return super().valid_origin(parsed_origin)


application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": BrowserOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns)), settings.ALLOWED_HOSTS
        ),
    }
)
