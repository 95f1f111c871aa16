"""Production settings: refuse without a real SECRET_KEY, pass Django's deployment checks."""

import json
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "DEBUG"}
    }
    environment.update(env)
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def random_key(length: int = 64) -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(length))


def test_production_passes_every_deploy_check():
    """The full `check --deploy` (security and drf-spectacular's schema checks), not a subset."""
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="backend.settings.production",
        SECRET_KEY=random_key(),
        ALLOWED_HOSTS="example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert "WARNINGS" not in result.stderr


@pytest.mark.parametrize(
    "secret",
    [None, "django-insecure-meijia-development-only-key-do-not-deploy", "short-key"],
    ids=["missing", "development key", "too short"],
)
def test_production_refuses_without_a_real_secret_key(secret):
    env = {"DJANGO_SETTINGS_MODULE": "backend.settings.production", "ALLOWED_HOSTS": "example.org"}
    if secret is not None:
        env["SECRET_KEY"] = secret
    result = manage("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_is_secure_by_default():
    code = (
        "import json; from backend.settings import production as p; print(json.dumps("
        "[p.DEBUG, p.IS_PRODUCTION, p.ALLOWED_HOSTS, p.SESSION_COOKIE_SECURE, "
        "p.CSRF_COOKIE_SECURE, p.SECURE_HSTS_SECONDS, p.SECURE_SSL_REDIRECT]))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **os.environ,
            "SECRET_KEY": random_key(),
            "ALLOWED_HOSTS": "example.org,a.example.org",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    debug, production, hosts, session_secure, csrf_secure, hsts, redirect = json.loads(
        result.stdout
    )
    assert (debug, production, hosts) == (False, True, ["example.org", "a.example.org"])
    assert session_secure and csrf_secure and redirect
    assert hsts >= 31536000


def test_embedded_default_needs_no_services():
    from django.conf import settings

    assert settings.IS_PRODUCTION is False
    if not os.environ.get("REDIS_URL"):
        assert settings.CHANNEL_LAYERS["default"]["BACKEND"].endswith("InMemoryChannelLayer")
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"


@pytest.mark.django_db
def test_openapi_schema_and_docs_are_served(anon_client):
    schema = anon_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in [
        "/api/v1/auth/register/",
        "/api/v1/auth/token/",
        "/api/v1/auth/token/refresh/",
        "/api/v1/auth/logout/",
        "/api/v1/me/",
        "/api/v1/categories/",
        "/api/v1/divisions/",
        "/api/v1/workers/me/",
        "/api/v1/workers/{worker_id}/",
    ]:
        assert path in paths
    docs = anon_client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()


def test_whole_api_schema_generates_without_warnings(tmp_path):
    """drf-spectacular documents every view of every app (request and response bodies) without
    a warning or error, and the schema validates against the OpenAPI specification."""
    from django.core.management import call_command
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    try:
        with GENERATOR_STATS.silence():
            SchemaGenerator().get_schema(request=None, public=True)
        problems = sorted({*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache})
    finally:
        GENERATOR_STATS.reset()
    assert problems == []  # each names the view that needs a serializer or @extend_schema

    target = tmp_path / "schema.yml"
    try:
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    finally:
        GENERATOR_STATS.reset()
    text = target.read_text(encoding="utf-8")
    for path in [
        "/api/v1/orders/{order_id}/messages/",
        "/api/v1/notifications/",
        "/api/v1/orders/",
    ]:
        assert f"{path}:" in text


@pytest.mark.django_db
def test_schema_documents_the_real_bodies(anon_client):
    """Views that used to be skipped now name their request and response serializers."""
    schema = anon_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths, components = schema["paths"], schema["components"]["schemas"]

    def response_ref(path, method, code="200"):
        content = paths[path][method]["responses"][code]["content"]["application/json"]
        return content["schema"]

    assert response_ref("/api/v1/orders/{order_id}/messages/", "get")["$ref"].endswith(
        "/MessageHistoryOutput"
    )
    send = paths["/api/v1/orders/{order_id}/messages/"]["post"]
    assert send["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/MessageCreateInputRequest"  # COMPONENT_SPLIT_REQUEST
    )
    assert response_ref("/api/v1/orders/{order_id}/messages/", "post", "201")["$ref"].endswith(
        "/ChatMessageOutput"
    )
    assert response_ref("/api/v1/chats/unread/", "get")["$ref"].endswith("/ChatUnreadOutput")
    inbox = response_ref("/api/v1/notifications/", "get")["$ref"].rsplit("/", 1)[-1]
    assert set(components[inbox]["properties"]) >= {"count", "next", "previous", "results"}
    assert set(components["ChatMessageOutput"]["properties"]) == {
        "type",
        "order",
        "id",
        "sender",
        "sender_name",
        "body",
        "created_at",
        "client_id",
    }
    orders = response_ref("/api/v1/orders/", "get")["$ref"].rsplit("/", 1)[-1]
    assert "results" in components[orders]["properties"]
