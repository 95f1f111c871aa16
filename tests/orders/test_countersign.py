"""The agency's countersignature: its standing authorisation signs standard contracts of its
rostered workers once household and worker have signed; without it, staff are told and the
contract waits on the agency home; the order's next step says so to every party."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from notifications.models import Notification
from orders import selectors
from orders.models import Contract, ContractSignature, CountersignAuthorisation
from orders.next_step import order_next_step
from orders.services.contracts import contract_amend, contract_draft, contract_sign
from orders.services.countersign import countersign_reminders_due
from orders.services.countersign_authorisations import countersign_authorise, countersign_revoke
from orders.statuses import ContractStatus, OrderStatus, Party
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/agencies/me/countersign/"


def agency_order(agency=None, *, on_roster=True):
    order = factories.OrderFactory()
    agency = agency or factories.AgencyFactory()
    if on_roster:
        factories.RosterEntryFactory(agency=agency, worker=order.worker)
    order.agency = agency
    order.save(update_fields=["agency"])
    contract_draft(order=order)
    return order


def sign(order, user):
    return contract_sign(
        order_id=order.pk, user=user, ip_address="10.0.0.7", user_agent="pytest", text_sha256=None
    )


def sign_household_and_worker(order):
    sign(order, order.household)
    sign(order, order.worker.user)


def test_without_authorisation_the_contract_waits_and_staff_are_told():
    owner = factories.AgencyStaffFactory()
    clerk = factories.AgencyStaffFactory(agency=owner.agency, staff_role=owner.StaffRole.STAFF)
    order = agency_order(owner.agency)
    sign_household_and_worker(order)
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_CONTRACT
    told = Notification.objects.filter(payload__kind="contract.awaiting_agency")
    assert sorted(told.values_list("user_id", flat=True)) == sorted([owner.user_id, clerk.user_id])
    counts = selectors.agency_counts(agency=owner.agency)
    assert counts["contracts_awaiting_agency"] == 1
    with translation.override("zh-hans"):
        worker_step = order_next_step(order=order, party=Party.WORKER)
    assert (worker_step.waiting_for, worker_step.is_yours) == (Party.AGENCY, False)
    assert "家政企业" in worker_step.text
    agency_step = order_next_step(order=order, party=Party.AGENCY)
    assert (agency_step.action, agency_step.is_yours) == ("sign_contract", True)


def test_authorisation_signs_as_soon_as_household_and_worker_have():
    owner = factories.AgencyStaffFactory()
    authorisation = countersign_authorise(agency=owner.agency, actor=owner.user)
    order = agency_order(owner.agency)
    sign(order, order.household)
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_CONTRACT  # the worker has not signed yet
    sign(order, order.worker.user)
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    signature = ContractSignature.objects.get(contract__order=order, party=Party.AGENCY)
    assert signature.authorisation == authorisation
    assert signature.signer == owner.user
    assert signature.text_sha256 == Contract.objects.get(order=order).text_sha256
    assert not Notification.objects.filter(payload__kind="contract.awaiting_agency").exists()


def test_giving_authorisation_signs_what_already_waits():
    owner = factories.AgencyStaffFactory()
    waiting = agency_order(owner.agency)
    sign_household_and_worker(waiting)
    half = agency_order(owner.agency)
    sign(half, half.household)
    countersign_authorise(agency=owner.agency, actor=owner.user)
    waiting.refresh_from_db()
    half.refresh_from_db()
    assert waiting.status == OrderStatus.CONFIRMED
    assert half.status == OrderStatus.PENDING_CONTRACT
    assert selectors.agency_counts(agency=owner.agency)["contracts_awaiting_agency"] == 0


def test_authorisation_leaves_non_standard_and_off_roster_contracts_to_staff():
    owner = factories.AgencyStaffFactory()
    countersign_authorise(agency=owner.agency, actor=owner.user)
    off_roster = agency_order(owner.agency, on_roster=False)
    sign_household_and_worker(off_roster)
    with_clause = agency_order(owner.agency)
    contract_amend(
        order_id=with_clause.pk,
        user=with_clause.household,
        changes={"notes": "自带清洁剂"},
        reason="补充约定",
    )
    sign_household_and_worker(with_clause)
    for order in (off_roster, with_clause):
        order.refresh_from_db()
        assert order.status == OrderStatus.PENDING_CONTRACT
    assert selectors.agency_counts(agency=owner.agency)["contracts_awaiting_agency"] == 2


def test_revoked_authorisation_signs_nothing_more_and_stays_on_record():
    owner = factories.AgencyStaffFactory()
    countersign_authorise(agency=owner.agency, actor=owner.user)
    signed = agency_order(owner.agency)
    sign_household_and_worker(signed)
    revoked = countersign_revoke(agency=owner.agency, actor=owner.user)
    assert revoked.revoked_by == owner.user and revoked.revoked_at is not None
    later = agency_order(owner.agency)
    sign_household_and_worker(later)
    later.refresh_from_db()
    signed.refresh_from_db()
    assert later.status == OrderStatus.PENDING_CONTRACT
    assert signed.status == OrderStatus.CONFIRMED  # what was signed under it stays signed
    # A new authorisation is a new row; the old one keeps its history.
    countersign_authorise(agency=owner.agency, actor=owner.user)
    assert CountersignAuthorisation.objects.filter(agency=owner.agency).count() == 2


def test_reminders_repeat_after_the_interval_only():
    owner = factories.AgencyStaffFactory()
    order = agency_order(owner.agency)
    sign_household_and_worker(order)
    kind = {"payload__kind": "contract.awaiting_agency", "user": owner.user}
    assert Notification.objects.filter(**kind).count() == 1
    now = timezone.now()
    assert countersign_reminders_due(now=now + dt.timedelta(hours=1)) == 0
    assert countersign_reminders_due(now=now + dt.timedelta(hours=13)) == 1
    assert countersign_reminders_due(now=now + dt.timedelta(hours=14)) == 0
    assert Notification.objects.filter(**kind).count() == 2
    sign(order, owner.user)
    assert countersign_reminders_due(now=now + dt.timedelta(hours=40)) == 0


# --- API --------------------------------------------------------------------------------------


def test_api_permissions_per_role(anon_client):
    owner = factories.AgencyStaffFactory()
    clerk = factories.AgencyStaffFactory(agency=owner.agency, staff_role=owner.StaffRole.STAFF)
    household = factories.HouseholdFactory().user
    assert anon_client.post(URL).status_code == 401
    assert client_for(household).post(URL).status_code == 403
    response = client_for(clerk.user).post(URL)
    assert response.status_code == 403 and response.json()["code"] == "owner_required"
    assert client_for(clerk.user).get(URL).status_code == 200  # staff may read it
    other = factories.AgencyStaffFactory()
    assert client_for(other.user).get(
        f"/api/v1/agencies/{owner.agency_id}/countersign/"
    ).status_code in (403, 404)
    assert not CountersignAuthorisation.objects.exists()

    response = client_for(owner.user).post(URL)
    assert response.status_code == 201
    body = response.json()
    assert body["in_force"]["authorised_by"]["id"] == owner.user_id
    assert body["in_force"]["statement"].startswith("本企业授权")
    again = client_for(owner.user).post(URL)
    assert again.status_code == 409 and again.json()["code"] == "already_authorised"
    assert client_for(clerk.user).delete(URL).status_code == 403
    assert CountersignAuthorisation.objects.get().revoked_at is None

    response = client_for(owner.user).delete(URL)
    assert response.status_code == 200
    assert response.json()["in_force"] is None
    assert response.json()["history"][0]["revoked_by"]["id"] == owner.user_id
    gone = client_for(owner.user).delete(URL)
    assert gone.status_code == 409 and gone.json()["code"] == "not_authorised"


def test_api_read_has_bounded_queries():
    owner = factories.AgencyStaffFactory()
    for _ in range(3):
        countersign_authorise(agency=owner.agency, actor=owner.user)
        countersign_revoke(agency=owner.agency, actor=owner.user)
    for _ in range(3):
        sign_household_and_worker(agency_order(owner.agency))
    client = client_for(owner.user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    assert response.json()["contracts_awaiting_agency"] == 3
    assert len(response.json()["history"]) == 3
    assert len(queries) <= 8


def test_order_detail_has_next_step_for_each_party():
    owner = factories.AgencyStaffFactory()
    order = agency_order(owner.agency)
    url = f"/api/v1/orders/{order.pk}/"
    step = client_for(order.household).get(url).json()["next_step"]
    assert step == {
        "waiting_for": "household",
        "action": "sign_contract",
        "is_yours": True,
        "text": step["text"],
    }
    sign_household_and_worker(order)
    for user, yours in ((order.household, False), (order.worker.user, False), (owner.user, True)):
        step = client_for(user).get(url).json()["next_step"]
        assert (step["waiting_for"], step["is_yours"]) == ("agency", yours)
    sign(order, owner.user)
    step = client_for(order.worker.user).get(url).json()["next_step"]
    assert (step["action"], step["is_yours"]) == ("check_in", True)
    step = client_for(order.household).get(url).json()["next_step"]
    assert (step["action"], step["waiting_for"], step["is_yours"]) == ("check_in", "worker", False)
    assert Contract.objects.get(order=order).status == ContractStatus.SIGNED
