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


class IsWorker(HasRole):
    roles = (Role.WORKER,)

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and hasattr(request.user, "worker")


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
