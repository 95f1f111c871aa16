"""ASGI entry point: HTTP through Django, `/ws/` through Channels (notifications app)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings.local")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from backend.observability import WebSocketCountMiddleware  # noqa: E402
from notifications.auth import SocketAuthMiddleware  # noqa: E402
from notifications.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Counted outermost: the open-socket gauge sees every accepted socket until it closes.
        "websocket": WebSocketCountMiddleware(
            SocketAuthMiddleware(URLRouter(websocket_urlpatterns))
        ),
    }
)
