"""Deleting an account: password, cooling-off, cancel, blockers, and the erasure itself, with
the federation's counts unchanged (metrics_reconcile agrees before and after)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from chat.models import ChatMessage
from marketplace.models import Consent, ConsentKind, HouseholdProfile, User, WorkerProfile
from metrics.reconcile import metrics_rebuild, metrics_reconcile
from metrics.selectors import MetricsFilter, metrics_summary
from notifications.models import PushSubscription
from orders.models import Contract, LedgerEntry, Order, Payment, Review, ServiceRequest
from orders.services.periodic import run_due_work
from personal_data.deletion import account_deletions_complete_due
from personal_data.models import DeletionRequest, DeletionStatus
from tests import factories
from tests.conftest import client_for
from tests.metrics.helpers import Clock
from tests.personal_data.helpers import HOUSEHOLD_MESSAGE, WORKER_MESSAGE, served_order

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/deletion/"


def _summary() -> dict:
    today = timezone.localdate()
    return metrics_summary(filters=MetricsFilter(start=today - dt.timedelta(days=60), end=today))


def _snapshot(order) -> dict:
    """What the law and the other party need, exactly as it was."""
    return {
        "order": Order.objects.filter(pk=order.pk).values().get(),
        "contracts": list(Contract.objects.filter(order=order).values("text", "text_sha256")),
        "payment": Payment.objects.filter(order=order).values().get(),
        "ledger": list(LedgerEntry.objects.filter(order=order).values()),
        "ratings": sorted(Review.objects.filter(order=order).values_list("author_id", "rating")),
    }


def _past_cooling_off():
    return timezone.now() + dt.timedelta(days=8)


@pytest.mark.parametrize("side", ["household", "worker"])
def test_deletion_erases_her_data_keeps_the_record_and_the_counts(monkeypatch, side):
    clock = Clock(monkeypatch)
    order = served_order(clock)
    user = order.household if side == "household" else order.worker.user
    other = order.worker.user if side == "household" else order.household
    PushSubscription.objects.create(
        user=user,
        endpoint="https://push.example/1",
        p256dh="k",
        auth="a",
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    # Her public reply to the review of her (set directly: replying has its own tests).
    Review.objects.filter(order=order).exclude(author=user).update(reply="谢谢您的评价")
    metrics_rebuild()
    assert metrics_reconcile().is_clean
    counts_before, kept_before = _summary(), _snapshot(order)
    username = user.username

    response = client_for(user).post(URL, {"password": factories.PASSWORD}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "pending"
    assert account_deletions_complete_due() == 0  # still cooling off: nothing happens
    assert User.objects.get(pk=user.pk).is_active

    clock.set(_past_cooling_off())
    counts = run_due_work()
    assert counts["account_deletions_completed"] == 1

    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()
    assert user.username == f"deleted-{user.pk}" and user.phone == "" and user.email == ""
    assert not PushSubscription.objects.filter(user=user).exists()
    mine = HOUSEHOLD_MESSAGE if side == "household" else WORKER_MESSAGE
    theirs = WORKER_MESSAGE if side == "household" else HOUSEHOLD_MESSAGE
    bodies = set(ChatMessage.objects.filter(order=order).values_list("body", flat=True))
    assert mine not in bodies and theirs in bodies  # only what she wrote is erased
    assert Review.objects.get(order=order, author=user).comment == ""
    assert Review.objects.get(order=order, author=other).comment != ""
    assert Review.objects.get(order=order, author=other).reply == ""  # her reply to it
    if side == "household":
        profile = HouseholdProfile.objects.get(user=user)
        assert (profile.phone, profile.address, profile.latitude) == ("", "", None)
        assert ServiceRequest.objects.get(pk=order.request_id).address == ""
    else:
        worker = WorkerProfile.objects.get(user=user)
        assert (worker.phone, worker.id_card_last4, worker.id_card_digest) == ("", "", None)
        assert worker.base_latitude is None and not worker.is_verified
    assert DeletionRequest.objects.get(user=user).status == DeletionStatus.COMPLETED

    assert _snapshot(order) == kept_before  # contract as signed, money, ratings
    report = metrics_reconcile()
    assert report.is_clean, report.lines()
    assert _summary() == counts_before
    call_command("metrics_reconcile")  # the command agrees too (raises when it does not)

    # She can no longer sign in, by password or with a token issued before.
    sign_in = client_for(None).post(
        "/api/v1/auth/token/", {"username": username, "password": factories.PASSWORD}
    )
    assert sign_in.status_code == 401
    assert client_for(user).get("/api/v1/me/").status_code == 401


def test_deletion_can_be_cancelled_in_the_cooling_off_period(monkeypatch):
    clock = Clock(monkeypatch)
    household = factories.HouseholdFactory()
    client = client_for(household.user)
    assert client.post(URL, {"password": factories.PASSWORD}, format="json").status_code == 201
    state = client.get(URL).json()
    assert state["pending"]["status"] == "pending" and state["cooling_off_days"] == 7

    response = client.post(URL + "cancel/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    clock.set(_past_cooling_off())
    assert account_deletions_complete_due() == 0
    household.user.refresh_from_db()
    assert household.user.is_active and household.user.has_usable_password()
    assert client.post(URL + "cancel/").json()["code"] == "no_pending_deletion"


def test_wrong_password_is_refused_on_its_field_and_changes_nothing():
    household = factories.HouseholdFactory()
    response = client_for(household.user).post(URL, {"password": "wrong-pass"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "password" and body["code"] == "wrong_password" and body["detail"]
    assert not DeletionRequest.objects.exists()
    missing = client_for(household.user).post(URL, {}, format="json")
    assert missing.status_code == 400 and missing.json()["field"] == "password"


def test_a_second_request_while_one_is_pending_is_a_conflict():
    household = factories.HouseholdFactory()
    client = client_for(household.user)
    assert client.post(URL, {"password": factories.PASSWORD}, format="json").status_code == 201
    again = client.post(URL, {"password": factories.PASSWORD}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "deletion_pending"
    assert DeletionRequest.objects.count() == 1


@pytest.mark.parametrize("status", ["pending_contract", "confirmed", "in_progress", "disputed"])
def test_an_unfinished_order_refuses_deletion_with_its_reason(status):
    order = factories.OrderFactory(status=status)
    for user in (order.household, order.worker.user):
        response = client_for(user).post(URL, {"password": factories.PASSWORD}, format="json")
        assert response.status_code == 409
        assert response.json()["code"] == "deletion_blocked"
        assert f"#{order.pk}" in response.json()["detail"]
    assert not DeletionRequest.objects.exists()


def test_the_only_owner_of_an_agency_cannot_leave_it_without_one():
    owner = factories.AgencyStaffFactory(staff_role="owner")
    response = client_for(owner.user).post(URL, {"password": factories.PASSWORD}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "deletion_blocked"
    assert owner.agency.name in response.json()["detail"]
    assert not DeletionRequest.objects.exists()
    factories.AgencyStaffFactory(agency=owner.agency, staff_role="owner")
    response = client_for(owner.user).post(URL, {"password": factories.PASSWORD}, format="json")
    assert response.status_code == 201


def test_money_owed_refuses_deletion(monkeypatch):
    order = served_order(Clock(monkeypatch), paid=False)
    response = client_for(order.household).post(
        URL, {"password": factories.PASSWORD}, format="json"
    )
    assert response.status_code == 409 and "未结清" in response.json()["detail"]
    assert client_for(order.household).get(URL).json()["blocker"]


def test_an_order_started_during_cooling_off_refuses_the_deletion_when_due(monkeypatch):
    clock = Clock(monkeypatch)
    household = factories.HouseholdFactory()
    client = client_for(household.user)
    assert client.post(URL, {"password": factories.PASSWORD}, format="json").status_code == 201
    factories.OrderFactory(
        request=factories.ServiceRequestFactory(household=household.user, status="matched"),
        status="confirmed",
    )
    clock.set(_past_cooling_off())
    assert account_deletions_complete_due() == 0
    request = DeletionRequest.objects.get(user=household.user)
    assert request.status == DeletionStatus.REFUSED and "尚未结束" in request.refused_reason
    household.user.refresh_from_db()
    assert household.user.is_active and household.user.phone


def test_her_consents_are_kept_as_withdrawn(monkeypatch):
    clock = Clock(monkeypatch)
    worker = factories.WorkerFactory()
    Consent.objects.create(
        user=worker.user, kind=ConsentKind.ID_CARD, purpose="p", version="1", given_at=clock.moment
    )
    client = client_for(worker.user)
    assert client.post(URL, {"password": factories.PASSWORD}, format="json").status_code == 201
    clock.set(_past_cooling_off())
    assert account_deletions_complete_due() == 1
    consent = Consent.objects.get(user=worker.user)
    assert consent.withdrawn_at == clock.moment
