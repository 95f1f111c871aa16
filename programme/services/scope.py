"""Whose candidates an officer may see and act on.

Federation officers and operators run the whole county's programme; a village officer
(网格员, marketplace.VillageOfficerProfile) collects women in her divisions only, and sees and
acts only on the candidates of those divisions.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from backend.exceptions import PermissionDeniedError
from marketplace.models import Role, User

from .common import is_officer


def is_village_officer(user: User | None) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.role == Role.VILLAGE_OFFICER
        and hasattr(user, "village_officer")
    )


def is_intake_officer(user: User | None) -> bool:
    """Who may add women to the village lists: county officers and village officers."""
    return is_officer(user) or is_village_officer(user)


def officer_division_ids(user: User) -> frozenset[int] | None:
    """The divisions whose candidates `user` may see: None for all (county officers), an
    empty set for anyone who is no officer."""
    if is_officer(user):
        return None
    if is_village_officer(user):
        return frozenset(user.village_officer.divisions.values_list("pk", flat=True))
    return frozenset()


def require_intake_officer(actor: User) -> None:
    if not is_intake_officer(actor):
        raise PermissionDeniedError(_("只有妇联工作人员或村网格员可以执行此操作。"))


def in_scope(actor: User, division_id: int | None) -> bool:
    scope = officer_division_ids(actor)
    return scope is None or division_id in scope


def require_in_scope(actor: User, division_id: int | None, *, field: str = "division") -> None:
    """Raises PermissionDeniedError when the division is outside the officer's divisions."""
    if not in_scope(actor, division_id):
        raise PermissionDeniedError(_("该镇街不在您负责的范围内。"))
