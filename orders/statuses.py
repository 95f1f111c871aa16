"""Every state machine of the marketplace (PRODUCT.md §3) as one explicit table each.

Services consult these maps before any transition; a transition not listed is refused with
backend.exceptions.InvalidTransition (HTTP 409).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    ONE_OFF = "one_off", _("单次服务")
    RECURRING = "recurring", _("周期服务")
    PLACEMENT = "placement", _("长期驻家")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("待匹配")
    MATCHED = "matched", _("已匹配")
    CANCELLED = "cancelled", _("已取消")
    EXPIRED = "expired", _("已过期")


REQUEST_TRANSITIONS: dict[str, set[str]] = {
    RequestStatus.OPEN: {RequestStatus.MATCHED, RequestStatus.CANCELLED, RequestStatus.EXPIRED},
    # A placement replacement or a cancelled order reopens matching.
    RequestStatus.MATCHED: {RequestStatus.OPEN, RequestStatus.CANCELLED},
    RequestStatus.CANCELLED: set(),
    RequestStatus.EXPIRED: set(),
}


class OfferStatus(models.TextChoices):
    PENDING = "pending", _("待回应")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已拒绝")
    EXPIRED = "expired", _("已过期")
    WITHDRAWN = "withdrawn", _("已撤回")


OFFER_TRANSITIONS: dict[str, set[str]] = {
    OfferStatus.PENDING: {
        OfferStatus.ACCEPTED,
        OfferStatus.DECLINED,
        OfferStatus.EXPIRED,
        OfferStatus.WITHDRAWN,
    },
    OfferStatus.ACCEPTED: set(),
    OfferStatus.DECLINED: set(),
    OfferStatus.EXPIRED: set(),
    OfferStatus.WITHDRAWN: set(),
}


class OfferSource(models.TextChoices):
    MATCHING = "matching", _("系统匹配")
    INVITATION = "invitation", _("雇主邀请")
    DISPATCH = "dispatch", _("企业派单")
    REBOOKING = "rebooking", _("再约一次")
    OPEN_BOARD = "open_board", _("抢单大厅")


class OrderStatus(models.TextChoices):
    PENDING_CONTRACT = "pending_contract", _("待签合同")
    CONFIRMED = "confirmed", _("已确认")
    IN_PROGRESS = "in_progress", _("服务中")
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("待确认完成")
    COMPLETED = "completed", _("已完成")
    CANCELLED = "cancelled", _("已取消")
    DISPUTED = "disputed", _("争议中")
    # A placement whose household used its trial-period replacement right.
    REPLACED = "replaced", _("已更换服务员")


ORDER_TRANSITIONS: dict[str, set[str]] = {
    OrderStatus.PENDING_CONTRACT: {OrderStatus.CONFIRMED, OrderStatus.CANCELLED},
    OrderStatus.CONFIRMED: {OrderStatus.IN_PROGRESS, OrderStatus.CANCELLED},
    OrderStatus.IN_PROGRESS: {
        OrderStatus.AWAITING_CONFIRMATION,
        OrderStatus.DISPUTED,
        OrderStatus.REPLACED,
    },
    OrderStatus.AWAITING_CONFIRMATION: {OrderStatus.COMPLETED, OrderStatus.DISPUTED},
    OrderStatus.COMPLETED: {OrderStatus.DISPUTED},
    OrderStatus.DISPUTED: {OrderStatus.COMPLETED, OrderStatus.CANCELLED},
    OrderStatus.CANCELLED: set(),
    OrderStatus.REPLACED: set(),
}

# Orders that hold the worker's time (busy-time checks) and count as "live".
ACTIVE_ORDER_STATUSES = (
    OrderStatus.PENDING_CONTRACT,
    OrderStatus.CONFIRMED,
    OrderStatus.IN_PROGRESS,
    OrderStatus.AWAITING_CONFIRMATION,
    OrderStatus.DISPUTED,
)
ENDED_ORDER_STATUSES = (OrderStatus.CANCELLED, OrderStatus.REPLACED)


class ContractStatus(models.TextChoices):
    AWAITING_SIGNATURES = "awaiting_signatures", _("待签署")
    SIGNED = "signed", _("已签署")
    SUPERSEDED = "superseded", _("已被新版本取代")


class Party(models.TextChoices):
    HOUSEHOLD = "household", _("雇主")
    WORKER = "worker", _("服务员")
    AGENCY = "agency", _("家政企业")


class OccurrenceStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("已排期")
    CANCELLED = "cancelled", _("已取消")


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("处理中")
    RESOLVED = "resolved", _("已解决")


class DisputeOutcome(models.TextChoices):
    COMPLETED = "completed", _("按完成结算")
    PARTIAL_REFUND = "partial_refund", _("部分退款")
    FULL_REFUND = "full_refund", _("全额退款并取消")


def can_transition(table: dict[str, set[str]], current: str, target: str) -> bool:
    return target in table.get(current, set())
