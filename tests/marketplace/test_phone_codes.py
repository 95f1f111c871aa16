"""Phones in E.164 and unique; verification and password reset by SMS code through the real
delivery pipeline (fake Aliyun on loopback); handed-over reset links per role."""

from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from marketplace.models import ResetLink, User
from marketplace.phones import phone_normalize
from notifications.models import Notification
from orders.services.periodic import run_due_work
from tests import factories
from tests.conftest import client_for
from tests.notifications.reach_fixtures import fake_sms  # noqa: F401

pytestmark = pytest.mark.django_db
REGISTER = {
    "username": "xiuying",
    "password": "Str0ng-pass-123",
    "role": "worker",
    "display_name": "李秀英",
    "phone": "135 1234 5678",
}


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("13512345678", "+8613512345678"),
        ("+86 135-1234-5678", "+8613512345678"),
        ("008613512345678", "+8613512345678"),
    ],
)
def test_mainland_mobile_numbers_normalise_to_e164(raw, normal):
    assert phone_normalize(raw) == normal


@pytest.mark.parametrize("raw", ["12345678901", "0635-2345678", "+12025550123", "abc", ""])
def test_anything_else_is_refused(raw):
    with pytest.raises(ValidationError):
        phone_normalize(raw)


def _last_code(fake) -> str:
    return fake.messages[-1]["params"]["code"]


def test_register_sends_a_code_and_the_code_verifies_the_phone(anon_client, fake_sms):  # noqa: F811
    response = anon_client.post("/api/v1/auth/register/", REGISTER, format="json")
    assert response.status_code == 201, response.content
    user = User.objects.get(username="xiuying")
    assert (user.phone, user.phone_verified_at, user.worker.phone) == (
        "+8613512345678",
        None,
        "+8613512345678",
    )
    run_due_work(now=timezone.now())
    assert fake_sms.messages[-1]["template"] == "SMS_000000001"
    assert fake_sms.messages[-1]["phone"] == "13512345678"
    code = _last_code(fake_sms)
    # the code is not left readable in the inbox once sent
    assert "sealed" not in Notification.objects.get(user=user, type="account.code").payload

    client = client_for(user)
    wrong = client.post(
        "/api/v1/auth/phone/verify/",
        {"code": "000000" if code != "000000" else "111111"},
        format="json",
    )
    assert (wrong.status_code, wrong.json()["code"], wrong.json()["field"]) == (
        400,
        "invalid_code",
        "code",
    )
    right = client.post("/api/v1/auth/phone/verify/", {"code": code}, format="json")
    assert right.status_code == 200, right.content
    user.refresh_from_db()
    assert user.phone_verified_at is not None
    again = client.post("/api/v1/auth/phone/verify/", {"code": code}, format="json")
    assert again.status_code == 400  # one time only


def test_a_phone_belongs_to_one_account(anon_client):
    factories.UserFactory(phone="+8613512345678")
    response = anon_client.post("/api/v1/auth/register/", REGISTER, format="json")
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("unique", "phone")
    assert not User.objects.filter(username="xiuying").exists()


def test_password_reset_by_code_and_the_answer_never_tells(anon_client, fake_sms):  # noqa: F811
    user = factories.UserFactory(phone="+8613512345678")
    known = anon_client.post(
        "/api/v1/auth/password-reset/", {"phone": "13512345678"}, format="json"
    )
    unknown = anon_client.post(
        "/api/v1/auth/password-reset/", {"phone": "13612345678"}, format="json"
    )
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    run_due_work(now=timezone.now())
    assert [m["phone"] for m in fake_sms.messages] == ["13512345678"]
    code = _last_code(fake_sms)
    done = anon_client.post(
        "/api/v1/auth/password-reset/confirm/",
        {"phone": "13512345678", "code": code, "password": "New-Str0ng-pass-9"},
        format="json",
    )
    assert done.status_code == 204, done.content
    login = anon_client.post(
        "/api/v1/auth/token/",
        {"username": user.username, "password": "New-Str0ng-pass-9"},
        format="json",
    )
    assert login.status_code == 200
    user.refresh_from_db()
    assert user.phone_verified_at is not None  # the code proved she holds the phone


