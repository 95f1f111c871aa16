"""The agency itself (counts, owner edits) and its staff accounts with roles."""

import pytest

from marketplace.models import AgencyStaff, Role, User
from tests import factories
from tests.conftest import client_for
from tests.marketplace.agency_helpers import PREFIX, make_world, snapshot
from tests.orders.flow_helpers import order_in

pytestmark = pytest.mark.django_db


def test_agency_detail_has_counts_and_my_role():
    w = make_world()
    factories.RosterEntryFactory(agency=w.agency, status="invited", started_on=None)
    factories.RosterEntryFactory(agency=w.agency, status="ended")
    order_in("disputed", agency=w.agency)
    body = client_for(w.staff.user).get(PREFIX).json()
    assert body["id"] == w.agency.pk
    assert body["my_staff_role"] == "staff"
    assert body["counts"] == {
        "staff": 2,
        "roster_active": 2,  # the world's worker and the disputed order's worker
        "roster_invited": 1,
        "roster_ended": 1,
        "orders": 1,
        "orders_live": 0,
        "open_disputes": 0,  # the order was moved to disputed without a dispute row
        "contracts_awaiting_agency": 0,
    }


def test_owner_updates_phone_and_address_only():
    w = make_world()
    response = client_for(w.owner.user).patch(
        PREFIX,
        {"phone": "0635-2345678", "address": "临清市新华路1号", "name": "改名"},
        format="json",
    )
    assert response.status_code == 200
    w.agency.refresh_from_db()
    assert (w.agency.phone, w.agency.address) == ("0635-2345678", "临清市新华路1号")
    assert w.agency.name != "改名"


def test_owner_creates_a_staff_account_that_can_sign_in(anon_client):
    w = make_world()
    response = client_for(w.owner.user).post(
        PREFIX + "staff/",
        {
            "username": "zhang.clerk",
            "password": factories.PASSWORD,
            "display_name": "张文员",
            "phone": "13600000001",
            "staff_role": "staff",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["staff_role"] == "staff"
    user = User.objects.get(username="zhang.clerk")
    assert user.role == Role.AGENCY_STAFF and user.agency_staff.agency == w.agency
    token = anon_client.post(
        "/api/v1/auth/token/", {"username": "zhang.clerk", "password": factories.PASSWORD}
    )
    assert token.status_code == 200
    listed = client_for(w.owner.user).get(PREFIX + "staff/").json()
    assert {s["username"] for s in listed["results"]} >= {"zhang.clerk"}
    assert listed["count"] == 3


@pytest.mark.parametrize(
    "change,field",
    [
        ({"username": "bad name!"}, "username"),
        ({"password": "123"}, "password"),
        ({"phone": "12345"}, "phone"),
        ({"staff_role": "boss"}, "staff_role"),
    ],
)
def test_staff_create_validation_names_the_field(change, field):
    w = make_world()
    body = {
        "username": "li.clerk",
        "password": factories.PASSWORD,
        "display_name": "李文员",
        "phone": "13600000002",
        **change,
    }
    before = snapshot()
    response = client_for(w.owner.user).post(PREFIX + "staff/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert snapshot() == before


def test_taken_username_is_refused_on_the_field():
    w = make_world()
    body = {
        "username": w.staff.user.username.upper(),
        "password": factories.PASSWORD,
        "display_name": "重名",
    }
    response = client_for(w.owner.user).post(PREFIX + "staff/", body, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "username"


def test_owner_promotes_and_demotes_staff():
    w = make_world()
    client = client_for(w.owner.user)
    response = client.patch(PREFIX + f"staff/{w.staff.pk}/", {"staff_role": "owner"}, format="json")
    assert response.status_code == 200 and response.json()["staff_role"] == "owner"
    # Now there are two owners: the first may step down.
    response = client.patch(PREFIX + f"staff/{w.owner.pk}/", {"staff_role": "staff"}, format="json")
    assert response.status_code == 200
    w.owner.refresh_from_db()
    assert w.owner.staff_role == "staff"


def test_last_owner_cannot_demote_herself():
    w = make_world()
    before = snapshot()
    response = client_for(w.owner.user).patch(
        PREFIX + f"staff/{w.owner.pk}/", {"staff_role": "staff"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "last_owner"
    assert snapshot() == before


def test_last_owner_cannot_be_removed():
    w = make_world()
    before = snapshot()
    response = client_for(w.owner.user).delete(PREFIX + f"staff/{w.owner.pk}/")
    assert response.status_code == 409
    assert snapshot() == before


def test_removing_staff_deactivates_the_account_and_ends_access():
    w = make_world()
    response = client_for(w.owner.user).delete(PREFIX + f"staff/{w.staff.pk}/")
    assert response.status_code == 204
    assert not AgencyStaff.objects.filter(pk=w.staff.pk).exists()
    user = User.objects.get(pk=w.staff.user_id)
    assert not user.is_active
    assert client_for(user).get(PREFIX).status_code == 401


def test_an_owner_can_be_removed_when_another_owner_remains():
    w = make_world()
    second = factories.AgencyStaffFactory(agency=w.agency)
    response = client_for(second.user).delete(PREFIX + f"staff/{w.owner.pk}/")
    assert response.status_code == 204
    assert list(
        AgencyStaff.objects.filter(agency=w.agency, staff_role="owner").values_list("pk", flat=True)
    ) == [second.pk]


def test_staff_of_another_agency_cannot_be_edited():
    w = make_world()
    before = snapshot()
    response = client_for(w.owner.user).patch(
        PREFIX + f"staff/{w.other_owner.pk}/", {"staff_role": "staff"}, format="json"
    )
    assert response.status_code == 404
    assert snapshot() == before
