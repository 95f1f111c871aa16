"""Account deletion: asked with her password, a cooling-off period, then carried out.

`account_deletion_request` checks her password and what stands in the way, and opens a pending
request due after `ACCOUNT_DELETION_COOLING_OFF_DAYS`; she may cancel it until then. The
periodic job (`run_periodic`, through backend.periodic_jobs) carries out the due ones with
`account_erase` (personal_data.erasure), checking again under lock: an order that started or a
debt that arose meanwhile refuses the deletion, with the reason kept for her.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import Conflict, ValidationFailed
from marketplace.models import AgencyStaff, User
from orders.models import Order, ServiceRequest
from orders.models.payments import PaymentStatus
from orders.statuses import ACTIVE_ORDER_STATUSES, OrderStatus, RequestStatus
from personal_data.erasure import account_erase
from personal_data.models import DeletionRequest, DeletionStatus

logger = logging.getLogger(__name__)

# A payment in one of these states on a finished order is money still owed.
UNSETTLED_PAYMENT_STATUSES = (
    PaymentStatus.UNPAID,
    PaymentStatus.AWAITING_AUTHORIZATION,
    PaymentStatus.AUTHORIZED,
    PaymentStatus.METHOD_SAVED,
    PaymentStatus.FAILED,
)


def cooling_off() -> dt.timedelta:
    return dt.timedelta(days=settings.ACCOUNT_DELETION_COOLING_OFF_DAYS)


def deletion_blocker(*, user: User) -> str | None:
    """Why her account cannot be deleted now (a sentence for her), or None when it can."""
    orders = Order.objects.filter(Q(household=user) | Q(worker__user=user))
    live = orders.filter(status__in=ACTIVE_ORDER_STATUSES).order_by("pk").first()
    if live is not None:
        return _("订单 #%(order)s 尚未结束（%(status)s），请在订单完成或取消后再注销。") % {
            "order": live.pk,
            "status": live.get_status_display(),
        }
    finished = Q(status=OrderStatus.COMPLETED) | Q(
        status=OrderStatus.CANCELLED, cancellation_fee__gt=0
    )
    owed = (
        orders.filter(finished, household=user, payment__status__in=UNSETTLED_PAYMENT_STATUSES)
        .order_by("pk")
        .first()
    )
    if owed is not None:
        return _("订单 #%(order)s 还有未结清的款项，请付清后再注销。") % {"order": owed.pk}
    open_request = ServiceRequest.objects.filter(household=user, status=RequestStatus.OPEN)
    if open_request.exists():
        return _("您还有正在匹配的服务需求，请先取消需求再注销。")
    return _sole_owner_blocker(user)


def _sole_owner_blocker(user: User) -> str | None:
    """An agency must keep an owner who can sign its contracts and answer for it."""
    mine = AgencyStaff.objects.filter(user=user, staff_role=AgencyStaff.StaffRole.OWNER).first()
    if mine is None:
        return None
    others = AgencyStaff.objects.filter(
        agency_id=mine.agency_id, staff_role=AgencyStaff.StaffRole.OWNER, user__is_active=True
    ).exclude(user=user)
    if others.exists():
        return None
    return _("您是「%(agency)s」唯一的负责人，请先把负责人转给另一位员工再注销。") % {
        "agency": mine.agency.name
    }


def pending_deletion(*, user: User) -> DeletionRequest | None:
    return DeletionRequest.objects.filter(user=user, status=DeletionStatus.PENDING).first()


def account_deletion_request(*, user: User, password: str, now=None) -> DeletionRequest:
    """Ask for her account to be deleted after the cooling-off period.

    Raises ValidationFailed (field password) for a wrong password, Conflict `deletion_pending`
    when one is already pending, Conflict `deletion_blocked` (the reason as detail) when an
    order is unfinished or money is owed.
    """
    now = now or timezone.now()
    if not password or not user.check_password(password):
        raise ValidationFailed(_("密码不正确。"), field="password", code="wrong_password")
    if pending_deletion(user=user) is not None:
        raise Conflict(_("已有一个注销申请在冷静期中。"), code="deletion_pending")
    blocker = deletion_blocker(user=user)
    if blocker:
        raise Conflict(blocker, code="deletion_blocked")
    try:
        with transaction.atomic():
            return DeletionRequest.objects.create(
                user=user, role=user.role, requested_at=now, erase_after=now + cooling_off()
            )
    except IntegrityError as error:  # a simultaneous request won (one pending per user)
        raise Conflict(_("已有一个注销申请在冷静期中。"), code="deletion_pending") from error


def account_deletion_cancel(*, user: User, now=None) -> DeletionRequest:
    """Cancel her pending deletion. Raises Conflict `no_pending_deletion` when there is none."""
    now = now or timezone.now()
    with transaction.atomic():
        request = (
            DeletionRequest.objects.select_for_update()
            .filter(user=user, status=DeletionStatus.PENDING)
            .first()
        )
        if request is None:
            raise Conflict(_("没有冷静期中的注销申请。"), code="no_pending_deletion")
        request.status = DeletionStatus.CANCELLED
        request.cancelled_at = now
        request.save(update_fields=["status", "cancelled_at"])
    return request


def account_deletion_complete(*, request_id: int, now=None) -> DeletionRequest | None:
    """Carry out one due deletion: erase her data, or refuse with the reason. Returns the
    request, or None when it is no longer pending (another run took it, she cancelled).

    Locks the deletion request row first, then her user row.
    """
    now = now or timezone.now()
    with transaction.atomic():
        request = (
            DeletionRequest.objects.select_for_update()
            .filter(pk=request_id, status=DeletionStatus.PENDING, erase_after__lte=now)
            .first()
        )
        if request is None:
            return None
        user = User.objects.select_for_update().get(pk=request.user_id)
        blocker = deletion_blocker(user=user)
        if blocker:
            request.status = DeletionStatus.REFUSED
            request.refused_reason = blocker[:200]
            request.save(update_fields=["status", "refused_reason"])
            return request
        account_erase(user=user, now=now)
        request.status = DeletionStatus.COMPLETED
        request.completed_at = now
        request.save(update_fields=["status", "completed_at"])
    return request


def account_deletions_complete_due(*, now: dt.datetime | None = None) -> int:
    """The periodic job: carry out every deletion whose cooling-off period ended; returns how
    many accounts were erased."""
    now = now or timezone.now()
    due = DeletionRequest.objects.filter(status=DeletionStatus.PENDING, erase_after__lte=now)
    done = 0
    for request_id in due.order_by("erase_after", "pk").values_list("pk", flat=True):
        request = account_deletion_complete(request_id=request_id, now=now)
        done += request is not None and request.status == DeletionStatus.COMPLETED
    return done
