from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The server-rendered, phone-first web app (templates + htmx + one socket script)."""

    name = "web"
    verbose_name = _("网页应用")
