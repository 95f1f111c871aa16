"""抢单大厅 on the phone: the worker's board of open requests near her, taking or applying for
one, and the household's applications and instant-accept switch on its request page."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.exceptions import DomainError
from marketplace.models import Role
from orders import selectors
from orders.selectors_open_board import open_board_for_worker
from orders.services.open_board import (
    application_accept,
    open_request_take,
    request_instant_accept_set,
)
from web.views.common import refused, role_required

worker_only = role_required(Role.WORKER)
household_only = role_required(Role.HOUSEHOLD)


@worker_only
def board(request):
    rows = open_board_for_worker(worker=request.user.worker)
    return render(request, "web/open_board/board.html", {"rows": rows})


@worker_only
@require_POST
def take(request, request_id: int):
    try:
        order, _application = open_request_take(worker=request.user.worker, request_id=request_id)
    except DomainError as error:
        return refused(request, error, "/worker/open-requests/")
    if order is not None:
        messages.success(request, _("抢单成功！请查看订单并签署合同。"))
        return redirect("web:order", order_id=order.pk)
    messages.success(request, _("已申请，等待雇主确认。"))
    return redirect("web:open-board")


def _own_request(request, request_id: int):
    if selectors.request_of_household(user=request.user, request_id=request_id) is None:
        raise Http404


@household_only
@require_POST
def application_accept_view(request, request_id: int, application_id: int):
    _own_request(request, request_id)
    back = f"/requests/{request_id}/"
    try:
        order = application_accept(
            household=request.user, request_id=request_id, application_id=application_id
        )
    except DomainError as error:
        return refused(request, error, back)
    messages.success(request, _("已选定这位服务员，请签署合同。"))
    return redirect("web:order", order_id=order.pk)


@household_only
@require_POST
def instant_accept_view(request, request_id: int):
    _own_request(request, request_id)
    allowed = request.POST.get("allowed") == "1"
    try:
        request_instant_accept_set(household=request.user, request_id=request_id, allowed=allowed)
    except DomainError as error:
        return refused(request, error, f"/requests/{request_id}/")
    messages.success(
        request, _("已允许服务员直接抢单。") if allowed else _("已改为由您确认服务员的申请。")
    )
    return redirect("web:request", request_id=request_id)


ROUTES = [
    path("worker/open-requests/", board, name="open-board"),
    path("worker/open-requests/<int:request_id>/take/", take, name="open-request-take"),
    path(
        "requests/<int:request_id>/applications/<int:application_id>/accept/",
        application_accept_view,
        name="application-accept",
    ),
    path(
        "requests/<int:request_id>/instant-accept/",
        instant_accept_view,
        name="request-instant-accept",
    ),
]
