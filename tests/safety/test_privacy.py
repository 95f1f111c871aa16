"""The privacy table of docs/privacy.md, enforced: what each party sees of the other at each
stage, through the API (orders, offers, matches, contract, print) and the web pages."""

import json

import pytest
from django.test import Client

from orders.models import Order
from orders.services.contracts import contract_sign
from orders.statuses import OrderStatus
from tests import factories
from tests.conftest import client_for
from tests.orders.flow_helpers import accepted_order, make_request

pytestmark = pytest.mark.django_db

ADDRESS = "临清市青年路街道幸福小区3号楼2单元"


def sign_all(order) -> Order:
    for user in (order.household, order.worker.user):
        contract_sign(
            order_id=order.pk, user=user, ip_address=None, user_agent="t", text_sha256=None
        )
    return Order.objects.get(pk=order.pk)


def api_views(order, user) -> dict[str, str]:
    client = client_for(user)
    return {
        "order": json.dumps(client.get(f"/api/v1/orders/{order.pk}/").json(), ensure_ascii=False),
        "orders": json.dumps(client.get("/api/v1/orders/").json(), ensure_ascii=False),
        "contract": json.dumps(
            client.get(f"/api/v1/orders/{order.pk}/contract/").json(), ensure_ascii=False
        ),
        "print": client.get(f"/api/v1/orders/{order.pk}/contract/print/").content.decode(),
    }


def web_views(order, user) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    pages = {
        "order": client.get(f"/orders/{order.pk}/").content.decode(),
        "contract": client.get(f"/orders/{order.pk}/contract/").content.decode(),
    }
    if user.is_worker:
        pages["schedule"] = client.get("/worker/schedule/").content.decode()
    return pages


# (stage, viewer) → does the exact address show? Phones never show to the other side.
TABLE = [
    ("pending_contract", "household", True),
    ("pending_contract", "worker", False),
    ("pending_contract", "agency", False),
    ("signed", "household", True),
    ("signed", "worker", True),
    ("signed", "agency", True),
    ("cancelled", "worker", False),
]


@pytest.mark.parametrize("stage, viewer, sees_address", TABLE)
def test_privacy_table(stage, viewer, sees_address):
    staff = factories.AgencyStaffFactory()
    order = accepted_order(starts_at=factories.future(72), agency=staff.agency)
    order.household.phone = "13912345678"
    order.household.save()
    if stage == "signed":
        contract_sign(
            order_id=order.pk, user=staff.user, ip_address=None, user_agent="t", text_sha256=None
        )
        order = sign_all(order)
        assert order.status == OrderStatus.CONFIRMED
    elif stage == "cancelled":
        Order.objects.filter(pk=order.pk).update(status=OrderStatus.CANCELLED)
    user = {"household": order.household, "worker": order.worker.user, "agency": staff.user}[viewer]
    views = {**api_views(order, user), **{f"web-{k}": v for k, v in web_views(order, user).items()}}
    if viewer == "household":
        other_phones = [order.worker.phone, order.worker.user.phone]
    else:
        other_phones = [order.household.phone, order.household.household.phone]
    for name, body in views.items():
        if name in ("orders",) and viewer == "agency":
            continue  # agency staff list orders through agencies/me/orders/
        for phone in filter(None, other_phones):
            assert phone not in body, (name, "phone leaked")
        if name in ("web-schedule",) and stage == "cancelled":
            continue
        if name == "orders" and viewer == "agency":
            continue
        assert (ADDRESS in body) == sees_address, (name, stage, viewer)


def test_contract_hash_is_of_the_full_text_even_when_redacted():
    order = accepted_order(starts_at=factories.future(72))
    body = client_for(order.worker.user).get(f"/api/v1/orders/{order.pk}/contract/").json()
    contract = order.contracts.get()
    assert body["is_redacted"] is True and ADDRESS not in body["text"]
    assert ADDRESS in contract.text and body["text_sha256"] == contract.text_sha256
    assert body["terms"]["address"] is None
    assert "phone" not in json.dumps(body["terms"]["parties"])


def test_offers_and_matches_show_no_address_or_phone():
    factories.WorkerFactory()
    service_request = make_request()
    offer = service_request.offers.first()
    body = json.dumps(
        client_for(offer.worker.user).get("/api/v1/offers/").json(), ensure_ascii=False
    )
    assert ADDRESS not in body and service_request.household.phone not in body
    matches = client_for(service_request.household).get(
        f"/api/v1/requests/{service_request.pk}/matches/"
    )
    text = json.dumps(matches.json(), ensure_ascii=False)
    for row in matches.json()["results"]:
        assert "phone" not in row and "id_card" not in str(row)
    assert offer.worker.phone not in text
