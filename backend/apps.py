from django.apps import AppConfig


class BackendConfig(AppConfig):
    """The core's start-up hook: install the input rules on every DRF field."""

    name = "backend"
    verbose_name = "Meijia core"

    def ready(self) -> None:
        from backend.api import field_rules

        field_rules.install()
