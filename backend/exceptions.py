"""Domain errors raised by services; the API layer turns them into HTTP answers."""

from django.utils.translation import gettext, pgettext_lazy

# What the entities of the state machines are called in an answer (InvalidTransition).
ENTITY_NAMES = {
    "order": pgettext_lazy("entity", "订单"),
    "request": pgettext_lazy("entity", "需求"),
    "offer": pgettext_lazy("entity", "邀约"),
    "contract": pgettext_lazy("entity", "合同"),
    "dispute": pgettext_lazy("entity", "争议"),
    "occurrence": pgettext_lazy("entity", "服务场次"),
    "roster entry": pgettext_lazy("entity", "名册记录"),
    "application": pgettext_lazy("entity", "求职申请"),
}


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
            detail
            or gettext("%(entity)s不能从“%(current)s”变为“%(target)s”。")
            % {"entity": ENTITY_NAMES.get(entity, entity), "current": current, "target": target},
            extra={"current_status": current, "target_status": target},
        )
