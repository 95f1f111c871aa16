"""What is sent to Stripe, checked on a recording HTTP server (localstripe ignores
idempotency keys and has no Connect): every POST carries a key derived from what it does, a
retry sends the same key, payouts are transfers to the connected accounts."""

import datetime as dt
import json

import pytest
from django.utils import timezone
from werkzeug import Response

from orders.models import Order, Payment, PaymentOperation
from orders.models.payments import (
    LedgerAccount,
    LedgerKind,
    OperationKind,
    OperationStatus,
    PaymentProvider,
    PaymentStatus,
)
from orders.payments import ledger
from orders.payments.payouts import payout_account_set, payouts_send_due
from orders.payments.retry import payment_operations_retry_due
from orders.services.periodic import run_due_work
from orders.statuses import OrderStatus
from tests import factories
from tests.conftest import client_for
from tests.orders.flow_helpers import order_in
from tests.orders.payments_helpers import SECRET_KEY, WEBHOOK_SECRET, assert_ledger_balances

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def recording_stripe(settings, httpserver):
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = httpserver.url_for("").rstrip("/")
    return httpserver


class FlakyThenOk:
    """Answers 500 to the first `failures` requests, then a JSON object."""

    def __init__(self, body: dict, failures: int = 1):
        self.body = body
        self.failures = failures
        self.keys: list[str | None] = []
        self.forms: list[dict] = []

    def __call__(self, request):
        self.keys.append(request.headers.get("Idempotency-Key"))
        self.forms.append(request.form.to_dict())
        if len(self.keys) <= self.failures:
            return Response(json.dumps({"error": {"message": "boom"}}), status=500)
        body = dict(self.body, id=f"{self.body['id']}{len(self.keys)}")
        return Response(json.dumps(body), status=200, content_type="application/json")


def test_authorize_sends_a_stable_key_and_retries_with_it(recording_stripe):
    order = order_in(OrderStatus.CONFIRMED, starts_at=factories.future(48))
    handler = FlakyThenOk(
        {
            "id": "pi_rec",
            "object": "payment_intent",
            "status": "requires_payment_method",
            "client_secret": "pi_rec_secret",
            "amount": order.price,
        },
        failures=1,
    )
    recording_stripe.expect_request("/v1/payment_intents", method="POST").respond_with_handler(
        handler
    )
    recording_stripe.expect_request("/v1/payment_intents/pi_rec2", method="GET").respond_with_json(
        {"id": "pi_rec2", "object": "payment_intent", "client_secret": "pi_rec2_secret"}
    )
    client = client_for(order.household)

    first = client.post(f"/api/v1/orders/{order.pk}/payments/authorize/")
    assert first.status_code == 409 and first.json()["code"] == "provider_unavailable"
    operation = PaymentOperation.objects.get(payment__order=order)
    assert operation.status == OperationStatus.PENDING and operation.attempts == 1

    second = client.post(f"/api/v1/orders/{order.pk}/payments/authorize/")

    assert second.status_code == 200, second.content
    assert second.json()["client_secret"] == "pi_rec2_secret"
    key = f"order-{order.pk}-authorize-v1"
    assert handler.keys == [key, key]
    assert handler.forms[0]["capture_method"] == "manual"
    assert handler.forms[0]["currency"] == "cny"
    assert handler.forms[0]["amount"] == str(order.price)
    operation.refresh_from_db()
    assert (operation.status, operation.attempts) == (OperationStatus.SUCCEEDED, 2)


def captured_order(*, agency=None, days_ago=15) -> Order:
    """A completed card-paid order past its dispute window (rows as the capture left them)."""
    order = order_in(OrderStatus.COMPLETED, agency=agency)
    completed = timezone.now() - dt.timedelta(days=days_ago)
    Order.objects.filter(pk=order.pk).update(completed_at=completed)
    order.refresh_from_db()
    payment = Payment.objects.create(
        order=order,
        provider=PaymentProvider.STRIPE,
        status=PaymentStatus.PAID,
        amount_captured=order.price,
        stripe_payment_intent_id="pi_done",
        stripe_charge_intent_id="pi_done",
        stripe_charge_id="ch_done",
    )
    operation = PaymentOperation.objects.create(
        payment=payment,
        kind=OperationKind.CAPTURE,
        status=OperationStatus.SUCCEEDED,
        amount=order.price,
        idempotency_key=f"order-{order.pk}-capture-v1",
    )
    ledger.ledger_post(
        order=order,
        movement=f"op-{operation.pk}",
        operation=operation,
        lines=ledger.received_lines(
            cash_account=LedgerAccount.STRIPE_BALANCE,
            kind=LedgerKind.CAPTURED,
            amount=order.price,
            has_agency=agency is not None,
        ),
    )
    return order


def test_payouts_are_transfers_with_stable_keys_retried_by_the_periodic_run(recording_stripe):
    agency = factories.AgencyFactory()
    order = captured_order(agency=agency)
    payout_account_set(worker=order.worker, stripe_account_id="acct_worker1")
    payout_account_set(agency=agency, stripe_account_id="acct_agency1")
    handler = FlakyThenOk({"id": "tr_", "object": "transfer"}, failures=2)
    recording_stripe.expect_request("/v1/transfers", method="POST").respond_with_handler(handler)
    shares = ledger.split(order.price, has_agency=True)

    # First pass: both transfers fail (500) and stay pending.
    assert payouts_send_due() == 2
    assert (
        PaymentOperation.objects.filter(
            kind=OperationKind.TRANSFER, status=OperationStatus.PENDING
        ).count()
        == 2
    )
    # Too soon for a retry: nothing is sent.
    assert payment_operations_retry_due() == 0
    # The periodic run later sends them again, with the same keys.
    counts = run_due_work(now=timezone.now() + dt.timedelta(minutes=5))
    assert counts["payment_operations_sent"] == 2

    worker_key = f"order-{order.pk}-transfer-worker-v1"
    agency_key = f"order-{order.pk}-transfer-agency-v2"
    assert handler.keys == [worker_key, agency_key, worker_key, agency_key]
    by_destination = {form["destination"]: form for form in handler.forms[2:]}
    assert by_destination["acct_worker1"]["amount"] == str(shares.worker)
    assert by_destination["acct_agency1"]["amount"] == str(shares.agency)
    assert by_destination["acct_worker1"]["source_transaction"] == "ch_done"
    assert by_destination["acct_worker1"]["transfer_group"] == f"order-{order.pk}"
    balances = ledger.order_balances(order.pk)
    assert balances[LedgerAccount.WORKER_PAYABLE] == 0
    assert balances[LedgerAccount.AGENCY_PAYABLE] == 0
    assert balances[LedgerAccount.STRIPE_BALANCE] == shares.platform
    # Paid out once: another pass sends nothing.
    assert payouts_send_due() == 0
    assert len(handler.keys) == 4
    assert_ledger_balances()


def test_no_payout_inside_the_dispute_window_or_without_an_account(recording_stripe):
    recent = captured_order(days_ago=2)
    payout_account_set(worker=recent.worker, stripe_account_id="acct_recent")
    captured_order(days_ago=20)  # her worker has no connected account

    assert payouts_send_due() == 0
    assert not PaymentOperation.objects.filter(kind=OperationKind.TRANSFER).exists()
    assert len(recording_stripe.log) == 0
