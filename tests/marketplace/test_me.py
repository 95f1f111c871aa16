import pytest

from tests import factories

ME = "/api/v1/me/"


@pytest.mark.django_db
def test_me_requires_authentication(anon_client):
    response = anon_client.get(ME)
    assert response.status_code == 401
    assert response.data["code"] == "not_authenticated"


@pytest.mark.django_db
def test_me_for_household(household, household_client):
    data = household_client.get(ME).data
    assert data["role"] == "household"
    assert data["profile"]["name"] == household.name
    assert data["profile"]["division"] == household.division.code


@pytest.mark.django_db
def test_me_for_worker_includes_her_full_id_number(worker, worker_client):
    worker.set_id_card_number("11010519491231002X")
    worker.save()
    data = worker_client.get(ME).data
    assert data["role"] == "worker"
    assert data["profile"]["id"] == worker.pk
    assert data["profile"]["id_card_number"] == "11010519491231002X"
    assert data["profile"]["id_card_masked"].endswith("002X")
    assert sorted(data["profile"]["categories"]) == ["hourly_cleaning", "housekeeper"]


@pytest.mark.django_db
def test_me_for_agency_staff_and_federation(agency_staff, agency_client, federation_client):
    data = agency_client.get(ME).data
    assert data["role"] == "agency_staff"
    assert data["profile"]["agency"] == agency_staff.agency_id
    assert data["profile"]["agency_name"] == agency_staff.agency.name
    assert federation_client.get(ME).data["role"] == "federation"


@pytest.mark.django_db
def test_me_for_operator_has_no_profile(operator_client):
    data = operator_client.get(ME).data
    assert data["role"] == "operator"
    assert data["is_staff"] is True
    assert data["profile"] is None


@pytest.mark.django_db
def test_inactive_user_token_is_refused():
    worker = factories.WorkerFactory()
    from tests.conftest import client_for

    client = client_for(worker.user)
    worker.user.is_active = False
    worker.user.save()
    assert client.get(ME).status_code == 401
