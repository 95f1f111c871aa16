"""Household pages: post a request, follow it, see matched workers, invite one, cancel."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backend.exceptions import DomainError, ValidationFailed
from marketplace.models import Role
from orders import selectors
from orders.apis.serializers.requests import RequestCreateSerializer
from orders.services.cancellation import request_cancel
from orders.services.offers import offer_invite
from orders.services.requests import request_create
from orders.statuses import (
    ACTIVE_ORDER_STATUSES,
    OfferStatus,
    OrderStatus,
    RequestKind,
    RequestStatus,
)
from web.forms import ReasonForm, RequestForm, apply_errors
from web.selectors import request_match_cards, request_offers
from web.views.common import refused, role_required, template_for

household_only = role_required(Role.HOUSEHOLD)


def _own_request(request, request_id: int):
    service_request = selectors.request_of_household(user=request.user, request_id=request_id)
    if service_request is None:
        raise Http404
    return service_request


def _live_order(service_request):
    for order in service_request.orders.all():
        if order.status in ACTIVE_ORDER_STATUSES or order.status == OrderStatus.COMPLETED:
            return order
    return None


@household_only
def requests_list(request):
    service_requests = selectors.requests_of_household(user=request.user)[:50]
    rows = [(r, _live_order(r)) for r in service_requests]
    return render(
        request,
        "web/household/requests.html",
        {
            "rows": rows,
            "kinds": RequestKind.choices,
            "statuses": RequestStatus.choices,
            "order_statuses": OrderStatus.choices,
        },
    )


@household_only
@require_http_methods(["GET", "POST"])
def request_new(request):
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        serializer = RequestCreateSerializer(data=form.api_payload())
        if not serializer.is_valid():
            apply_errors(form, serializer.errors)
        else:
            try:
                service_request, _created = request_create(
                    household=request.user,
                    data=serializer.to_input(),
                    idempotency_key=form.cleaned_data.get("idempotency_key") or None,
                )
            except ValidationFailed as error:
                apply_errors(form, {error.field or "non_field_errors": [error.detail]})
            except DomainError as error:
                form.add_error(None, error.detail)
            else:
                messages.success(request, _("需求已发布，正在为您匹配服务员。"))
                return redirect("web:request", request_id=service_request.pk)
    return render(request, "web/household/request_new.html", {"form": form})


@household_only
def request_detail(request, request_id: int):
    service_request = _own_request(request, request_id)
    order = _live_order(service_request)
    matches = []
    if service_request.status == RequestStatus.OPEN:
        matches = request_match_cards(service_request=service_request)
    context = {
        "service_request": service_request,
        "order": order,
        "matches": matches,
        "offers": request_offers(service_request=service_request),
        "statuses": RequestStatus.choices,
        "kinds": RequestKind.choices,
        "order_statuses": OrderStatus.choices,
        "offer_statuses": OfferStatus.choices,
        "cancel_form": ReasonForm(),
    }
    template = template_for(
        request, "web/household/request_detail.html", "web/household/_request_panel.html"
    )
    return render(request, template, context)


@household_only
@require_POST
def request_invite(request, request_id: int):
    _own_request(request, request_id)
    try:
        worker_id = int(request.POST.get("worker", ""))
    except ValueError:
        messages.error(request, _("请选择一位服务员。"))
        return redirect("web:request", request_id=request_id)
    try:
        offer_invite(request_id=request_id, household=request.user, worker_id=worker_id)
    except DomainError as error:
        return refused(request, error, f"/requests/{request_id}/")
    messages.success(request, _("已邀请该服务员，等待她回应。"))
    return redirect("web:request", request_id=request_id)


@household_only
@require_POST
def request_cancel_view(request, request_id: int):
    _own_request(request, request_id)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        request_cancel(request_id=request_id, actor=request.user, reason=reason)
    except DomainError as error:
        return refused(request, error, f"/requests/{request_id}/")
    messages.success(request, _("需求已取消。"))
    return redirect("web:request", request_id=request_id)
