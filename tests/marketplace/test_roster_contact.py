"""An agency sees a worker's phone, ID number and credential detail only after she accepts its
roster invitation (marketplace.selectors.agencies.roster_shows_contact): before, after a decline
and after the engagement ends it sees what her public card shows. Checked on the roster list,
the invite answer, the end answer, the roster search, the credentials API, dispatch and the
agency console; and the worker accepts or declines through the API and her web app."""

import pytest
from django.test import Client

from marketplace.models import RosterEntry
from tests import factories
from tests.conftest import client_for
from tests.marketplace.agency_helpers import PREFIX

pytestmark = pytest.mark.django_db

CONTACT = ("phone", "verified_at", "id_card_masked")
ID_NUMBER = "110101199003074573"


@pytest.fixture
def world():
    staff = factories.AgencyStaffFactory()
    worker = factories.WorkerFactory(phone="13912345678")
    worker.set_id_card_number(ID_NUMBER)
    worker.save()
    factories.CertificateFactory(worker=worker, number="LQ-SECRET-1")
    return staff, worker


def invite(staff, worker) -> dict:
    response = client_for(staff.user).post(PREFIX + "roster/", {"worker": worker.pk}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def roster(staff, **params) -> list[dict]:
    return client_for(staff.user).get(PREFIX + "roster/", params).json()["results"]


def assert_public_only(entry: dict, worker):
    assert entry["worker"]["id"] == worker.pk and entry["worker"]["real_name"] == worker.real_name
    for field in CONTACT:
        assert entry["worker"][field] is None, field
    assert entry["credentials"] is None
    flat = str(entry)
    assert worker.phone not in flat and "4573" not in flat and "LQ-SECRET" not in flat


def test_an_invitation_answer_and_the_roster_list_show_no_contact(world):
    staff, worker = world
    answer = invite(staff, worker)
    assert answer["status"] == "invited"
    assert_public_only(answer, worker)
    [listed] = roster(staff)
    assert_public_only(listed, worker)
    assert roster(staff, q="12345678") == []  # her phone finds nothing yet
    assert [e["id"] for e in roster(staff, q=worker.real_name)] == [answer["id"]]


def test_after_she_accepts_the_agency_sees_her_contact(world):
    staff, worker = world
    entry_id = invite(staff, worker)["id"]
    response = client_for(worker.user).post(f"/api/v1/roster-invitations/{entry_id}/accept/")
    assert response.status_code == 200
    [listed] = roster(staff)
    assert listed["status"] == "active"
    worker.refresh_from_db()  # the stored number is the E.164 form
    assert listed["worker"]["phone"] == worker.phone == "+8613912345678"
    assert listed["worker"]["id_card_masked"].endswith("4573")
    assert listed["credentials"]["certificate"]
    assert [e["id"] for e in roster(staff, q="12345678")] == [entry_id]
    detail = client_for(staff.user).get(PREFIX + f"workers/{worker.pk}/credentials/")
    assert detail.status_code == 200


def test_a_declined_or_ended_entry_shows_no_contact(world):
    staff, worker = world
    declined = invite(staff, worker)["id"]
    client_for(worker.user).post(f"/api/v1/roster-invitations/{declined}/decline/")
    assert_public_only(roster(staff)[0], worker)
    second = invite(staff, worker)["id"]
    client_for(worker.user).post(f"/api/v1/roster-invitations/{second}/accept/")
    ended = client_for(staff.user).post(
        PREFIX + f"roster/{second}/end/", {"reason": "合同到期"}, format="json"
    )
    assert ended.status_code == 200
    assert_public_only(ended.json(), worker)
    for entry in roster(staff):
        assert_public_only(entry, worker)


def test_before_acceptance_credentials_dispatch_and_id_number_are_closed(world):
    staff, worker = world
    invite(staff, worker)
    client = client_for(staff.user)
    assert client.get(PREFIX + f"workers/{worker.pk}/credentials/").status_code == 404
    card = client.get(f"/api/v1/workers/{worker.pk}/").json()
    assert ID_NUMBER not in str(card) and worker.phone not in str(card)
    request = factories.ServiceRequestFactory()
    response = client.post(
        PREFIX + "dispatch/", {"request": request.pk, "worker": worker.pk}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"]


def test_the_console_roster_page_shows_no_detail_before_acceptance(world):
    staff, worker = world
    invite(staff, worker)
    web = Client()
    web.force_login(staff.user)
    html = web.get("/agency/roster/").content.decode()
    assert worker.real_name in html
    assert worker.phone not in html and "4573" not in html and "LQ-SECRET" not in html
    assert f"/agency/workers/{worker.pk}/" not in html
    dispatch = web.get("/agency/dispatch/")
    assert dispatch.status_code == 200
    assert f'value="{worker.pk}"' not in dispatch.content.decode()


@pytest.mark.parametrize("action, status", [("accept", "active"), ("decline", "ended")])
def test_accept_and_decline_permissions_per_role(world, anon_client, action, status):
    staff, worker = world
    entry_id = invite(staff, worker)["id"]
    url = f"/api/v1/roster-invitations/{entry_id}/{action}/"
    assert anon_client.post(url).status_code == 401
    assert client_for(factories.HouseholdFactory().user).post(url).status_code == 403
    assert client_for(staff.user).post(url).status_code == 403
    assert client_for(factories.WorkerFactory().user).post(url).status_code == 404
    assert RosterEntry.objects.get(pk=entry_id).status == "invited"
    response = client_for(worker.user).post(url)
    assert response.status_code == 200 and response.json()["status"] == status


@pytest.mark.parametrize("action, status", [("accept", "active"), ("decline", "ended")])
def test_she_answers_in_her_web_app(world, action, status):
    staff, worker = world
    entry_id = invite(staff, worker)["id"]
    web = Client()
    web.force_login(worker.user)
    assert "/worker/invitations/" in web.get("/worker/profile/").content.decode()
    page = web.get("/worker/invitations/").content.decode()
    assert f'data-invitation="{entry_id}"' in page and staff.agency.name in page
    other = Client()
    other.force_login(factories.WorkerFactory().user)
    assert other.post(f"/worker/invitations/{entry_id}/{action}/").status_code == 404
    assert RosterEntry.objects.get(pk=entry_id).status == "invited"
    assert web.post(f"/worker/invitations/{entry_id}/{action}/").status_code == 302
    assert RosterEntry.objects.get(pk=entry_id).status == status
    page = web.get("/worker/invitations/").content.decode()
    assert f'data-invitation="{entry_id}"' not in page


def test_the_roster_list_query_count_stays_flat(world, django_assert_max_num_queries):
    staff, worker = world
    for _ in range(5):
        invite(staff, factories.WorkerFactory())
    client = client_for(staff.user)
    with django_assert_max_num_queries(14):
        client.get(PREFIX + "roster/")
