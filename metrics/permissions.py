from rest_framework.permissions import BasePermission

from marketplace.models import Role


class CanReadMetrics(BasePermission):
    """Federation officers and operators; everybody else (households, workers, agencies) not."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and (user.role in (Role.FEDERATION, Role.OPERATOR) or user.is_operator)
        )
