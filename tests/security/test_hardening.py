"""Login lock-out (API token endpoint and web sign-in), API throttles per user and per address,
upload limits with the JSON error format, security headers and the Content-Security-Policy."""

import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from rest_framework.test import APIClient

from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.security
ROOT = Path(__file__).resolve().parents[2]
TOKEN = "/api/v1/auth/token/"
PASSWORD = "right-horse-battery-9"


def python(code: str, env: dict) -> str:
    result = subprocess.run(  # noqa: S603 - our interpreter, our code
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


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


# ---- lock-out -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_locks_a_username_after_five_failures_even_with_the_right_password():
    user = user_named()
    for attempt in range(5):
        response = api_login(user.username, "wrong", address=f"10.0.1.{attempt}")
        assert response.status_code in (401, 429)
    locked = api_login(user.username, PASSWORD, address="10.0.2.1")
    assert locked.status_code == 429
    body = locked.json()
    assert body["code"] == "locked_out" and "15" in body["detail"]
    assert int(locked["Retry-After"]) == 15 * 60
    assert "access" not in body


@pytest.mark.django_db
def test_api_four_failures_then_success_resets_the_count():
    """(Each try from its own address: the per-address count is not what this is about.)"""
    user = user_named()
    for number in range(4):
        assert api_login(user.username, "wrong", f"10.0.4.{number}").status_code == 401
    assert api_login(user.username, PASSWORD, "10.0.4.10").status_code == 200
    for number in range(4):
        assert api_login(user.username, "wrong", f"10.0.5.{number}").status_code == 401
    assert api_login(user.username, PASSWORD, "10.0.5.10").status_code == 200


@pytest.mark.django_db
def test_api_locks_an_address_that_tries_many_usernames():
    victim = user_named()
    for number in range(5):
        api_login(f"guess{number}", "wrong", address="10.0.3.3")
    assert api_login(victim.username, PASSWORD, address="10.0.3.3").status_code == 429
    # The same account from another address is not locked by that address.
    assert api_login(victim.username, PASSWORD, address="10.0.3.4").status_code == 200


@pytest.mark.django_db
def test_lockout_ends_after_the_cool_off(settings):
    user = user_named()
    for _ in range(5):
        api_login(user.username, "wrong")
    assert api_login(user.username, PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.first().attempt_time.replace(year=2000)
    )
    assert api_login(user.username, PASSWORD).status_code == 200


@pytest.mark.django_db
def test_web_sign_in_locks_after_five_failures_and_says_why():
    user = user_named()
    for _ in range(5):
        assert web_login(user.username, "wrong").status_code in (200, 429)
    response = web_login(user.username, PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "登录失败次数过多" in html and "_auth_user_id" not in response.client.session
    english = Client(REMOTE_ADDR="10.0.0.1")
    english.cookies["django_language"] = "en"
    answer = english.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert answer.status_code == 429 and "Too many failed sign-ins" in answer.content.decode()


@pytest.mark.django_db
def test_web_and_api_share_one_count():
    user = user_named()
    for _ in range(3):
        web_login(user.username, "wrong")
    for _ in range(2):
        api_login(user.username, "wrong")
    assert api_login(user.username, PASSWORD).status_code == 429
    assert web_login(user.username, PASSWORD).status_code == 429


# ---- throttling -----------------------------------------------------------------------------


def rates(user: str, anon: str) -> dict:
    from django.conf import settings

    return {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "user": user,
            "anon": anon,
        },
    }


@pytest.mark.django_db
def test_signed_in_callers_are_throttled_per_user():
    first, second = factories.HouseholdFactory().user, factories.HouseholdFactory().user
    with override_settings(REST_FRAMEWORK=rates(user="3/min", anon="1000/min")):
        answers = [client_for(first).get("/api/v1/me/").status_code for _ in range(4)]
        other = client_for(second).get("/api/v1/me/").status_code
        throttled = client_for(first).get("/api/v1/me/")
    assert answers == [200, 200, 200, 429]
    assert other == 200  # per user, not global
    assert throttled.json()["code"] == "throttled" and throttled.json()["retry_after"] > 0
    assert "Retry-After" in throttled


@pytest.mark.django_db
def test_anonymous_callers_are_throttled_per_address():
    with override_settings(REST_FRAMEWORK=rates(user="1000/min", anon="2/min")):
        here = APIClient(REMOTE_ADDR="10.9.0.1")
        answers = [here.get("/api/v1/categories/").status_code for _ in range(3)]
        elsewhere = APIClient(REMOTE_ADDR="10.9.0.2").get("/api/v1/categories/").status_code
    assert answers == [200, 200, 429]
    assert elsewhere == 200


def test_production_rates_are_generous_and_overridable():
    code = (
        "import json; from backend.settings import production as p;"
        "print(json.dumps([p.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'],"
        " p.REST_FRAMEWORK['DEFAULT_THROTTLE_CLASSES']]))"
    )
    env = {**os.environ, "SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "example.org"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    rates_, classes = json.loads(python(code, env))
    assert rates_["user"] == "600/min" and rates_["anon"] == "120/min"
    assert classes == ["backend.security.UserThrottle", "backend.security.AnonThrottle"]
    env["USER_THROTTLE_RATE"] = "50/sec"
    assert json.loads(python(code, env))[0]["user"] == "50/sec"


# ---- upload limits --------------------------------------------------------------------------


@pytest.mark.django_db
def test_oversized_json_body_gets_413_in_the_json_error_format(household_client):
    from django.conf import settings

    padding = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = household_client.post("/api/v1/requests/", {"description": padding}, format="json")
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "request_too_large" and body["detail"]


@pytest.mark.django_db
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000, MAX_UPLOAD_SIZE=5000)
def test_limits_apply_to_forms_and_to_multipart_uploads(household_client):
    small = household_client.post("/api/v1/requests/", {"description": "x" * 500}, format="json")
    assert small.status_code == 400  # validation, not size
    large_form = Client().post(
        "/accounts/login/",
        "username=" + "a" * 2000,
        content_type="application/x-www-form-urlencoded",
    )
    assert large_form.status_code == 413
    upload = household_client.post(
        "/api/v1/requests/",
        {"file": SimpleUploadedFile("big.csv", b"x" * 6000)},
        format="multipart",
    )
    assert upload.status_code == 413
    fields_too_big = household_client.post(
        "/api/v1/requests/", {"note": "x" * 3000}, format="multipart"
    )
    assert fields_too_big.status_code == 413  # form fields count against the 1000 bytes
    assert fields_too_big.json()["code"] == "request_too_large"
    within = household_client.post(
        "/api/v1/requests/",
        {"file": SimpleUploadedFile("ok.csv", b"x" * 3000)},
        format="multipart",
    )
    assert within.status_code == 400  # a file within MAX_UPLOAD_SIZE: only the body is wrong


@pytest.mark.django_db
def test_too_many_form_fields_is_refused(household_client):
    from django.conf import settings

    fields = "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = household_client.post(
        "/api/v1/requests/", fields, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert response.json()["code"]


# ---- headers and CSP ------------------------------------------------------------------------


@pytest.mark.django_db
def test_security_headers_and_csp_on_pages_and_api(client):
    for path in ("/accounts/login/", "/api/v1/categories/", "/healthz"):
        response = client.get(path)
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]
        policy = dict(
            (part.split()[0], part.split()[1:])
            for part in response["Content-Security-Policy"].split("; ")
        )
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert policy["img-src"] == ["'self'", "data:"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["connect-src"] == ["'self'", "ws://testserver", "wss://testserver"]
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_stripe_script_is_allowed_only_when_stripe_is_enabled():
    code = (
        "from backend.settings import base;"
        "print(base.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'])"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRIPE_")}
    off = python(code, env)
    env.update(STRIPE_SECRET_KEY="sk_test_x", STRIPE_WEBHOOK_SECRET="whsec_x")
    on = python(code, env)
    assert "js.stripe.com" not in off and "'self'" in off
    assert "https://js.stripe.com" in on


@pytest.mark.django_db
def test_api_docs_load_swagger_from_our_own_static_files(client):
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    policy = docs["Content-Security-Policy"]
    assert "cdn.jsdelivr.net" not in policy and "https:" not in policy
    assert "unsafe-inline" not in policy
    page = docs.content.decode()
    assert "cdn.jsdelivr.net" not in page
    bundle = "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"
    assert f"{settings.STATIC_URL}{bundle}" in page


INLINE = [
    (
        re.compile(
            r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I
        ),
        "inline <script>",
    ),
    (re.compile(r"<style\b", re.I), "<style> block"),
    (re.compile(r"\sstyle=[\"']", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+=[\"']", re.I), "inline event handler"),
    (re.compile(r"\shx-on[:-]", re.I), "hx-on handler (needs eval)"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_needs_unsafe_inline():
    """Every template of the project (new pages included) keeps scripts and styles in static
    files, which the policy allows; the browser test below proves it page by page."""
    found = []
    for folder in (
        "web/templates",
        "templates",
        "orders/templates",
        "marketplace/templates",
        "notifications/templates",
        "programme/templates",
        "metrics/templates",
    ):
        for template in sorted((ROOT / folder).rglob("*.html")) if (ROOT / folder).exists() else []:
            text = template.read_text(encoding="utf-8")
            for pattern, what in INLINE:
                for match in pattern.finditer(text):
                    line = text[: match.start()].count("\n") + 1
                    found.append(f"{template.relative_to(ROOT)}:{line}: {what}")
    assert found == []
