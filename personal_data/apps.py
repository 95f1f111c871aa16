from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonalDataConfig(AppConfig):
    name = "personal_data"
    verbose_name = _("我的数据")

    def ready(self) -> None:
        from backend.periodic_jobs import register_periodic_job
        from personal_data.deletion import account_deletions_complete_due

        # Deletions whose cooling-off period ended are carried out by `run_periodic`.
        register_periodic_job("account_deletions_completed", account_deletions_complete_due)
