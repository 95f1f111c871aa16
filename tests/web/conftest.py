"""Fixtures of the web tests: a session client per role, and (browser tests) the app served by
daphne in a subprocess against the test database, with Chromium driven by Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.web.accessibility import check_open_pages, watch_accessibility

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}


def session_client(user=None, language: str | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    """The URL of the test database this process uses, for the server subprocess."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = quote(db.get("USER") or "postgres")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    return (
        f"postgresql://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    )


@pytest.fixture(scope="module")
def live_url(django_db_setup, django_db_blocker):
    """http://127.0.0.1:<port> of daphne serving the site (backend.asgi, static files by WhiteNoise
    as in `make run`) against the test database."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (scripts/test.sh installs it)")
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / "daphne.log", "wb")  # noqa: SIM115 (closed at teardown)
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "backend.settings.test",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Pub/sub channels ignore the Redis database number: a prefix of its own per run.
        "CHANNEL_PREFIX": f"meijia-web-{uuid.uuid4().hex[:8]}",
    }
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "backend.asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 90  # a loaded 2-core machine starts daphne slowly
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                log.close()
                raise RuntimeError(
                    f"daphne did not start; see {ARTIFACTS / 'daphne.log'}"
                ) from None
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


@pytest.fixture(scope="module")
def browser(live_url):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread while the module's tests run;
    # the tests' own ORM calls (and pytest-django's flushes) are plain synchronous ones.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def watch_console(context, errors: list[str]) -> None:
    """Collect every console error and uncaught page error of the context's pages."""

    def attach(page) -> None:
        page.on(
            "console",
            lambda message: (
                errors.append(f"console.{message.type}: {message.text} ({page.url})")
                if message.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda error: errors.append(f"pageerror: {error} ({page.url})"))

    context.on("page", attach)


@pytest.fixture
def console_errors():
    """The console and page errors of every browser context a test opened; a browser test
    fails when any was logged (a test that expects one removes it from this list)."""
    errors: list[str] = []
    yield errors
    assert not errors, "the browser logged errors:\n" + "\n".join(errors)


@pytest.fixture
def phone(browser, console_errors):
    """A factory of fresh phone-sized browser contexts (Chinese by default), each watched for
    console errors (see console_errors) and checked with axe-core on every page load and at the
    end (tests/web/accessibility.py)."""
    contexts = []

    def open_context(locale: str = "zh-CN", viewport: dict | None = None):
        context = browser.new_context(
            viewport=viewport or PHONE, locale=locale, timezone_id="Asia/Shanghai"
        )
        context.set_default_timeout(15_000)
        watch_console(context, console_errors)
        watch_accessibility(context)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        check_open_pages(context)
        context.close()
