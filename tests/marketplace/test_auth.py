import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

from marketplace import idcard
from marketplace.models import HouseholdProfile, User, WorkerProfile
from tests import factories

REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
LOGOUT = "/api/v1/auth/logout/"
ME = "/api/v1/me/"

VALID_ID = "11010519491231002X"


def payload(**overrides):
    data = {
        "username": "zhangli",
        "password": "Linqing-2026-safe",
        "role": "worker",
        "display_name": "张丽",
        "phone": "13812345678",
        "id_card_number": VALID_ID,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_register_worker_creates_profile_with_encrypted_id(anon_client):
    response = anon_client.post(REGISTER, payload(), format="json")
    assert response.status_code == 201, response.data
    assert response.data["role"] == "worker"
    worker = WorkerProfile.objects.get(user__username="zhangli")
    assert worker.real_name == "张丽"
    assert worker.phone == "+8613812345678"
    assert worker.id_card_number == VALID_ID
    assert VALID_ID not in worker.id_card_ciphertext
    assert worker.id_card_digest == idcard.digest(VALID_ID)
    assert not worker.is_verified
    assert User.objects.get(username="zhangli").check_password("Linqing-2026-safe")


@pytest.mark.django_db
def test_register_household_creates_household_profile(anon_client):
    response = anon_client.post(
        REGISTER, payload(role="household", id_card_number=""), format="json"
    )
    assert response.status_code == 201, response.data
    household = HouseholdProfile.objects.get(user__username="zhangli")
    assert household.name == "张丽"
    assert not WorkerProfile.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password": "123"}, "password"),
        ({"password": "password"}, "password"),
        ({"password": "zhangli123"}, "password"),
        ({"phone": "1381234567"}, "phone"),
        ({"phone": "23812345678"}, "phone"),
        ({"id_card_number": "110105194912310021"}, "id_card_number"),
        ({"id_card_number": "11010519491331002X"}, "id_card_number"),
        ({"role": "operator"}, "role"),
        ({"role": "agency_staff"}, "role"),
        ({"username": "bad name!"}, "username"),
        ({"display_name": ""}, "display_name"),
    ],
)
@pytest.mark.django_db
def test_register_rejects_bad_input_naming_the_field(anon_client, overrides, field):
    response = anon_client.post(REGISTER, payload(**overrides), format="json")
    assert response.status_code == 400
    assert field in response.data["fields"]
    assert response.data["code"]
    assert not User.objects.filter(username=payload(**overrides)["username"]).exists()
    assert not WorkerProfile.objects.exists()


@pytest.mark.django_db
def test_register_duplicate_username_is_refused(anon_client):
    factories.UserFactory(username="ZhangLi")
    before = User.objects.count()
    response = anon_client.post(REGISTER, payload(), format="json")
    assert response.status_code == 400
    assert response.data["field"] == "username"
    assert User.objects.count() == before
    assert not WorkerProfile.objects.exists()


@pytest.mark.django_db
def test_register_duplicate_id_number_is_refused(anon_client):
    first = anon_client.post(REGISTER, payload(), format="json")
    assert first.status_code == 201
    response = anon_client.post(
        REGISTER, payload(username="other", id_card_number=VALID_ID.lower()), format="json"
    )
    assert response.status_code == 400
    assert response.data["field"] == "id_card_number"
    assert not User.objects.filter(username="other").exists()
    assert WorkerProfile.objects.count() == 1


@pytest.mark.django_db
def test_registered_user_can_obtain_token_and_read_me(anon_client):
    anon_client.post(REGISTER, payload(), format="json")
    tokens = anon_client.post(
        TOKEN, {"username": "zhangli", "password": "Linqing-2026-safe"}, format="json"
    )
    assert tokens.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens.data['access']}")
    me = client.get(ME)
    assert me.status_code == 200
    assert me.data["username"] == "zhangli"
    assert me.data["profile"]["id_card_number"] == VALID_ID


@pytest.mark.django_db
def test_wrong_password_gives_401(anon_client, household):
    response = anon_client.post(
        TOKEN, {"username": household.user.username, "password": "nope"}, format="json"
    )
    assert response.status_code == 401
    assert response.data["code"]


def obtain(client, user):
    response = client.post(
        TOKEN, {"username": user.username, "password": factories.PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.data
    return response.data


@pytest.mark.django_db
def test_refresh_rotates_and_old_refresh_is_refused(anon_client, household):
    first = obtain(anon_client, household.user)
    rotated = anon_client.post(REFRESH, {"refresh": first["refresh"]}, format="json")
    assert rotated.status_code == 200
    assert rotated.data["access"]
    assert rotated.data["refresh"] != first["refresh"]

    again = anon_client.post(REFRESH, {"refresh": first["refresh"]}, format="json")
    assert again.status_code == 401
    assert again.data["code"] == "token_not_valid"

    newest = anon_client.post(REFRESH, {"refresh": rotated.data["refresh"]}, format="json")
    assert newest.status_code == 200


@pytest.mark.django_db
def test_logout_blacklists_the_refresh_token(anon_client, household):
    tokens = obtain(anon_client, household.user)
    response = anon_client.post(LOGOUT, {"refresh": tokens["refresh"]}, format="json")
    assert response.status_code == 204
    refused = anon_client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json")
    assert refused.status_code == 401
    twice = anon_client.post(LOGOUT, {"refresh": tokens["refresh"]}, format="json")
    assert twice.status_code == 400
    assert twice.data["field"] == "refresh"


@pytest.mark.django_db
def test_logout_with_garbage_token_is_400(anon_client):
    response = anon_client.post(LOGOUT, {"refresh": "not-a-token"}, format="json")
    assert response.status_code == 400
    assert response.data["field"] == "refresh"
    missing = anon_client.post(LOGOUT, {}, format="json")
    assert missing.status_code == 400
    assert missing.data["field"] == "refresh"


@pytest.mark.django_db
def test_login_is_rate_limited(anon_client, household, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"login": "3/min", "register": "1000/min"},
    }
    cache.clear()
    try:
        codes = [
            anon_client.post(
                TOKEN, {"username": household.user.username, "password": "wrong"}, format="json"
            ).status_code
            for _ in range(3)
        ]
        assert codes == [401, 401, 401]
        blocked = anon_client.post(
            TOKEN,
            {"username": household.user.username, "password": factories.PASSWORD},
            format="json",
        )
        assert blocked.status_code == 429
        assert blocked.data["code"] == "throttled"
        assert blocked.data["retry_after"] > 0
    finally:
        cache.clear()


@pytest.mark.django_db
def test_register_is_rate_limited(anon_client):
    cache.clear()
    rates = {"login": "1000/min", "register": "1/min"}
    try:
        with override_settings(REST_FRAMEWORK={"DEFAULT_THROTTLE_RATES": rates}):
            assert anon_client.post(REGISTER, payload(), format="json").status_code == 201
            second = anon_client.post(
                REGISTER, payload(username="b", id_card_number=""), format="json"
            )
            assert second.status_code == 429
            assert not User.objects.filter(username="b").exists()
    finally:
        cache.clear()
