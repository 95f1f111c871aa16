from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("市场")

    def ready(self) -> None:
        from notifications import access

        # IsWorker reads the worker profile's id from the cached auth snapshot, not the database.
        access.register_profile(
            attribute="worker_profile_id", lookup="worker__id", model="marketplace.WorkerProfile"
        )
