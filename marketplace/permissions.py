"""Who may see and do what in the marketplace: DRF permission classes and the ID-number rule."""

from rest_framework.permissions import BasePermission

from marketplace.models import AgencyStaff, Role, RosterEntry, User, WorkerProfile


def can_read_id_card_number(viewer: User, worker: WorkerProfile) -> bool:
    """The worker herself, staff of the agency that rosters her now, and operators; nobody else."""
    if viewer is None or not viewer.is_authenticated:
        return False
    if viewer.pk == worker.user_id or viewer.is_operator:
        return True
    if viewer.role != Role.AGENCY_STAFF:
        return False
    agency_id = (
        AgencyStaff.objects.filter(user_id=viewer.pk).values_list("agency_id", flat=True).first()
    )
    return (
        agency_id is not None
        and RosterEntry.objects.filter(
            agency_id=agency_id, worker_id=worker.pk, status=RosterEntry.Status.ACTIVE
        ).exists()
    )


class HasRole(BasePermission):
    """Allows signed-in users whose role is in `roles`; subclasses set `roles`."""

    roles: tuple[str, ...] = ()

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.role in self.roles)


_UNKNOWN = object()


def worker_profile_id_of(user: User) -> int | None:
    """The id of the user's worker profile, or None: from the auth snapshot when the token
    authentication loaded her (`worker_profile_id`), else from the database."""
    profile_id = getattr(user, "worker_profile_id", _UNKNOWN)
    if profile_id is not _UNKNOWN:
        return profile_id
    if not user.is_authenticated:
        return None
    loaded = user._state.fields_cache.get("worker") if hasattr(user, "_state") else None
    if loaded is not None:
        return loaded.pk
    return WorkerProfile.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()


def has_worker_profile(user: User) -> bool:
    return worker_profile_id_of(user) is not None


class IsWorker(HasRole):
    roles = (Role.WORKER,)

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and has_worker_profile(request.user)


class IsHousehold(HasRole):
    roles = (Role.HOUSEHOLD,)


class IsAgencyStaff(HasRole):
    roles = (Role.AGENCY_STAFF,)


class IsFederation(HasRole):
    roles = (Role.FEDERATION,)


class IsOperator(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_operator)
