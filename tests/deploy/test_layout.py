"""The deployment layout in deploy/: nginx config (upstreams, WebSocket upgrade, static files with
long cache and gzip, body limit = Django's), gunicorn settings, the trial script; `nginx -t` on
the rendered config when nginx is installed."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
TEMPLATE = (DEPLOY / "nginx.conf.template").read_text(encoding="utf-8")


def render(run_dir: Path) -> str:
    values = {
        "@RUN_DIR@": str(run_dir),
        "@STATIC_ROOT@": str(settings.STATIC_ROOT),
        "@LISTEN@": "127.0.0.1:18080",
        "@SERVER_NAME@": "127.0.0.1",
        "@WSGI_SERVERS@": "server 127.0.0.1:18001;",
        "@ASGI_SERVERS@": "server 127.0.0.1:18101; server 127.0.0.1:18102;",
    }
    text = TEMPLATE
    for key, value in values.items():
        text = text.replace(key, value)
    assert "@" not in re.sub(r"#.*", "", text), "a placeholder was left unfilled"
    return text


def location(text: str, prefix: str) -> str:
    start = text.index(f"location {prefix}")
    return text[start : text.index("}", start)]


def test_upstreams_for_gunicorn_and_daphne():
    assert "upstream meijia_wsgi" in TEMPLATE and "upstream meijia_asgi" in TEMPLATE
    assert "proxy_pass http://meijia_asgi;" in location(TEMPLATE, "/ws/")
    assert "proxy_pass http://meijia_wsgi;" in location(TEMPLATE, "/ {")


def test_websocket_upgrade_headers_on_ws():
    ws = location(TEMPLATE, "/ws/")
    assert "proxy_http_version 1.1;" in ws
    assert "proxy_set_header Upgrade $http_upgrade;" in ws
    assert "proxy_set_header Connection $connection_upgrade;" in ws
    assert re.search(r"proxy_read_timeout\s+\d+[hm];", ws)


def test_forwarded_headers_and_request_id():
    for block in (location(TEMPLATE, "/ws/"), location(TEMPLATE, "/ {")):
        assert "X-Forwarded-For $proxy_add_x_forwarded_for" in block
        assert "X-Forwarded-Proto $scheme" in block
        assert "X-Request-ID $request_id" in block


def test_static_files_from_static_root_with_long_cache_and_gzip():
    static = location(TEMPLATE, "/static/")
    assert "alias @STATIC_ROOT@/;" in static
    assert "max-age=31536000" in static and "immutable" in static
    assert re.search(r"^\s*gzip on;", TEMPLATE, re.M)
    assert "text/css" in TEMPLATE and "application/javascript" in TEMPLATE


def test_body_limit_matches_django():
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", TEMPLATE).group(1))
    assert megabytes * 1024 * 1024 == settings.MAX_UPLOAD_SIZE
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= settings.MAX_UPLOAD_SIZE


def test_metrics_not_served_through_the_proxy():
    assert "return 404;" in location(TEMPLATE, "= /metrics")


@pytest.mark.skipif(
    shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(),
    reason="nginx is not installed (deploy/trial.sh installs it)",
)
def test_nginx_accepts_the_rendered_config(tmp_path):
    config = tmp_path / "nginx.conf"
    config.write_text(render(tmp_path), encoding="utf-8")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    result = subprocess.run(  # noqa: S603
        [nginx, "-t", "-c", str(config)], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_gunicorn_settings_load_and_mark_dead_workers(monkeypatch, tmp_path):
    namespace: dict = {}
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    exec(compile((DEPLOY / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), namespace)  # noqa: S102
    assert namespace["workers"] == 3 and namespace["worker_class"] == "sync"
    assert namespace["bind"] == "127.0.0.1:8001"
    assert callable(namespace["child_exit"])


def test_trial_script_is_valid_bash_and_runs_every_process():
    script = DEPLOY / "trial.sh"
    assert subprocess.run(["bash", "-n", str(script)], timeout=10).returncode == 0  # noqa: S603,S607
    text = script.read_text()
    for piece in (
        "gunicorn",
        "daphne",
        "run_periodic --loop",
        "collectstatic",
        "nginx -c",
        "backend.settings.production",
        "PROMETHEUS_MULTIPROC_DIR",
        "stop)",
    ):
        assert piece in text, piece


def test_pinned_servers_and_libraries():
    text = (ROOT / "pyproject.toml").read_text()
    for pin in (
        "gunicorn==",
        "django-csp==",
        "prometheus-client==",
        "schemathesis==",
    ):
        assert pin in text, pin
    assert re.search(r'bench = \[\s*"locust==', text)


def test_production_uses_hashed_static_files():
    code = (
        "from backend.settings import production as p; print(p.STORAGES['staticfiles']['BACKEND'])"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"SECRET_KEY": "x" * 60, "PATH": "/usr/bin:/bin"},
    )
    assert result.stdout.strip().endswith("CompressedManifestStaticFilesStorage"), result.stderr
