"""The published OpenAPI schema is pinned in docs/openapi.yaml: a change to the API contract
shows up as a diff of that file in review, never by accident (a refactor of authentication,
pagination or rendering must leave it byte for byte the same)."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.utils import translation

PINNED = Path(__file__).resolve().parents[1] / "docs" / "openapi.yaml"


def test_the_schema_is_the_pinned_one(tmp_path):
    generated = tmp_path / "openapi.yaml"
    # In the default language, as `manage.py spectacular` pins it: an earlier test's request
    # with Accept-Language: en leaves English active in this thread (tests/test_error_language).
    with translation.override(settings.LANGUAGE_CODE):
        call_command("spectacular", "--file", str(generated))
    assert generated.read_text() == PINNED.read_text(), (
        "The OpenAPI schema changed. If that is intended, pin it again: "
        ".venv/bin/python manage.py spectacular --file docs/openapi.yaml"
    )
