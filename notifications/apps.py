from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from notifications import access, sessions

        # The auth snapshot follows every change of a user row, whichever code path saved it;
        # every sign-out path (web, admin) closes the session's sockets.
        access.connect_user_signals()
        user_logged_out.connect(sessions.web_session_signed_out, dispatch_uid="close-sockets")
