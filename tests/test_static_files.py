"""Static files as `make run` and a container without nginx serve them: collectstatic writes
hashed names with a gzip twin (WhiteNoise's storage), and the app sends the compressed file with a
year's cache; a page's assets are small enough that a first load stays light."""

import gzip

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

SERVED = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture
def collected(tmp_path):
    with override_settings(
        STATIC_ROOT=tmp_path,
        STORAGES=SERVED,
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    ):
        call_command("collectstatic", "--noinput", "-v", "0")
        yield tmp_path


def test_hashed_assets_are_sent_compressed_with_a_long_cache(collected):
    url = static("web/htmx.min.js")
    assert url.startswith("/static/web/htmx.min.") and url != "/static/web/htmx.min.js"
    response = Client().get(url, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert response["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in response["Cache-Control"]
    plain = (collected / url.removeprefix("/static/")).read_bytes()
    assert gzip.decompress(body) == plain
    assert len(body) < len(plain) / 2  # htmx: 52 KB down to about 17 KB


def test_a_page_links_its_assets_by_hashed_name(collected):
    html = Client().get("/accounts/login/").content.decode()
    css = static("web/app.css")
    assert f'href="{css}"' in html and css != "/static/web/app.css"
    assert Client().get(css, headers={"accept-encoding": "gzip"})["Content-Encoding"] == "gzip"


def test_make_run_serves_hashed_names_with_debug_on(collected):
    """Django's manifest storage gives unhashed names in DEBUG; `make run` (DEBUG on) keeps the
    hashed ones, so its pages load as production's do."""
    local = {
        **SERVED,
        "staticfiles": {"BACKEND": "backend.static_files.ServedAsInProductionStorage"},
    }
    with override_settings(DEBUG=True, STORAGES=SERVED):
        assert static("web/app.css") == "/static/web/app.css"
    with override_settings(DEBUG=True, STORAGES=local):
        assert static("web/app.css").startswith("/static/web/app.")
        assert static("web/app.css") != "/static/web/app.css"
