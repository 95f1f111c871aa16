"""Who may use the programme API: officers (federation, operators), workers, agency staff.

Each view names the kinds of actor allowed to read (`read_roles`) and to write
(`write_roles`); households and anybody else get 403.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from marketplace.models import Role, User
from programme.services.common import is_officer
from programme.services.scope import is_village_officer

OFFICER = "officer"
VILLAGE = "village_officer"  # a village officer: candidates of her divisions only
WORKER = "worker"
AGENCY = "agency"


def actor_kind(user: User | None) -> str | None:
    if user is None or not user.is_authenticated:
        return None
    if is_officer(user):
        return OFFICER
    if is_village_officer(user):
        return VILLAGE
    if user.role == Role.WORKER and hasattr(user, "worker"):
        return WORKER
    if user.role == Role.AGENCY_STAFF and hasattr(user, "agency_staff"):
        return AGENCY
    return None


class ProgrammePermission(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        roles = (
            getattr(view, "read_roles", ())
            if request.method in SAFE_METHODS
            else getattr(view, "write_roles", ())
        )
        return actor_kind(user) in roles
