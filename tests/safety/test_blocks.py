"""A worker's block of a household is respected by matching, offer waves, invitations and
agency dispatch; only the worker on the order can block; pending offers are withdrawn."""

import pytest
from django.test import Client

from marketplace.models import HouseholdBlock
from orders.models import Offer
from orders.services.dispatch import offer_dispatch
from orders.services.offers import request_matches
from orders.statuses import OfferStatus, OrderStatus
from tests import factories
from tests.conftest import client_for
from tests.orders.flow_helpers import make_request

pytestmark = pytest.mark.django_db


def test_blocking_excludes_her_from_matching_invitations_and_dispatch(anon_client):
    past = factories.OrderFactory(status=OrderStatus.COMPLETED)
    worker, household = past.worker, past.household
    staff = factories.AgencyStaffFactory()
    factories.RosterEntryFactory(agency=staff.agency, worker=worker)
    url = f"/api/v1/orders/{past.pk}/block-household/"
    assert anon_client.post(url).status_code == 401
    assert client_for(household).post(url).status_code == 403
    assert client_for(factories.WorkerFactory().user).post(url).status_code == 404
    assert not HouseholdBlock.objects.exists()

    before = make_request(household=household)
    assert worker.pk in [c.worker.pk for c in request_matches(service_request=before)]
    pending = Offer.objects.filter(request=before, worker=worker).first()

    response = client_for(worker.user).post(url, {"reason": "不尊重人"}, format="json")
    assert response.status_code == 201
    assert client_for(worker.user).post(url).status_code == 200  # idempotent
    if pending is not None:
        pending.refresh_from_db()
        assert pending.status == OfferStatus.WITHDRAWN

    service_request = make_request(household=household)
    assert worker.pk not in [c.worker.pk for c in request_matches(service_request=service_request)]
    assert not Offer.objects.filter(request=service_request, worker=worker).exists()
    response = client_for(household).get(f"/api/v1/requests/{service_request.pk}/matches/")
    assert worker.pk not in [row["worker"] for row in response.json()["results"]]
    response = client_for(household).post(
        f"/api/v1/requests/{service_request.pk}/invite/", {"worker": worker.pk}, format="json"
    )
    assert response.status_code == 400
    with pytest.raises(Exception) as error:
        offer_dispatch(
            agency=staff.agency,
            actor=staff.user,
            request_id=service_request.pk,
            worker_id=worker.pk,
        )
    assert getattr(error.value, "extra", {}).get("reasons") == ["blocked_household"]
    assert not Offer.objects.filter(request=service_request, worker=worker).exists()

    # Other households still reach her.
    other = make_request()
    assert worker.pk in [c.worker.pk for c in request_matches(service_request=other)]


def test_block_list_and_unblock():
    past = factories.OrderFactory(status=OrderStatus.CANCELLED)
    worker = client_for(past.worker.user)
    worker.post(f"/api/v1/orders/{past.pk}/block-household/")
    rows = worker.get("/api/v1/workers/me/blocks/").json()["results"]
    assert len(rows) == 1 and rows[0]["household"]["id"] == past.household_id
    assert "phone" not in str(rows)
    other = client_for(factories.WorkerFactory().user)
    assert other.delete(f"/api/v1/workers/me/blocks/{rows[0]['id']}/").status_code == 404
    assert worker.delete(f"/api/v1/workers/me/blocks/{rows[0]['id']}/").status_code == 204
    assert not HouseholdBlock.objects.exists()


def test_web_block_button_on_a_past_order():
    past = factories.OrderFactory(status=OrderStatus.COMPLETED)
    client = Client()
    client.force_login(past.worker.user)
    assert 'data-action="block-household"' in client.get(f"/orders/{past.pk}/").content.decode()
    client.post(f"/orders/{past.pk}/block/")
    assert HouseholdBlock.objects.filter(worker=past.worker, household=past.household).exists()
    assert "data-blocked" in client.get(f"/orders/{past.pk}/").content.decode()


def test_an_offer_accepted_after_her_block_is_refused():
    # The block's own offer withdrawal runs after the block is stored; an accept that slips in
    # between must still be refused, and nothing is created.
    worker = factories.WorkerFactory()
    service_request = make_request()
    offer = Offer.objects.select_related("worker__user").get(request=service_request, worker=worker)
    HouseholdBlock.objects.create(worker=offer.worker, household=service_request.household)
    response = client_for(offer.worker.user).post(f"/api/v1/offers/{offer.pk}/accept/")
    assert response.status_code == 409
    assert response.json()["code"] == "blocked"
    offer.refresh_from_db()
    service_request.refresh_from_db()
    assert offer.status == OfferStatus.PENDING
    assert service_request.status == "open"
    assert not service_request.orders.exists()
