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


@pytest.mark.xfail(reason="fails since the merge; being fixed: see the stop note", strict=False)
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
    # An operation of each app's API is drawn (tags open by default in Swagger UI).
    page.locator(".opblock").first.wait_for(state="visible")
    # Swagger UI draws the tags one after another: wait until most are there (polled from here:
    # the page's CSP forbids the eval a wait_for_function would need).
    deadline = time.monotonic() + 30
    while page.locator(".opblock").count() <= 100 and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    summaries = page.locator(".opblock-summary-path").all_inner_texts()
    assert len(summaries) > 100
    assert any(path.startswith("/api/v1/orders/") for path in summaries)
    assert any(path.startswith("/api/v1/programme/") for path in summaries)
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("家政美家")
    assert outside == [], f"the docs page reached outside: {outside}"
    assert failed == []
    assert page.evaluate("window.__cspViolations") == []
