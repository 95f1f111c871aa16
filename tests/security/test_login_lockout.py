"""The sign-in lock-out (backend/login_lockout.py) on the API token endpoint and the web form:
per (username, address) pair, plus a slower per-address ceiling that a success never clears."""

import uuid

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from backend import login_lockout
from tests import factories

pytestmark = pytest.mark.security
TOKEN = "/api/v1/auth/token/"
PASSWORD = "right-horse-battery-9"


def user_named(name: str | None = None):
    user = factories.UserFactory(username=name or f"u{uuid.uuid4().hex[:10]}")
    user.set_password(PASSWORD)
    user.save()
    return user


def api_login(username, password, address="10.0.0.1"):
    return APIClient(REMOTE_ADDR=address).post(
        TOKEN, {"username": username, "password": password}, format="json"
    )


def web_login(username, password, address="10.0.0.1"):
    return Client(REMOTE_ADDR=address).post(
        "/accounts/login/", {"username": username, "password": password}
    )


def api_ok(username, password, address) -> bool:
    return api_login(username, password, address).status_code == 200


def web_ok(username, password, address) -> bool:
    response = web_login(username, password, address)
    return response.status_code == 302 and "_auth_user_id" in response.client.session


SIGN_INS = {"api": (api_login, api_ok), "web": (web_login, web_ok)}


@pytest.fixture(params=sorted(SIGN_INS))
def sign_in(request):
    return SIGN_INS[request.param]


# ---- the pair ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_five_failures_lock_the_pair_and_the_answer_says_so():
    user = user_named()
    for _ in range(5):
        assert api_login(user.username, "wrong").status_code == 401
    locked = api_login(user.username, PASSWORD)
    body = locked.json()
    assert locked.status_code == 429 and body["code"] == "locked_out" and "15" in body["detail"]
    assert int(locked["Retry-After"]) == 15 * 60 and "access" not in body
    page = web_login(user.username, PASSWORD)
    assert page.status_code == 429 and int(page["Retry-After"]) == 15 * 60
    assert "登录失败次数过多" in page.content.decode()
    english = Client(REMOTE_ADDR="10.0.0.1")
    english.cookies["django_language"] = "en"
    answer = english.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert answer.status_code == 429 and "Too many failed sign-ins" in answer.content.decode()
    assert "_auth_user_id" not in answer.client.session


@pytest.mark.django_db
def test_web_and_api_share_one_count_and_case_variants_share_it_too():
    user = user_named()
    for _ in range(3):
        web_login(user.username, "wrong")
    api_login(user.username.upper(), "wrong")
    api_login(user.username.title(), "wrong")
    assert api_login(user.username, PASSWORD).status_code == 429
    assert web_login(user.username, PASSWORD).status_code == 429


@pytest.mark.django_db
def test_a_locked_attempt_checks_no_password_and_is_not_counted(monkeypatch):
    user = user_named()
    for _ in range(5):
        api_login(user.username, "wrong")
    checked = []
    monkeypatch.setattr(
        "django.contrib.auth.backends.ModelBackend.authenticate",
        lambda *args, **kwargs: checked.append(1),
    )
    assert api_login(user.username, PASSWORD).status_code == 429
    assert checked == []
    key = login_lockout.pair_key(user.username, "10.0.0.1")
    assert cache.get(key) == 5


@pytest.mark.django_db
def test_the_lock_ends_with_its_window():
    user = user_named()
    for _ in range(5):
        api_login(user.username, "wrong")
    assert api_login(user.username, PASSWORD).status_code == 429
    cache.delete(login_lockout.pair_key(user.username, "10.0.0.1"))  # what expiry does
    assert api_login(user.username, PASSWORD).status_code == 200


# ---- keeping a victim locked out does not work ------------------------------------------------


@pytest.mark.django_db
def test_someone_elses_failures_never_lock_the_owner_out_from_her_address(sign_in):
    attempt, succeeds = sign_in
    victim = user_named()
    # Five wrong passwords every window, from several addresses, for ever.
    for address in ("10.1.0.1", "10.1.0.2", "10.1.0.3"):
        for _ in range(6):
            attempt(victim.username, "wrong", address)
    assert succeeds(victim.username, PASSWORD, "10.2.0.7")
    # Her own address is unaffected whichever door she uses.
    assert api_ok(victim.username, PASSWORD, "10.2.0.7")
    assert web_ok(victim.username, PASSWORD, "10.2.0.7")


# ---- the per-address ceiling ------------------------------------------------------------------


@pytest.mark.django_db
def test_interleaving_own_successes_does_not_buy_more_guesses(settings, sign_in):
    """The attacker signs in to her own account between guesses at others'."""
    attempt, succeeds = sign_in
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 12
    own, victim = user_named(), user_named()
    guesses, tries = 0, 0
    for _round in range(10):
        for _ in range(3):
            tries += 1
            target = victim.username if tries % 2 else f"x{tries}"
            guesses += attempt(target, "guess", "10.3.0.1").status_code != 429
        succeeds(own.username, PASSWORD, "10.3.0.1")  # used to clear the address's count
    assert guesses == 12  # the ceiling, not 30
    assert attempt(own.username, PASSWORD, "10.3.0.1").status_code == 429
    # The ceiling is the address's: the same accounts from elsewhere are fine.
    assert succeeds(own.username, PASSWORD, "10.3.0.2")
    assert succeeds(victim.username, PASSWORD, "10.3.0.2")


@pytest.mark.django_db
def test_spraying_many_usernames_hits_the_ceiling_with_its_own_cool_off(settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    settings.LOGIN_ADDRESS_WINDOW_MINUTES = 60
    victim = user_named()
    answers = [api_login(f"guess{n}", "wrong", "10.4.0.1").status_code for n in range(8)]
    assert answers == [401] * 6 + [429] * 2
    locked = api_login(victim.username, PASSWORD, "10.4.0.1")
    assert locked.status_code == 429 and int(locked["Retry-After"]) == 60 * 60
    assert "60" in locked.json()["detail"]
    assert api_ok(victim.username, PASSWORD, "10.4.0.2")


def test_defaults_are_the_documented_ones():
    from backend.settings import base

    assert (base.LOGIN_FAILURE_LIMIT, base.LOGIN_LOCKOUT_MINUTES) == (5, 15)
    assert (base.LOGIN_ADDRESS_FAILURE_LIMIT, base.LOGIN_ADDRESS_WINDOW_MINUTES) == (30, 60)
    assert base.AUTHENTICATION_BACKENDS == ["backend.login_lockout.LockoutModelBackend"]
    assert "axes" not in base.INSTALLED_APPS


@pytest.mark.django_db(transaction=True)
def test_concurrent_guesses_cannot_overrun_the_pair_limit():
    import threading

    from django.db import close_old_connections

    user = user_named()
    statuses: list[int] = []
    barrier = threading.Barrier(12)

    def guess():
        close_old_connections()
        try:
            barrier.wait(timeout=30)
            statuses.append(api_login(user.username, "wrong", "10.5.0.1").status_code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(statuses) == [401] * 5 + [429] * 7
    assert api_login(user.username, PASSWORD, "10.5.0.1").status_code == 429
    assert api_ok(user.username, PASSWORD, "10.5.0.2")
