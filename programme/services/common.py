"""Helpers shared by the programme services: who counts as an officer, field updates."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from backend.exceptions import PermissionDeniedError
from marketplace.models import Role, User

UNSET: Any = object()


def is_officer(user: User | None) -> bool:
    """Federation officers and operators run the programme."""
    return bool(
        user is not None
        and user.is_authenticated
        and (user.role == Role.FEDERATION or user.is_operator)
    )


def require_officer(actor: User) -> None:
    if not is_officer(actor):
        raise PermissionDeniedError(_("只有妇联工作人员可以执行此操作。"))


def apply_changes(instance: models.Model, changes: dict[str, Any]) -> list[str]:
    """Set every change that is not UNSET on `instance`; returns the changed field names."""
    fields = []
    for name, value in changes.items():
        if value is UNSET:
            continue
        setattr(instance, name, value)
        fields.append(name)
    return fields
