"""Order pages for every party: live timeline, contract, chat, actions, cancel, review."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backend.client_address import client_address
from backend.exceptions import DomainError, NotFound, ValidationFailed
from chat.services import chat_is_open, chat_message_send
from orders import selectors
from orders.next_step import order_next_step
from orders.parties import party_of
from orders.privacy import contract_display
from orders.selectors_reviews import review_tags_for_order
from orders.services import attendance, cancellation
from orders.services.contracts import PARTY_LABELS, contract_for_party, contract_sign
from orders.services.reviews import (
    REVIEWING_PARTIES,
    review_create,
    review_window_ends_at,
    reviews_visible_on_order,
)
from orders.statuses import ContractStatus, OrderStatus, Party, RequestKind
from web.forms import ChatForm, ReasonForm, ReviewForm, apply_errors
from web.selectors import chat_recent, own_review
from web.views.common import refused
from web.views.order_safety import check_in_arguments, order_safety_context
from web.views.reviews import review_cards


def _order_or_404(request, order_id: int):
    if not request.user.is_authenticated:
        raise Http404
    order = selectors.order_detail_of_user(user=request.user, order_id=order_id)
    if order is None:
        raise Http404
    return order


def _current_contract(request, order):
    try:
        return contract_for_party(order_id=order.pk, user=request.user)
    except NotFound:
        return None


def _signatures(contract) -> list[dict]:
    by_party = {signature.party: signature for signature in contract.signatures.all()}
    return [
        {"party": party, "label": PARTY_LABELS.get(party, party), "signature": by_party.get(party)}
        for party in contract.required_parties
    ]


def _check_out_from(order):
    """When check-out opens: the booked start of the visit she is in (the service's rule)."""
    open_visits = [
        visit.starts_at
        for visit in order.occurrences.all()
        if visit.checked_in_at and not visit.checked_out_at
    ]
    return min(open_visits) if open_visits else order.starts_at


def _review_form(order, party, data=None) -> ReviewForm:
    """The review form; a household picks tags from the order's trade."""
    tags = review_tags_for_order(category_id=order.request.category_id)
    return ReviewForm(data, tags=tags if party == Party.HOUSEHOLD else ())


def _panel_context(request, order) -> dict:
    from django.utils import timezone

    party = party_of(request.user, order)
    contract = _current_contract(request, order)
    has_signed = bool(contract) and contract.signatures.filter(party=party).exists()
    review = own_review(order_id=order.pk, user=request.user)
    window_ends = review_window_ends_at(order)
    can_review = (
        order.status == OrderStatus.COMPLETED
        and party in REVIEWING_PARTIES
        and review is None
        and window_ends is not None
        and timezone.now() <= window_ends
    )
    reviews = list(reviews_visible_on_order(order_id=order.pk, user=request.user))
    quote = None
    if order.status in cancellation.CANCELLABLE_STATUSES:
        quote = cancellation.cancellation_quote(order=order, party=party)
    return {
        "order": order,
        "party": party,
        "is_household": party == Party.HOUSEHOLD,
        "is_worker": party == Party.WORKER,
        "events": list(order.events.all()),
        "contract": contract,
        "signatures": _signatures(contract) if contract else [],
        "can_sign": bool(contract)
        and contract.status == ContractStatus.AWAITING_SIGNATURES
        and party in contract.required_parties
        and not has_signed
        and order.status in (OrderStatus.PENDING_CONTRACT, OrderStatus.CONFIRMED),
        "can_check_in": party == Party.WORKER and order.status == OrderStatus.CONFIRMED,
        "can_check_out": party == Party.WORKER
        and order.status == OrderStatus.IN_PROGRESS
        and timezone.now() >= _check_out_from(order),
        "check_out_from": _check_out_from(order),
        "can_confirm": party == Party.HOUSEHOLD
        and order.status == OrderStatus.AWAITING_CONFIRMATION,
        "quote": quote,
        "can_review": can_review,
        "review": review,
        "review_form": _review_form(order, party),
        "reviews": reviews,
        "review_cards": review_cards(reviews=reviews, user=request.user, party=party),
        "order_statuses": OrderStatus.choices,
        "kinds": RequestKind.choices,
        "parties": Party.choices,
        "safety": order_safety_context(request, order, party),
        "next_step": order_next_step(order=order, party=party),
    }


def orders_list(request):
    if not request.user.is_authenticated:
        return redirect(f"{reverse('web:login')}?next={request.path}")
    orders = list(selectors.orders_of_user(user=request.user)[:50])
    return render(
        request, "web/orders/list.html", {"orders": orders, "order_statuses": OrderStatus.choices}
    )


def order_detail(request, order_id: int):
    if not request.user.is_authenticated:
        return redirect(f"{reverse('web:login')}?next={request.path}")
    order = _order_or_404(request, order_id)
    context = _panel_context(request, order)
    if getattr(request, "htmx", False):
        return render(request, "web/orders/_panel.html", context)
    context.update(
        {
            "chat_messages": chat_recent(order_id=order.pk),
            "chat_form": ChatForm(),
            "chat_open": chat_is_open(order),
        }
    )
    return render(request, "web/orders/detail.html", context)


def _back(order_id: int) -> str:
    return reverse("web:order", kwargs={"order_id": order_id})


def _act(request, order_id: int, action, success: str):
    _order_or_404(request, order_id)
    try:
        action()
    except DomainError as error:
        return refused(request, error, _back(order_id))
    messages.success(request, success)
    return redirect(_back(order_id))


@require_POST
def check_in(request, order_id: int):
    return _act(
        request,
        order_id,
        lambda: attendance.order_check_in(
            order_id=order_id, actor=request.user, **check_in_arguments(request)
        ),
        _("已签到，服务开始。"),
    )


@require_POST
def check_out(request, order_id: int):
    return _act(
        request,
        order_id,
        lambda: attendance.order_complete(order_id=order_id, actor=request.user),
        _("已签退，等待雇主确认完成。"),
    )


@require_POST
def confirm(request, order_id: int):
    return _act(
        request,
        order_id,
        lambda: attendance.order_confirm(order_id=order_id, actor=request.user),
        _("已确认完成，欢迎评价。"),
    )


def contract_page(request, order_id: int):
    if not request.user.is_authenticated:
        return redirect(f"{reverse('web:login')}?next={request.path}")
    order = _order_or_404(request, order_id)
    context = _panel_context(request, order)
    if context["contract"] is None:
        raise Http404
    # As this party may see it (never saved: the stored text is the signed one).
    context["contract"].text = contract_display(contract=context["contract"], user=request.user)[0]
    return render(request, "web/orders/contract.html", context)


@require_POST
def contract_sign_view(request, order_id: int):
    _order_or_404(request, order_id)
    digest = request.POST.get("text_sha256") or None
    try:
        contract_sign(
            order_id=order_id,
            user=request.user,
            ip_address=client_address(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            text_sha256=digest,
        )
    except DomainError as error:
        return refused(request, error, reverse("web:contract", kwargs={"order_id": order_id}))
    messages.success(request, _("您已签署合同。"))
    return redirect(_back(order_id))


@require_http_methods(["GET", "POST"])
def cancel(request, order_id: int):
    """GET shows what cancelling now would cost (the fee preview); POST cancels."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('web:login')}?next={request.path}")
    order = _order_or_404(request, order_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cancellation.order_cancel(
                order_id=order_id, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationFailed as error:
            apply_errors(form, {error.field or "non_field_errors": [error.detail]})
        except DomainError as error:
            return refused(request, error, _back(order_id))
        else:
            messages.success(request, _("订单已取消。"))
            return redirect(_back(order_id))
    quote = cancellation.order_cancel_preview(order_id=order_id, actor=request.user)
    return render(
        request,
        "web/orders/cancel.html",
        {"order": order, "quote": quote, "form": form, "order_statuses": OrderStatus.choices},
    )


@require_POST
def review(request, order_id: int):
    order = _order_or_404(request, order_id)
    form = _review_form(order, party_of(request.user, order), request.POST)
    if form.is_valid():
        try:
            review_create(
                order_id=order_id,
                user=request.user,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data.get("comment", ""),
                tags=form.cleaned_data.get("tags", ()),
            )
        except ValidationFailed as error:
            apply_errors(form, {error.field or "non_field_errors": [error.detail]})
        except DomainError as error:
            return refused(request, error, _back(order_id))
        else:
            messages.success(request, _("感谢您的评价！双方都评价后（或评价期结束后）公开。"))
            return redirect(_back(order_id))
    context = _panel_context(request, order)
    context.update(
        {
            "review_form": form,
            "chat_messages": chat_recent(order_id=order.pk),
            "chat_form": ChatForm(),
            "chat_open": chat_is_open(order),
        }
    )
    return render(request, "web/orders/detail.html", context, status=400)


@require_http_methods(["GET", "POST"])
def chat(request, order_id: int):
    """GET: the chat log (htmx refresh when the socket is down). POST: send without a socket."""
    order = _order_or_404(request, order_id)
    form = ChatForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                chat_message_send(
                    order_id=order_id,
                    sender=request.user,
                    body=form.cleaned_data["body"],
                    client_id=form.cleaned_data.get("client_id") or None,
                )
            except ValidationFailed as error:
                apply_errors(form, {error.field or "non_field_errors": [error.detail]})
            except DomainError as error:
                return refused(request, error, _back(order_id))
        if form.is_valid() and not form.errors and not getattr(request, "htmx", False):
            return redirect(f"{_back(order_id)}#chat")
    context = {
        "order": order,
        "chat_messages": chat_recent(order_id=order.pk),
        "chat_form": ChatForm() if not form.errors else form,
        "chat_open": chat_is_open(order),
    }
    if getattr(request, "htmx", False):
        return render(request, "web/orders/_chat_log.html", context)
    if form.errors:
        context.update(_panel_context(request, order))
        context["chat_form"] = form
        return render(request, "web/orders/detail.html", context, status=400)
    return redirect(f"{_back(order_id)}#chat")
