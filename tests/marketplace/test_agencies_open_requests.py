"""Open requests an agency may dispatch to: near its division, open and not yet started, with
trade, time, division and budget only (no household, phone or address)."""

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.models import Division
from orders.statuses import RequestStatus
from tests import factories
from tests.conftest import client_for
from tests.marketplace.agency_helpers import PREFIX, make_world

pytestmark = pytest.mark.django_db

FIELDS = {
    "id",
    "kind",
    "category",
    "category_name",
    "division",
    "division_name",
    "starts_at",
    "ends_at",
    "budget",
    "distance_km",
}


def test_lists_open_requests_near_the_agency_without_personal_data():
    w = make_world()
    later = factories.ServiceRequestFactory(starts_at=factories.future(72))
    sooner = factories.ServiceRequestFactory(starts_at=factories.future(24))
    factories.ServiceRequestFactory(status=RequestStatus.MATCHED)
    factories.ServiceRequestFactory(status=RequestStatus.CANCELLED)
    started = factories.ServiceRequestFactory()
    type(started).objects.filter(pk=started.pk).update(
        starts_at=timezone.now() - dt.timedelta(minutes=5)
    )
    factories.ServiceRequestFactory(latitude=39.9, longitude=116.4)  # Beijing: far away

    response = client_for(w.staff.user).get(PREFIX + "open-requests/")

    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body["results"]] == [sooner.pk, later.pk]
    row = body["results"][0]
    assert set(row) == FIELDS
    assert row["budget"] == 15000 and row["category"] == "housekeeper"
    text = response.content.decode()
    assert sooner.address not in text
    assert str(sooner.household) not in text
    assert sooner.household.phone not in text


def test_the_radius_is_measured_from_the_agencys_division():
    far_division = Division.objects.order_by("-latitude").first()
    agency = factories.AgencyFactory(division=far_division)
    staff = factories.AgencyStaffFactory(agency=agency)
    near = factories.ServiceRequestFactory(
        latitude=far_division.latitude, longitude=far_division.longitude
    )
    results = client_for(staff.user).get(PREFIX + "open-requests/").json()["results"]
    assert near.pk in [row["id"] for row in results]
    assert all(row["distance_km"] <= 30 for row in results)


@pytest.mark.parametrize("role", ["anonymous", "household", "worker", "federation"])
def test_only_agency_staff_and_operators_may_list(role):
    factories.ServiceRequestFactory()
    users = {
        "household": lambda: factories.HouseholdFactory().user,
        "worker": lambda: factories.WorkerFactory().user,
        "federation": lambda: factories.FederationOfficerFactory().user,
    }
    client = client_for(users[role]()) if role in users else client_for(None)
    response = client.get(PREFIX + "open-requests/")
    assert response.status_code == (401 if role == "anonymous" else 403)


def test_an_operator_lists_for_a_chosen_agency():
    w = make_world()
    request = factories.ServiceRequestFactory()
    response = client_for(factories.operator_user()).get(
        f"/api/v1/agencies/{w.agency.pk}/open-requests/"
    )
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [request.pk]
