import pytest

from marketplace.models import Category, WorkerProfile
from tests import factories
from tests.conftest import client_for

WORKER_ME = "/api/v1/workers/me/"
ID_NUMBER = "11010519491231002X"
OTHER_ID = "110105199003070025"


def snapshot(worker: WorkerProfile) -> dict:
    worker.refresh_from_db()
    return {
        "radius": worker.service_radius_km,
        "rate": worker.hourly_rate,
        "availability": worker.availability,
        "lat": worker.base_latitude,
        "trades": sorted(worker.categories.values_list("code", flat=True)),
        "accepting": worker.is_accepting_offers,
        "digest": worker.id_card_digest,
        "verified": worker.is_verified,
    }


@pytest.mark.django_db
def test_workers_me_permission_table(anon_client, household_client, agency_client, worker_client):
    assert anon_client.get(WORKER_ME).status_code == 401
    assert household_client.get(WORKER_ME).status_code == 403
    assert agency_client.get(WORKER_ME).status_code == 403
    assert worker_client.get(WORKER_ME).status_code == 200


@pytest.mark.django_db
def test_denied_patch_changes_nothing(anon_client, household_client, worker):
    before = snapshot(worker)
    assert anon_client.patch(WORKER_ME, {"hourly_rate": 1}, format="json").status_code == 401
    assert household_client.patch(WORKER_ME, {"hourly_rate": 1}, format="json").status_code == 403
    assert snapshot(worker) == before


@pytest.mark.django_db
def test_worker_reads_her_profile(worker, worker_client):
    data = worker_client.get(WORKER_ME).data
    assert data["id"] == worker.pk
    assert data["base_latitude"] == pytest.approx(36.8494)
    assert data["service_radius_km"] == 15
    assert data["hourly_rate"] == 3500
    assert data["is_verified"] is True
    assert set(data["categories"]) == {"housekeeper", "hourly_cleaning"}


@pytest.mark.django_db
def test_worker_updates_her_profile(worker, worker_client):
    response = worker_client.patch(
        WORKER_ME,
        {
            "base_latitude": 36.7531,
            "base_longitude": 115.9169,
            "division": "371581103000",
            "service_radius_km": 8.5,
            "categories": ["elderly_carer", "hourly_cleaning"],
            "hourly_rate": 4200,
            "availability": {"1": [["13:00", "17:00"], ["08:00", "12:00"]], "5": []},
            "is_accepting_offers": False,
        },
        format="json",
    )
    assert response.status_code == 200, response.data
    worker.refresh_from_db()
    assert worker.base_latitude == pytest.approx(36.7531)
    assert worker.division.code == "371581103000"
    assert worker.service_radius_km == 8.5
    assert worker.hourly_rate == 4200
    assert worker.availability == {"1": [["08:00", "12:00"], ["13:00", "17:00"]]}
    assert worker.is_accepting_offers is False
    assert sorted(worker.categories.values_list("code", flat=True)) == [
        "elderly_carer",
        "hourly_cleaning",
    ]
    assert response.data["availability"] == worker.availability
    assert worker.is_verified is True  # unchanged ID number keeps verification


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"service_radius_km": 0}, "service_radius_km"),
        ({"service_radius_km": 500}, "service_radius_km"),
        ({"hourly_rate": -1}, "hourly_rate"),
        ({"hourly_rate": "cheap"}, "hourly_rate"),
        ({"base_latitude": 95}, "base_latitude"),
        ({"base_longitude": 181}, "base_longitude"),
        ({"base_latitude": None}, "base_latitude"),
        ({"categories": ["astronaut"]}, "categories"),
        ({"division": "999"}, "division"),
        ({"availability": {"7": [["08:00", "10:00"]]}}, "availability"),
        ({"availability": {"0": [["10:00", "08:00"]]}}, "availability"),
        ({"availability": {"0": [["08:00", "12:00"], ["11:00", "13:00"]]}}, "availability"),
        ({"availability": {"0": [["8am", "noon"]]}}, "availability"),
        ({"availability": [1, 2]}, "availability"),
        ({"id_card_number": "110105194912310021"}, "id_card_number"),
        ({"is_accepting_offers": "maybe"}, "is_accepting_offers"),
    ],
)
@pytest.mark.django_db
def test_bad_patch_names_the_field_and_changes_nothing(worker, worker_client, body, field):
    before = snapshot(worker)
    response = worker_client.patch(WORKER_ME, {**body, "hourly_rate": 9999} | body, format="json")
    assert response.status_code == 400, response.data
    assert field in response.data["fields"]
    assert snapshot(worker) == before


