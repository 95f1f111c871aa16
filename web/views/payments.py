"""Payments in the web app: the agency records money received offline, the household pays by
card when Stripe is enabled, and the worker reads her monthly statement.

Stripe.js is loaded only on the card page, and only when the provider is enabled: the offline
default (and every test) never fetches it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backend.exceptions import DomainError, ValidationFailed
from marketplace.models import Role
from orders import selectors
from orders.models.payments import LedgerKind
from orders.parties import party_of
from orders.payments import statements, stripe_api
from orders.payments.authorisation import payment_authorize
from orders.payments.offline import payment_record_offline
from orders.statuses import OrderStatus, Party
from web.forms import apply_errors, yuan_to_fen
from web.forms_agency import OfflinePaymentForm
from web.selectors_agency import order_payment
from web.views.agency.statements import csv_response, statement_month
from web.views.common import refused, role_required


def _order_of_party(request, order_id: int):
    order = selectors.order_detail_of_user(user=request.user, order_id=order_id)
    if order is None:
        raise Http404
    return order, party_of(request.user, order)


def _back(order_id: int) -> str:
    return reverse("web:order", kwargs={"order_id": order_id}) + "#payment"


@role_required(Role.AGENCY_STAFF)
@require_http_methods(["GET", "POST"])
def offline_record(request, order_id: int):
    """Staff of the order's agency record cash or a transfer received (amount in yuan)."""
    order, party = _order_of_party(request, order_id)
    if party != Party.AGENCY:
        raise Http404
    form = OfflinePaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment_record_offline(
                order_id=order.pk,
                actor=request.user,
                method=data["method"],
                amount=yuan_to_fen(data["amount"]),
                reference=data.get("reference") or "",
                idempotency_key=data.get("idempotency_key") or None,
            )
        except ValidationFailed as error:
            apply_errors(form, {error.field or "non_field_errors": [error.detail]})
        except DomainError as error:
            return refused(request, error, _back(order.pk))
        else:
            messages.success(request, _("已登记线下收款。"))
            return redirect(_back(order.pk))
    context = {
        "order": order,
        "form": form,
        "payment": order_payment(order=order, party=party),
        "order_statuses": OrderStatus.choices,
    }
    return render(request, "web/payments/offline.html", context, status=400 if form.errors else 200)


@role_required(Role.HOUSEHOLD)
@require_POST
def pay_by_card(request, order_id: int):
    """Authorise the price with Stripe and mount its card form (only when Stripe is on)."""
    order, party = _order_of_party(request, order_id)
    if party != Party.HOUSEHOLD or not stripe_api.is_enabled():
        raise Http404
    try:
        authorization = payment_authorize(order_id=order.pk, actor=request.user)
    except DomainError as error:
        return refused(request, error, _back(order.pk))
    context = {
        "order": order,
        "client_secret": authorization.client_secret,
        "mode": authorization.mode,
        "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        "return_url": request.build_absolute_uri(_back(order.pk)),
    }
    return render(request, "web/payments/card.html", context)


@role_required(Role.WORKER)
def worker_statement(request):
    form, month = statement_month(request)
    context = {
        "form": form,
        "statement": statements.statement_of_worker(worker=request.user.worker, month=month),
        "csv_url": reverse("web:worker-statement-csv") + f"?month={month}",
        "ledger_kinds": LedgerKind.choices,
    }
    return render(
        request, "web/payments/statement.html", context, status=400 if form.errors else 200
    )


@role_required(Role.WORKER)
def worker_statement_csv(request):
    _form, month = statement_month(request)
    worker = request.user.worker
    result = statements.statement_of_worker(worker=worker, month=month)
    return csv_response(statements.statement_csv(result), f"worker-statement-{month}.csv")


ROUTES = [
    path(
        "orders/<int:order_id>/payments/offline/",
        offline_record,
        name="payment-offline",
    ),
    path("orders/<int:order_id>/payments/card/", pay_by_card, name="payment-card"),
    path("worker/statement/", worker_statement, name="worker-statement"),
    path("worker/statement.csv", worker_statement_csv, name="worker-statement-csv"),
]
