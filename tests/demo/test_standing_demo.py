"""seed_demo shows recurring and placement orders, payments offline and by card (so the demo
accounts' monthly statements have rows this month and last), SOS alerts and appeals."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marketplace.models import ReliabilityAppeal, User, WorkerProfile
from metrics.reconcile import metrics_reconcile
from orders.models import LedgerEntry, Occurrence, Order, Payment, SafetyAlert
from orders.payments.ledger import account_balances
from orders.selectors import worker_incidents
from orders.services.sos import safety_recipient_ids

pytestmark = pytest.mark.django_db

ARGS = ["--workers", "60", "--households", "20", "--orders", "60"]
STANDING_MODELS = [Order, Occurrence, Payment, LedgerEntry, SafetyAlert, ReliabilityAppeal]


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in STANDING_MODELS}


@pytest.fixture
def seeded():
    out = io.StringIO()
    call_command("seed_demo", *ARGS, stdout=out)
    before = _counts()
    call_command("seed_demo", *ARGS, stdout=out)  # twice: nothing is added the second time
    assert _counts() == before
    return out.getvalue()


def _months() -> list[str]:
    today = timezone.localdate()
    last = today.replace(day=1) - dt.timedelta(days=1)
    return [f"{today:%Y-%m}", f"{last:%Y-%m}"]


def _statement_rows(username: str, url_name: str, month: str) -> list[list[str]]:
    client = Client()
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse(url_name) + f"?month={month}")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return rows[1:-1]  # without the header and the totals


def test_demo_household_has_a_weekly_order_with_done_moved_and_cancelled_visits(seeded):
    order = Order.objects.get(
        household__username="demo-household",
        worker__user__username="demo-worker",
        request__kind="recurring",
    )
    assert order.status == "in_progress"
    visits = list(order.occurrences.order_by("original_starts_at"))
    now = timezone.now()
    done = [v for v in visits if v.checked_out_at is not None]
    assert len(done) >= 10 and all(v.ends_at <= now for v in done)
    moved = [v for v in visits if v.starts_at != v.original_starts_at]
    assert len(moved) == 1 and moved[0].starts_at > now and moved[0].status == "scheduled"
    cancelled = [v for v in visits if v.status == "cancelled"]
    assert len(cancelled) == 1 and cancelled[0].change_reason
    assert order.price == order.request.budget * (len(visits) - 1)
    assert sorted(order.request.recurrence_weekdays) == [1, 4]
    actions = {event.data.get("action") for event in order.events.all()}
    assert {"checked_in", "checked_out", "moved", "cancelled"} <= actions
    assert order.contracts.get().status == "signed"
    assert Order.objects.filter(request__kind="recurring").count() >= 3


def test_demo_household_has_a_live_in_placement_in_its_trial(seeded):
    order = Order.objects.get(household__username="demo-household", request__kind="placement")
    request = order.request
    assert order.worker.user.username == "demo-worker-3"
    assert order.agency.staff.filter(user__username="demo-agency").exists()
    assert (request.placement_mode, request.placement_price_unit) == ("live_in", "month")
    assert request.trial_days == 30
    assert order.starts_at < timezone.now() < order.trial_ends_at < order.ends_at
    assert order.status == "in_progress"
    assert order.price == request.placement_unit_price * 6  # 180 days at a monthly price
    assert Order.objects.filter(request__kind="placement").count() >= 2


def test_payments_offline_and_by_card_balance_and_fill_both_statements(seeded):
    weekly = Order.objects.get(household__username="demo-household", request__kind="recurring")
    methods = set(weekly.payment.operations.filter(kind="offline").values_list("method", flat=True))
    assert methods == {"cash", "bank_transfer"}
    cards = Payment.objects.filter(provider="stripe", status="paid")
    assert cards.filter(order__household__username="demo-household").count() == 1
    assert cards.count() >= 2
    for payment in cards:
        kinds = set(payment.operations.values_list("kind", "status"))
        assert kinds == {("authorize", "succeeded"), ("capture", "succeeded")}
        assert payment.amount_captured == payment.order.price
        balances = account_balances(LedgerEntry.objects.filter(order=payment.order))
        assert balances["card_hold"] == 0
        assert balances["stripe_balance"] == payment.order.price
    assert sum(account_balances().values()) == 0
    for month in _months():
        assert _statement_rows("demo-worker", "web:worker-statement-csv", month)
        assert _statement_rows("demo-agency", "web:agency-statement-csv", month)
    assert metrics_reconcile().is_clean


def test_sos_alerts_reach_demo_agency_and_demo_worker_has_appeals(seeded):
    alerts = SafetyAlert.objects.filter(kind="sos", order__household__username="demo-household")
    assert alerts.count() == 2
    agency_staff = User.objects.get(username="demo-agency")
    for alert in alerts:
        assert agency_staff.pk in alert.recipients
        assert alert.recipients == safety_recipient_ids(alert.order)
    assert {a.worker.user.username for a in alerts} == {"demo-worker", "demo-worker-3"}
    assert SafetyAlert.objects.filter(order__household__username__startswith="household-").exists()

    worker = WorkerProfile.objects.get(user__username="demo-worker")
    appeals = ReliabilityAppeal.objects.filter(worker=worker)
    assert set(appeals.values_list("incident", "status")) == {
        ("no_show", "pending"),
        ("late_cancellation", "upheld"),
    }
    decided = appeals.get(status="upheld")
    assert decided.decided_by == agency_staff and decided.decision_note
    assert decided.agency.staff.filter(user=agency_staff).exists()
    kinds = {incident.kind for incident in worker_incidents(worker_id=worker.pk)}
    assert {"no_show", "late_cancellation"} <= kinds
    assert worker.no_shows >= 1
    assert ReliabilityAppeal.objects.exclude(worker=worker).filter(status="pending").exists()