@pytest.mark.django_db
def test_new_id_number_is_stored_encrypted_and_clears_verification(worker, worker_client):
    response = worker_client.patch(WORKER_ME, {"id_card_number": ID_NUMBER}, format="json")
    assert response.status_code == 200
    assert response.data["id_card_number"] == ID_NUMBER
    worker.refresh_from_db()
    assert worker.id_card_number == ID_NUMBER
    assert ID_NUMBER not in worker.id_card_ciphertext
    assert worker.is_verified is False


@pytest.mark.django_db
def test_id_number_of_another_worker_is_refused(worker, worker_client):
    other = factories.WorkerFactory(credentials=False)
    other.set_id_card_number(ID_NUMBER)
    other.save()
    before = snapshot(worker)
    response = worker_client.patch(WORKER_ME, {"id_card_number": ID_NUMBER}, format="json")
    assert response.status_code == 400
    assert response.data["field"] == "id_card_number"
    assert snapshot(worker) == before


# ---- worker card and the ID-number visibility table -----------------------------------------


@pytest.fixture
def rostered_worker():
    worker = factories.WorkerFactory()
    worker.set_id_card_number(OTHER_ID)
    worker.save()
    entry = factories.RosterEntryFactory(worker=worker)
    return worker, entry.agency


def viewer(kind: str, worker, agency):
    if kind == "self":
        return worker.user
    if kind == "own_agency_staff":
        return factories.AgencyStaffFactory(agency=agency).user
    if kind == "other_agency_staff":
        return factories.AgencyStaffFactory().user
    if kind == "household":
        return factories.HouseholdFactory().user
    if kind == "other_worker":
        return factories.WorkerFactory().user
    if kind == "operator":
        return factories.operator_user()
    if kind == "federation":
        return factories.FederationOfficerFactory().user
    raise AssertionError(kind)


@pytest.mark.parametrize(
    ("kind", "sees_full"),
    [
        ("self", True),
        ("own_agency_staff", True),
        ("other_agency_staff", False),
        ("household", False),
        ("other_worker", False),
        ("operator", True),
        ("federation", False),
    ],
)
@pytest.mark.django_db
def test_id_number_visibility(rostered_worker, kind, sees_full):
    worker, agency = rostered_worker
    response = client_for(viewer(kind, worker, agency)).get(f"/api/v1/workers/{worker.pk}/")
    assert response.status_code == 200
    assert response.data["id_card_masked"] == "**************0025"
    assert ("id_card_number" in response.data) is sees_full
    if sees_full:
        assert response.data["id_card_number"] == OTHER_ID
    assert "phone" not in response.data
    assert "base_latitude" not in response.data
    assert OTHER_ID not in str(response.content) or sees_full


@pytest.mark.django_db
def test_ended_roster_entry_no_longer_shows_the_number(rostered_worker):
    worker, agency = rostered_worker
    staff = factories.AgencyStaffFactory(agency=agency).user
    worker.roster_entries.update(status="ended")
    response = client_for(staff).get(f"/api/v1/workers/{worker.pk}/")
    assert "id_card_number" not in response.data


@pytest.mark.django_db
def test_worker_card_needs_sign_in_and_existing_worker(anon_client, household_client, worker):
    assert anon_client.get(f"/api/v1/workers/{worker.pk}/").status_code == 401
    missing = household_client.get(f"/api/v1/workers/{worker.pk + 1000}/")
    assert missing.status_code == 404
    assert missing.data["code"] == "not_found"
    card = household_client.get(f"/api/v1/workers/{worker.pk}/").data
    assert card["certificates"][0]["category"] == "housekeeper"
    assert card["certificates"][0]["is_verified"] is True


@pytest.mark.django_db
def test_categories_can_be_cleared(worker, worker_client):
    assert worker_client.patch(WORKER_ME, {"categories": []}, format="json").status_code == 200
    assert not worker.categories.exists()
    assert Category.objects.count() == 7
