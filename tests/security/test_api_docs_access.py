"""Who reads /api/schema/ and /api/docs/: everyone when API_DOCS_PUBLIC is on (outside
production by default), else signed-in staff and operators only (session or token)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests import factories
from tests.conftest import client_for

pytestmark = [pytest.mark.security, pytest.mark.django_db]
ROOT = Path(__file__).resolve().parents[2]
PATHS = ["/api/schema/?format=json", "/api/docs/"]


@pytest.mark.parametrize("path", PATHS)
def test_public_when_the_setting_allows_it(settings, path, anon_client):
    settings.API_DOCS_PUBLIC = True
    assert anon_client.get(path).status_code == 200


@pytest.mark.parametrize("path", PATHS)
def test_closed_to_all_but_staff_when_it_does_not(settings, path, anon_client):
    settings.API_DOCS_PUBLIC = False
    assert anon_client.get(path).status_code == 401
    for user in (factories.HouseholdFactory().user, factories.WorkerFactory().user):
        assert client_for(user).get(path).status_code == 403
    assert client_for(factories.operator_user()).get(path).status_code == 200
    staff = factories.UserFactory(is_staff=True)
    web = Client()
    web.force_login(staff)  # the session of a signed-in operator in the browser
    assert web.get(path).status_code == 200


def test_off_by_default_in_production_and_an_operator_can_open_it():
    code = "from backend.settings import production as p; print(p.API_DOCS_PUBLIC)"
    env = {**os.environ, "SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "example.org"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("API_DOCS_PUBLIC", None)

    def value(extra: dict) -> str:
        result = subprocess.run(  # noqa: S603 - our interpreter, our code
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**env, **extra},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert value({}) == "False"
    assert value({"API_DOCS_PUBLIC": "1"}) == "True"
    from backend.settings import base

    assert base.API_DOCS_PUBLIC is True  # the embedded default keeps them open
