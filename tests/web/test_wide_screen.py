"""At 1280 px the agency console and the federation dashboard use the screen: the page is wider
than the phone column, every sub-navigation tab is on screen (wrapping, not scrolled away), and
no table hides a column behind a scroll bar. Screenshots are kept in artifacts/screenshots/."""

import pytest

from tests import factories
from tests.orders.flow_helpers import order_in
from tests.web.conftest import SCREENSHOTS, browser, console_errors, live_url, phone  # noqa: F401
from tests.web.test_browser_flow import session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1280, "height": 800}


def _open(phone, live_url, user, path):  # noqa: F811
    context = phone(viewport=WIDE)
    context.add_cookies([session_cookie(user, live_url)])
    page = context.new_page()
    page.goto(f"{live_url}{path}")
    return page


def test_the_console_and_dashboard_use_a_wide_screen(live_url, phone):  # noqa: F811
    order = order_in("completed", agency=factories.AgencyFactory())
    staff = factories.AgencyStaffFactory(agency=order.agency).user
    officer = factories.FederationOfficerFactory().user
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for user, path, name in (
        (staff, "/agency/", "agency-home"),
        (staff, "/agency/orders/", "agency-orders"),
        (officer, "/federation/", "federation-dashboard"),
    ):
        page = _open(phone, live_url, user, path)
        page.screenshot(path=str(SCREENSHOTS / f"wide-{name}.png"), full_page=True)
        assert page.locator("main").bounding_box()["width"] > 1000, path
        for link in page.locator(".subnav a, .chips a").all():
            box = link.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= WIDE["width"], path
        for table in page.locator(".table-wrap").all():
            scroll, client = table.evaluate("(e) => [e.scrollWidth, e.clientWidth]")
            assert scroll <= client, f"{path}: a table is cut ({scroll} > {client})"


def test_phone_pages_keep_their_reading_column(live_url, phone):  # noqa: F811
    household = factories.HouseholdFactory().user
    page = _open(phone, live_url, household, "/requests/")
    assert page.locator("main").bounding_box()["width"] <= 640
