"""What happens next on an order: who we are waiting for and what they must do, for the viewer.

One place computes it from the order's state (status, the current contract's signatures, the
next visit, the open dispute, the reviews); the web order page and the API's `next_step` (order
detail) both show what it returns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.localtime import local_time
from orders.models import Contract, Order, Review
from orders.statuses import ContractStatus, OccurrenceStatus, OrderStatus, Party

WAITING_LABELS = {
    Party.HOUSEHOLD: gettext_lazy("雇主（甲方）"),
    Party.WORKER: gettext_lazy("服务员（乙方）"),
    Party.AGENCY: gettext_lazy("家政企业（丙方）"),
}


@dataclass(frozen=True)
class NextStep:
    """`waiting_for`: a Party value, "operator", or None when nothing is awaited; `action`: a
    machine code; `is_yours`: the viewer is the one who must act; `text`: one sentence."""

    waiting_for: str | None
    action: str
    is_yours: bool
    text: str

    def as_dict(self) -> dict:
        return asdict(self)


def _who(party: str) -> str:
    return str(WAITING_LABELS[party])


def _when(moment: dt.datetime) -> str:
    return local_time(moment).strftime("%m-%d %H:%M")


def _current_contract(order: Order) -> Contract | None:
    return (
        Contract.objects.filter(order=order)
        .prefetch_related("signatures")
        .order_by("-version")
        .first()
    )


def _missing(contract: Contract) -> list[str]:
    signed = {signature.party for signature in contract.signatures.all()}
    return [party for party in contract.required_parties if party not in signed]


def _sign_step(*, contract: Contract, viewer: str | None, amended: bool) -> NextStep | None:
    missing = _missing(contract)
    if contract.status != ContractStatus.AWAITING_SIGNATURES or not missing:
        return None
    action = "sign_amendment" if amended else "sign_contract"
    if viewer in missing:
        text = _("请您阅读并签署合同（第%(version)s版）。") % {"version": contract.version}
        return NextStep(viewer, action, True, text)
    waiting = missing[0]
    if waiting == Party.AGENCY:
        text = _("雇主和服务员已签署，等待家政企业（丙方）签署合同，签署后订单即确认。")
    else:
        text = _("等待%(who)s签署合同（第%(version)s版）。") % {
            "who": _who(waiting),
            "version": contract.version,
        }
    return NextStep(waiting, action, False, text)


def _next_visit_start(order: Order) -> dt.datetime:
    now = timezone.now()
    starts = [
        visit.starts_at
        for visit in order.occurrences.all()
        if visit.status == OccurrenceStatus.SCHEDULED
        and visit.checked_in_at is None
        and visit.ends_at > now
    ]
    return min(starts) if starts else order.starts_at


def _service_step(order: Order, viewer: str | None) -> NextStep:
    if order.status == OrderStatus.CONFIRMED:
        when = _when(_next_visit_start(order))
        if viewer == Party.WORKER:
            text = _("请于 %(when)s 到达服务地址，向雇主要开工码后签到。") % {"when": when}
        else:
            text = _("等待服务员于 %(when)s 上门签到。") % {"when": when}
        return NextStep(Party.WORKER, "check_in", viewer == Party.WORKER, text)
    if order.status == OrderStatus.IN_PROGRESS:
        if viewer == Party.WORKER:
            text = _("服务中：完成后请点“签退”。")
        else:
            text = _("服务进行中，等待服务员完成后签退。")
        return NextStep(Party.WORKER, "check_out", viewer == Party.WORKER, text)
    hours = settings.MEIJIA["AUTO_CONFIRM_HOURS"]
    finished = order.worker_finished_at or timezone.now()
    deadline = _when(finished + dt.timedelta(hours=hours))
    if viewer == Party.HOUSEHOLD:
        text = _("请确认服务完成；%(when)s 前未确认将自动确认。") % {"when": deadline}
    else:
        text = _("等待雇主确认服务完成（%(when)s 前未确认将自动确认）。") % {"when": deadline}
    return NextStep(Party.HOUSEHOLD, "confirm", viewer == Party.HOUSEHOLD, text)


def _dispute_step(order: Order, viewer: str | None) -> NextStep:
    resolver = Party.AGENCY.value if order.agency_id else "operator"
    if viewer == Party.AGENCY:
        return NextStep(resolver, "resolve_dispute", True, _("请处理该订单的争议。"))
    if resolver == "operator":
        return NextStep(resolver, "resolve_dispute", False, _("等待平台客服处理争议。"))
    return NextStep(resolver, "resolve_dispute", False, _("等待家政企业处理争议。"))


def _completed_step(order: Order, viewer: str | None) -> NextStep:
    window = dt.timedelta(days=settings.MEIJIA["REVIEW_WINDOW_DAYS"])
    open_window = order.completed_at and timezone.now() <= order.completed_at + window
    if viewer in (Party.HOUSEHOLD, Party.WORKER) and open_window:
        reviewed = Review.objects.filter(order=order, author_party=viewer).exists()
        if not reviewed:
            other = _("服务员") if viewer == Party.HOUSEHOLD else _("雇主")
            text = _("服务已完成，请评价%(other)s。") % {"other": other}
            return NextStep(viewer, "review", True, text)
    return NextStep(None, "none", False, _("订单已完成，无需再操作。"))


def order_next_step(*, order: Order, party: str | None) -> NextStep:
    """The one next step on `order` as `party` (a Party value, or None) sees it.

    Reads the current contract with its signatures (2 queries) while a contract is signable,
    and the viewer's review (1 query) after completion."""
    if order.status in (OrderStatus.PENDING_CONTRACT, OrderStatus.CONFIRMED):
        contract = _current_contract(order)
        if contract is not None:
            amended = order.status == OrderStatus.CONFIRMED
            step = _sign_step(contract=contract, viewer=party, amended=amended)
            if step is not None:
                if not amended:
                    return step
                # A signed version still holds while the amendment waits: the visit goes on.
                service = _service_step(order, party)
                if step.is_yours or not service.is_yours:
                    return step
                return service
    if order.status == OrderStatus.PENDING_CONTRACT:
        return NextStep(None, "none", False, _("合同正在生成，请稍后刷新。"))
    if order.status in (
        OrderStatus.CONFIRMED,
        OrderStatus.IN_PROGRESS,
        OrderStatus.AWAITING_CONFIRMATION,
    ):
        return _service_step(order, party)
    if order.status == OrderStatus.DISPUTED:
        return _dispute_step(order, party)
    if order.status == OrderStatus.COMPLETED:
        return _completed_step(order, party)
    if order.status == OrderStatus.REPLACED:
        return NextStep(None, "none", False, _("已更换服务员，请查看新的订单。"))
    return NextStep(None, "none", False, _("订单已取消，无需再操作。"))
