"""The ASGI app the browser tests serve with daphne: the real one, plus its static files."""

from channels.routing import ProtocolTypeRouter
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

from backend.asgi import application as site
from backend.asgi import django_asgi_app

application = ProtocolTypeRouter(
    {
        "http": ASGIStaticFilesHandler(django_asgi_app),
        "websocket": site.application_mapping["websocket"],
    }
)
