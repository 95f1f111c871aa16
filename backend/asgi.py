"""ASGI entry point: HTTP through Django, `/ws/` through Channels (the user's socket, with chat)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings.local")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

from backend.client_address import ClientAddressMiddleware  # noqa: E402
from backend.observability import WebSocketCountMiddleware  # noqa: E402
from backend.socket_server import install as install_socket_protocol  # noqa: E402
from chat.consumers import ChatConsumer  # noqa: E402
from notifications.auth import SocketAuthMiddleware  # noqa: E402

# Close reasons and frame caps that daphne leaves out (backend/socket_server.py).
install_socket_protocol()

# One socket per user: the base consumer (notifications) relays events; chat adds its frames.
websocket_urlpatterns = [path("ws/", ChatConsumer.as_asgi())]

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Counted outermost: the open-socket gauge sees every accepted socket until it closes.
        "websocket": WebSocketCountMiddleware(
            ClientAddressMiddleware(SocketAuthMiddleware(URLRouter(websocket_urlpatterns)))
        ),
    }
)
