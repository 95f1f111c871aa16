"""Safety on the order page: the household's start code, the worker's check-in code and
position, SOS, and blocking the household."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.exceptions import DomainError
from marketplace.selectors import blocks as block_selectors
from orders import privacy
from orders.services import blocks, start_codes
from orders.services import sos as order_sos
from orders.statuses import OrderStatus, Party
from web.views.common import refused

BLOCKABLE_STATUSES = (
    OrderStatus.AWAITING_CONFIRMATION,
    OrderStatus.COMPLETED,
    OrderStatus.CANCELLED,
    OrderStatus.DISPUTED,
    OrderStatus.REPLACED,
)


def _order_back(order_id: int) -> str:
    return reverse("web:order", kwargs={"order_id": order_id})


def order_safety_context(request, order, party: str | None) -> dict:
    """What the order page shows for safety: the household's start code, the worker's code
    input, SOS and block buttons. Called by web.views.orders._panel_context."""
    context = {
        "address_visible": privacy.address_visible_to(order=order, party=party),
        "start_code": None,
        "can_sos": False,
        "can_block": False,
        "is_blocked": False,
    }
    if party == Party.HOUSEHOLD and order.status in start_codes.CODE_STATUSES:
        context["start_code"] = start_codes.start_code_current(order_id=order.pk, user=request.user)
    if party == Party.WORKER:
        context["can_sos"] = order.status in order_sos.SOS_STATUSES
        context["is_blocked"] = block_selectors.is_blocked(
            worker_id=order.worker_id, household_id=order.household_id
        )
        context["can_block"] = order.status in BLOCKABLE_STATUSES and not context["is_blocked"]
    return context


@login_required
@require_POST
def start_code_regenerate(request, order_id: int):
    try:
        start_codes.start_code_regenerate(order_id=order_id, user=request.user)
    except DomainError as error:
        return refused(request, error, _order_back(order_id))
    messages.success(request, _("已生成新的开工码，旧码作废。"))
    return redirect(_order_back(order_id))


def _position(request) -> dict:
    values = {}
    for name in ("latitude", "longitude", "accuracy_m"):
        raw = (request.POST.get(name) or "").strip()
        try:
            values[name] = float(raw) if raw else None
        except ValueError:
            values[name] = None
    if values["latitude"] is not None and not -90 <= values["latitude"] <= 90:
        values["latitude"] = values["longitude"] = None
    if values["longitude"] is not None and not -180 <= values["longitude"] <= 180:
        values["latitude"] = values["longitude"] = None
    return values


def check_in_arguments(request) -> dict:
    """The check-in form's start code and (when the phone gave it) position."""
    position = _position(request)
    return {
        "start_code": (request.POST.get("start_code") or "").strip(),
        "latitude": position["latitude"],
        "longitude": position["longitude"],
    }


@login_required
@require_POST
def sos(request, order_id: int):
    try:
        order_sos.safety_sos_raise(order_id=order_id, actor=request.user, **_position(request))
    except DomainError as error:
        return refused(request, error, _order_back(order_id))
    messages.success(request, _("求助已发出，家政企业会马上联系您。如有危险请立即拨打110。"))
    return redirect(_order_back(order_id))


@login_required
@require_POST
def block_household(request, order_id: int):
    try:
        blocks.worker_block_household(
            order_id=order_id, actor=request.user, reason=request.POST.get("reason", "")[:200]
        )
    except DomainError as error:
        return refused(request, error, _order_back(order_id))
    messages.success(request, _("已屏蔽该雇主，今后不会再派给您她的订单。"))
    return redirect(_order_back(order_id))
