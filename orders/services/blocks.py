"""A worker blocks the household of one of her orders (marketplace keeps the block; the
orders side withdraws what is pending between them)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import NotFound, PermissionDeniedError
from marketplace.models import User
from marketplace.services.blocks import household_block
from orders.models import Offer, Order
from orders.parties import party_of
from orders.services.transitions import offers_transition
from orders.statuses import OfferStatus, Party


def worker_block_household(*, order_id: int, actor: User, reason: str = ""):
    """The worker on this order blocks its household: no offer, invitation or dispatch
    between them again; their pending offers are withdrawn now. Returns (block, created).

    Raises NotFound (not a party), PermissionDeniedError (not the worker).
    """
    order = Order.objects.select_related("worker").filter(pk=order_id).first()
    party = party_of(actor, order) if order is not None else None
    if party is None:
        raise NotFound(_("订单不存在。"))
    if party != Party.WORKER:
        raise PermissionDeniedError(_("只有服务员本人可以屏蔽雇主。"), code="wrong_party")
    with transaction.atomic():
        block, created = household_block(
            worker=order.worker,
            household_id=order.household_id,
            order_id=order.pk,
            reason=(reason or "").strip(),
        )
        offers_transition(
            offers=Offer.objects.filter(
                worker=order.worker, request__household_id=order.household_id
            ),
            to_status=OfferStatus.WITHDRAWN,
            actor=actor,
            reason=reason,
            updates={"responded_at": timezone.now()},
        )
    return block, created