def test_codes_are_throttled_per_phone(anon_client, fake_sms):  # noqa: F811
    factories.UserFactory(phone="+8613512345678")
    first = anon_client.post(
        "/api/v1/auth/password-reset/", {"phone": "13512345678"}, format="json"
    )
    second = anon_client.post(
        "/api/v1/auth/password-reset/", {"phone": "13512345678"}, format="json"
    )
    assert (first.status_code, second.status_code) == (202, 429)
    assert second.json()["code"] == "throttled"


def test_reset_link_permissions_and_one_use(anon_client, agency_staff, household):
    worker = factories.WorkerFactory()
    url = f"/api/v1/users/{worker.user_id}/reset-link/"
    assert anon_client.post(url).status_code == 401
    assert client_for(household.user).post(url).status_code == 404
    assert client_for(agency_staff.user).post(url).status_code == 404  # not on her roster
    assert not ResetLink.objects.exists()
    officer = factories.FederationOfficerFactory()
    made = client_for(officer.user).post(url)
    assert made.status_code == 201
    token = made.json()["url"].rstrip("/").rsplit("/", 1)[-1]
    link = ResetLink.objects.get()
    assert link.created_by == officer.user
    body = {"token": token, "password": "New-Str0ng-pass-9"}
    assert (
        anon_client.post("/api/v1/auth/password-reset/link/", body, format="json").status_code
        == 204
    )
    assert (
        anon_client.post("/api/v1/auth/password-reset/link/", body, format="json").status_code
        == 400
    )


def test_the_admin_and_model_forms_normalise_what_is_typed():
    assert User._meta.get_field("phone").clean("135 1234 5678", None) == "+8613512345678"
    with pytest.raises(ValidationError):
        User._meta.get_field("phone").clean("12345", None)


def test_the_migration_normalises_and_the_oldest_account_keeps_a_shared_number():
    migration = import_module("marketplace.migrations.0006_phone_e164_unique")
    older = factories.UserFactory()
    newer = factories.UserFactory()
    odd = factories.UserFactory()
    with connection.cursor() as cursor:  # as the old code stored them, past the field's normalising
        for user, phone in [
            (older, "13512345678"),
            (newer, "135-1234-5678"),
            (odd, "0635-2345678"),
        ]:
            cursor.execute("UPDATE marketplace_user SET phone = %s WHERE id = %s", [phone, user.pk])
    migration.phones_to_e164(apps, None)
    rows = User.objects.filter(pk__in=[older.pk, newer.pk, odd.pk])
    phones = dict(rows.values_list("pk", "phone"))
    assert phones == {older.pk: "+8613512345678", newer.pk: "", odd.pk: ""}


def test_a_changed_number_is_unverified_until_its_code_and_must_be_free():
    worker = factories.WorkerFactory()
    User.objects.filter(pk=worker.user_id).update(phone_verified_at=timezone.now())
    taken = factories.WorkerFactory()
    client = client_for(worker.user)
    refused = client.patch("/api/v1/workers/me/", {"phone": taken.phone}, format="json")
    assert (refused.status_code, refused.json()["field"]) == (400, "phone")
    changed = client.patch("/api/v1/workers/me/", {"phone": "139 0000 1111"}, format="json")
    assert changed.status_code == 200, changed.content
    worker.refresh_from_db()
    worker.user.refresh_from_db()
    assert worker.phone == worker.user.phone == "+8613900001111"
    assert worker.user.phone_verified_at is None
    code = Notification.objects.get(user=worker.user, type="account.code")
    assert code.payload["phone"] == "+8613900001111"
    assert code.deliveries.get().channel == "sms"
