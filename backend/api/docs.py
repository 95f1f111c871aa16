"""Who may read the OpenAPI schema (`/api/schema/`) and its docs page (`/api/docs/`)."""

from django.conf import settings
from rest_framework.permissions import BasePermission


class ApiDocsPermission(BasePermission):
    """Everyone when `API_DOCS_PUBLIC` is on (the default outside production); otherwise only
    signed-in staff and operators, by session or token."""

    def has_permission(self, request, view) -> bool:
        if settings.API_DOCS_PUBLIC:
            return True
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return bool(user.is_staff or getattr(user, "is_operator", False))
