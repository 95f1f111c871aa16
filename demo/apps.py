from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo county: `manage.py seed_demo` and the rows it creates."""

    name = "demo"
    verbose_name = _("演示数据")
