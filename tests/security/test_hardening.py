"""API throttles per user and per address (the sign-in lock-out: test_login_lockout.py),
upload limits with the JSON error format, security headers and the Content-Security-Policy."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
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
