"""Domain errors raised by services; the API layer turns them into HTTP answers."""


class DomainError(Exception):
    """A business rule refused the action. `code` is machine-readable, `detail` human."""

    status_code = 400
    default_code = "invalid"

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        field: str | None = None,
        extra: dict | None = None,
    ):
        super().__init__(detail)
        self.detail = detail
        self.code = code or self.default_code
        self.field = field
        self.extra = extra or {}


class ValidationFailed(DomainError):
    """Input broke a rule that a serializer cannot see (e.g. a date in the past)."""


class NotFound(DomainError):
    status_code = 404
    default_code = "not_found"


class PermissionDeniedError(DomainError):
    status_code = 403
    default_code = "permission_denied"


class Conflict(DomainError):
    """The object is not in a state that allows the action (a disallowed transition)."""

    status_code = 409
    default_code = "conflict"


class InvalidTransition(Conflict):
    default_code = "invalid_transition"

    def __init__(self, *, entity: str, current: str, target: str, detail: str | None = None):
        super().__init__(
            detail or f"{entity} cannot go from '{current}' to '{target}'.",
            extra={"current_status": current, "target_status": target},
        )
