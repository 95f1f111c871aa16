"""Booking her again on the phone: the household's favourites (收藏), "再约一次" from a finished
order, and the worker's list of households that came back to her."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from backend.exceptions import Conflict, DomainError, ValidationFailed
from marketplace.models import Role
from orders.apis.serializers.rebooking import RebookSerializer
from orders.models import Order
from orders.selectors_rebooking import (
    asked_again_of_worker,
    favourites_of_household,
    is_favourite,
)
from orders.services.rebooking import favourite_add, favourite_remove, request_rebook
from orders.statuses import OrderStatus
from web.forms import RebookForm, apply_errors, fen_to_yuan, yuan_to_fen
from web.views.common import refused, role_required

# What a household is told of why she cannot take that time (nothing else about her).
TIME_REASON_TEXT = {
    "busy": gettext_lazy("她在该时间已有其他订单。"),
    "outside_availability": gettext_lazy("不在她设置的可服务时间内。"),
    "on_leave": gettext_lazy("她在该时间请假。"),
}

household_only = role_required(Role.HOUSEHOLD)
worker_only = role_required(Role.WORKER)


@household_only
def favourites(request):
    rows = list(favourites_of_household(user=request.user)[:100])
    return render(request, "web/rebooking/favourites.html", {"favourites": rows})


@household_only
@require_POST
def favourite_toggle(request, worker_id: int):
    back = request.POST.get("next") or "/favourites/"
    if not back.startswith("/") or back.startswith("//"):
        back = "/favourites/"
    try:
        if is_favourite(user=request.user, worker_id=worker_id):
            favourite_remove(household=request.user, worker_id=worker_id)
            messages.success(request, _("已取消收藏。"))
        else:
            favourite_add(household=request.user, worker_id=worker_id)
            messages.success(request, _("已收藏这位服务员。"))
    except DomainError as error:
        return refused(request, error, back)
    return redirect(back)


def _finished_order(request, order_id: int) -> Order:
    order = (
        Order.objects.select_related("worker", "request", "request__category")
        .filter(pk=order_id, household=request.user, status=OrderStatus.COMPLETED)
        .first()
    )
    if order is None:
        raise Http404
    return order


def _rebook_submit(request, order: Order, form: RebookForm):
    """Run the rebooking; returns the new request, or None with the errors on the form."""
    payload = {
        "starts_at": form.cleaned_data["starts_at"],
        "ends_at": form.cleaned_data["ends_at"],
        "description": form.cleaned_data.get("description") or "",
    }
    if form.cleaned_data.get("budget") is not None:
        payload["budget"] = yuan_to_fen(form.cleaned_data["budget"])
    serializer = RebookSerializer(data=payload)
    if not serializer.is_valid():
        apply_errors(form, serializer.errors)
        return None
    data = serializer.validated_data
    try:
        service_request, _created = request_rebook(
            household=request.user,
            order_id=order.pk,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            budget=data.get("budget"),
            description=data.get("description"),
            idempotency_key=form.cleaned_data.get("idempotency_key") or None,
        )
    except ValidationFailed as error:
        apply_errors(form, {error.field or "non_field_errors": [error.detail]})
    except Conflict as error:
        reasons = (error.extra or {}).get("reasons", [])
        texts = [str(TIME_REASON_TEXT[r]) for r in reasons if r in TIME_REASON_TEXT]
        form.add_error(None, " ".join([str(error.detail), *texts]))
    except DomainError as error:
        form.add_error(None, error.detail)
    else:
        return service_request
    return None


@household_only
@require_http_methods(["GET", "POST"])
def rebook(request, order_id: int):
    order = _finished_order(request, order_id)
    initial = {
        "budget": fen_to_yuan(order.request.budget),
        "description": order.request.description,
        "idempotency_key": uuid.uuid4().hex,
    }
    form = RebookForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        service_request = _rebook_submit(request, order, form)
        if service_request is not None:
            messages.success(
                request, _("已再约她一次：邀约先只发给她，她未接单时再为您匹配其他服务员。")
            )
            return redirect("web:request", request_id=service_request.pk)
    return render(request, "web/rebooking/rebook.html", {"form": form, "order": order})


@worker_only
def asked_again(request):
    rows = list(asked_again_of_worker(worker=request.user.worker)[:100])
    return render(
        request,
        "web/rebooking/asked_again.html",
        {"rows": rows, "count": request.user.worker.asked_again_count},
    )


ROUTES = [
    path("favourites/", favourites, name="favourites"),
    path("favourites/<int:worker_id>/toggle/", favourite_toggle, name="favourite-toggle"),
    path("orders/<int:order_id>/rebook/", rebook, name="rebook"),
    path("worker/asked-again/", asked_again, name="asked-again"),
]
