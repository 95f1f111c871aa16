"""/api/docs/ works without internet: Swagger UI comes from our own static files
(drf-spectacular-sidecar), so Chromium with every outside address blocked still renders the
operations, under the page's Content-Security-Policy."""

import time
from urllib.parse import urlsplit

import pytest

from tests.web.conftest import browser, console_errors, live_url, phone  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.security, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def test_api_docs_render_the_operations_with_outside_network_blocked(live_url, phone):  # noqa: F811
    own_host = urlsplit(live_url).netloc
    outside, failed = [], []
    context = phone(locale="en-US")

    def only_this_server(route):
        url = route.request.url
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).netloc == own_host:
            route.continue_()
        else:
            outside.append(url)
            route.abort("internetdisconnected")

    context.route("**/*", only_this_server)
    page = context.new_page()
    page.add_init_script(LISTEN)
    page.on("requestfailed", lambda request: failed.append(request.url))
    response = page.goto(f"{live_url}/api/docs/")
    assert response.status == 200
    # Swagger UI draws only the operations near the viewport (a virtual list): scroll through as
    # a reader would and gather every operation that was drawn on the way.
    page.locator(".opblock").first.wait_for(state="visible")
    seen: set[str] = set()
    still, last_y = 0, -1
    deadline = time.monotonic() + 60
    while still < 4 and time.monotonic() < deadline:
        seen.update(page.locator(".opblock-summary").all_inner_texts())
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(120)
        y = page.evaluate("window.scrollY")
        still = still + 1 if y == last_y else 0
        last_y = y
    summaries = [
        line
        for text in seen
        for line in text.split()  # "GET\n/api/v1/…" per operation
        if line.startswith("/api/")
    ]
    assert len(seen) > 100, f"{len(seen)} operations drawn"
    assert any(path.startswith("/api/v1/orders/") for path in summaries)
    assert any(path.startswith("/api/v1/programme/") for path in summaries)
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("家政美家")
    assert outside == [], f"the docs page reached outside: {outside}"
    assert failed == []
    assert page.evaluate("window.__cspViolations") == []
