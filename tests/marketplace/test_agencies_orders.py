"""The agency's orders, contracts and disputes: scoped to the agency, filtered, paginated, in
a number of queries that does not grow with the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.models import Contract, ContractSignature
from orders.services.contracts import contract_sign
from orders.services.disputes import order_dispute_open
from orders.statuses import OrderStatus
from tests import factories
from tests.conftest import client_for
from tests.marketplace.agency_helpers import PREFIX, make_world
from tests.orders.flow_helpers import order_in

pytestmark = pytest.mark.django_db


def _sign_all(order, staff_user):
    for user in (order.household, order.worker.user, staff_user):
        contract_sign(
            order_id=order.pk, user=user, ip_address=None, user_agent="", text_sha256=None
        )


def test_orders_are_the_agencys_only_and_filter_by_status():
    w = make_world()
    confirmed = order_in(OrderStatus.CONFIRMED, agency=w.agency, starts_at=factories.future(50))
    pending = order_in(
        OrderStatus.PENDING_CONTRACT, agency=w.agency, starts_at=factories.future(70)
    )
    order_in(OrderStatus.CONFIRMED, agency=w.other_agency, starts_at=factories.future(90))
    order_in(OrderStatus.CONFIRMED, starts_at=factories.future(110))  # no agency
    client = client_for(w.staff.user)
    body = client.get(PREFIX + "orders/").json()
    assert body["count"] == 2
    assert {o["id"] for o in body["results"]} == {confirmed.pk, pending.pk}
    assert all(o["agency"]["id"] == w.agency.pk for o in body["results"])
    only = client.get(PREFIX + "orders/", {"status": "confirmed"}).json()["results"]
    assert [o["id"] for o in only] == [confirmed.pk]
    paged = client.get(PREFIX + "orders/", {"page_size": 1}).json()
    assert paged["count"] == 2 and len(paged["results"]) == 1 and paged["next"]


def test_contracts_show_status_signed_at_and_who_signed():
    w = make_world()
    signed = order_in(OrderStatus.PENDING_CONTRACT, agency=w.agency, starts_at=factories.future(50))
    unsigned = order_in(
        OrderStatus.PENDING_CONTRACT, agency=w.agency, starts_at=factories.future(70)
    )
    _sign_all(signed, w.staff.user)
    order_in(OrderStatus.PENDING_CONTRACT, agency=w.other_agency, starts_at=factories.future(90))
    client = client_for(w.owner.user)
    rows = {c["order"]["id"]: c for c in client.get(PREFIX + "contracts/").json()["results"]}
    assert set(rows) == {signed.pk, unsigned.pk}
    assert rows[signed.pk]["status"] == "signed" and rows[signed.pk]["signed_at"]
    assert sorted(rows[signed.pk]["signed_parties"]) == ["agency", "household", "worker"]
    assert rows[unsigned.pk]["status"] == "awaiting_signatures"
    assert rows[unsigned.pk]["signed_at"] is None
    assert "agency" in rows[unsigned.pk]["required_parties"]
    only = client.get(PREFIX + "contracts/", {"status": "signed"}).json()["results"]
    assert [c["order"]["id"] for c in only] == [signed.pk]


def test_open_disputes_to_resolve_then_resolved():
    w = make_world()
    order = order_in(OrderStatus.IN_PROGRESS, agency=w.agency, starts_at=factories.future(50))
    other = order_in(OrderStatus.IN_PROGRESS, agency=w.other_agency, starts_at=factories.future(70))
    dispute = order_dispute_open(order_id=order.pk, actor=order.household, reason="没有打扫厨房")
    order_dispute_open(order_id=other.pk, actor=other.household, reason="迟到")
    client = client_for(w.staff.user)
    open_rows = client.get(PREFIX + "disputes/", {"status": "open"}).json()["results"]
    assert [d["id"] for d in open_rows] == [dispute.pk]
    assert open_rows[0]["order"]["id"] == order.pk
    assert open_rows[0]["reason"] == "没有打扫厨房"
    assert open_rows[0]["opened_by"]["id"] == order.household_id
    response = client.post(
        f"/api/v1/orders/{order.pk}/dispute/resolve/",
        {"outcome": "completed", "note": "已补做"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert client.get(PREFIX + "disputes/", {"status": "open"}).json()["count"] == 0
    resolved = client.get(PREFIX + "disputes/", {"status": "resolved"}).json()["results"]
    assert [d["id"] for d in resolved] == [dispute.pk]


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"page_size": 50})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("endpoint", ["orders/", "contracts/", "disputes/", "staff/"])
def test_list_query_count_is_constant(endpoint):
    w = make_world()
    client = client_for(w.owner.user)

    def grow(count: int, offset: int):
        for index in range(count):
            order = order_in(
                OrderStatus.IN_PROGRESS,
                agency=w.agency,
                starts_at=factories.future(50 + 12 * (offset + index)),
            )
            _sign_all_safe(order, w.owner.user)
            order_dispute_open(order_id=order.pk, actor=order.household, reason="争议")
            factories.AgencyStaffFactory(agency=w.agency, staff_role="staff")

    grow(2, 0)
    client.get(PREFIX + endpoint)  # a token's first call also loads the cached auth snapshot
    few = _count(client, PREFIX + endpoint)
    grow(8, 2)
    assert client.get(PREFIX + endpoint).json()["count"] >= 10
    assert _count(client, PREFIX + endpoint) == few


def _sign_all_safe(order, staff_user):
    """Sign with every party (the order is already past the contract step here)."""
    contract = Contract.objects.filter(order=order).first()
    for party, user in (
        ("household", order.household),
        ("worker", order.worker.user),
        ("agency", staff_user),
    ):
        ContractSignature.objects.create(
            contract=contract, party=party, signer=user, text_sha256=contract.text_sha256
        )
