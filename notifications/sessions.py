"""Signing out ends a session everywhere: its access tokens and its open sockets.

A socket joins the group of the session it was opened with (the token's `sid`, or the web
session's key); signing out sends "session.signed_out" to that group after commit and the
consumer closes with 4401 and the reason "signed_out". API sign-out (`auth/logout/` with the
session's refresh token) also records the session as signed out, so its access tokens are
refused at once (notifications.access); a web sign-out flushes the session itself.
"""

from __future__ import annotations

import hashlib
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.utils import timezone
from rest_framework_simplejwt.settings import api_settings

from notifications.access import snapshot_forget
from notifications.models import SignedOutSession

logger = logging.getLogger(__name__)

SIGNED_OUT_EVENT = "session.signed_out"


def _digest(value: str) -> str:
    # Group names travel through Redis: never the session key or token id itself.
    return hashlib.sha256(value.encode()).hexdigest()[:40]


def token_session_group(sid: str) -> str:
    return f"sid.{_digest(sid)}"


def web_session_group(session_key: str) -> str:
    return f"session.{_digest(session_key)}"


def session_group_of_scope(scope) -> str | None:
    """The sign-out group of a socket: its token's session, or its web session."""
    sid = scope.get("session_id")
    if sid:
        return token_session_group(sid)
    session = scope.get("session") if scope.get("auth_method") == "session" else None
    key = getattr(session, "session_key", None)
    return web_session_group(key) if key else None


def close_session_sockets(group: str) -> None:
    """Ask every socket of the group to close (call after commit)."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, {"type": SIGNED_OUT_EVENT})
    except Exception:  # the session is already ended in the database; log the missed close
        logger.exception("could not close the sockets of %s", group)


def session_sign_out(*, user_id: int, sid: str) -> None:
    """Record token session `sid` as signed out (its access tokens are refused from now on) and
    close its sockets after commit. Idempotent; prunes rows whose tokens have all expired."""
    now = timezone.now()
    with transaction.atomic():
        SignedOutSession.objects.filter(expires_at__lte=now).delete()
        SignedOutSession.objects.get_or_create(
            sid=sid,
            defaults={"user_id": user_id, "expires_at": now + api_settings.ACCESS_TOKEN_LIFETIME},
        )
        snapshot_forget(user_id)
        group = token_session_group(sid)
        transaction.on_commit(lambda: close_session_sockets(group))


def web_session_signed_out(sender, request, user, **kwargs) -> None:
    """`user_logged_out` receiver (web and admin sign-out): close the sockets opened with this
    browser session's cookie."""
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        group = web_session_group(key)
        transaction.on_commit(lambda: close_session_sockets(group))
