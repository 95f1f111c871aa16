"""Who an access token belongs to, without a database query on every request.

A user's snapshot (the fields requests read, whether she has the role profiles registered by the
apps above, a digest of her password hash, and the ids of her signed-out sessions) is cached for
AUTH_CACHE_SECONDS under one key. Every change that must take effect at once drops the key: a
save or delete of the user row (deactivation, password change, role change), a save or delete of
a registered profile, and a sign-out. A token is accepted only while

- the user exists and is active;
- its `hash_password` claim (simplejwt's CHECK_REVOKE_TOKEN) matches the current password: a
  password change ends every token issued before it;
- its session id (`sid`, set at sign-in and kept through refresh rotation) is not signed out.

The cache is only a cache: a miss (or a cache that is down) reads the database, so an evicted
key never brings a revoked token back. Shared by every process only with a shared cache (Redis);
with the local-memory default each process drops its own copy (README, deployment).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.utils import get_md5_hash_password

from backend.security import SESSION_ID_CLAIM
from notifications.models import SignedOutSession

logger = logging.getLogger(__name__)

SNAPSHOT_VERSION = 1
# The user fields a request may read without a query; the others load when first read.
USER_FIELDS = (
    "id",
    "username",
    "role",
    "display_name",
    "phone",
    "is_active",
    "is_staff",
    "is_superuser",
)
# attribute set on the user → ORM lookup from the user (a role profile's id), registered by apps
# above this one for their permission checks (marketplace: "worker_profile_id").
_relations: dict[str, str] = {}


def register_profile(*, attribute: str, lookup: str, model: str) -> None:
    """Carry `lookup` (e.g. "worker__id") in the snapshot as `user.<attribute>`, and drop the
    snapshot whenever a row of `model` ("app.Model", with a `user_id`) is saved or deleted."""
    _relations[attribute] = lookup
    post_save.connect(_profile_changed, sender=model, dispatch_uid=f"access-{model}-save")
    post_delete.connect(_profile_changed, sender=model, dispatch_uid=f"access-{model}-delete")


def snapshot_key(user_id) -> str:
    return f"auth:user:{SNAPSHOT_VERSION}:{user_id}"


def snapshot_forget(user_id) -> None:
    """Drop the user's snapshot now and again after the caller's transaction commits (a request
    that read the old row meanwhile may have stored it again)."""

    def forget() -> None:
        try:
            cache.delete(snapshot_key(user_id))
        except Exception:  # a cache that is down holds nothing to forget
            logger.warning("auth cache unavailable; snapshot of user %s not dropped", user_id)

    forget()
    transaction.on_commit(forget)


def _load(user_id) -> dict | None:
    row = (
        get_user_model()
        .objects.filter(pk=user_id)
        .values(*USER_FIELDS, "password", *_relations.values())
        .first()
    )
    if row is None:
        return None
    signed_out = SignedOutSession.objects.filter(
        user_id=user_id, expires_at__gt=timezone.now()
    ).values_list("sid", flat=True)
    return {
        "fields": {name: row[name] for name in USER_FIELDS},
        "relations": {attribute: row[lookup] for attribute, lookup in _relations.items()},
        "password_digest": get_md5_hash_password(row["password"]),
        "signed_out": sorted(signed_out),
    }


def user_snapshot(user_id) -> dict | None:
    key = snapshot_key(user_id)
    try:
        snapshot = cache.get(key)
    except Exception:
        logger.warning("auth cache unavailable; reading user %s from the database", user_id)
        return _load(user_id)
    if snapshot is None:
        snapshot = _load(user_id)
        if snapshot is not None:
            try:
                cache.set(key, snapshot, settings.AUTH_CACHE_SECONDS)
            except Exception:
                logger.warning("auth cache unavailable; snapshot of user %s not kept", user_id)
    return snapshot


def user_from_snapshot(snapshot: dict):
    """A User instance of the snapshot's fields (the others are deferred: read on first use)."""
    model = get_user_model()
    fields = snapshot["fields"]
    names = [f.attname for f in model._meta.concrete_fields if f.attname in fields]
    user = model.from_db("default", names, [fields[name] for name in names])
    for attribute, value in snapshot["relations"].items():
        setattr(user, attribute, value)
    return user


def user_for_access_token(validated_token):
    """The active user of a validated access token. Raises AuthenticationFailed (user_not_found,
    user_inactive, password_changed, signed_out)."""
    snapshot = user_snapshot(validated_token[api_settings.USER_ID_CLAIM])
    if snapshot is None:
        raise AuthenticationFailed(_("用户不存在。"), code="user_not_found")
    if not snapshot["fields"]["is_active"]:
        raise AuthenticationFailed(_("该账号已停用。"), code="user_inactive")
    if validated_token.get(api_settings.REVOKE_TOKEN_CLAIM) != snapshot["password_digest"]:
        raise AuthenticationFailed(_("密码已更改，请重新登录。"), code="password_changed")
    if validated_token.get(SESSION_ID_CLAIM) in snapshot["signed_out"]:
        raise AuthenticationFailed(_("已退出登录，请重新登录。"), code="signed_out")
    return user_from_snapshot(snapshot)


def _user_changed(sender, instance, **kwargs) -> None:
    snapshot_forget(instance.pk)


def _profile_changed(sender, instance, **kwargs) -> None:
    snapshot_forget(instance.user_id)


def connect_user_signals() -> None:
    """Drop a user's snapshot whenever her row is saved or deleted (NotificationsConfig.ready)."""
    model = settings.AUTH_USER_MODEL
    post_save.connect(_user_changed, sender=model, dispatch_uid="access-user-save")
    post_delete.connect(_user_changed, sender=model, dispatch_uid="access-user-delete")
