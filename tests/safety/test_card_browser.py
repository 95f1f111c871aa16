"""An anonymous visitor scans a worker's card: the page renders the QR and the status."""

import pytest

from marketplace.selectors.service_cards import card_token
from marketplace.services.service_cards import service_card_ensure
from tests import factories
from tests.web.conftest import browser, live_url, phone  # noqa: F401  (fixtures)
from tests.web.test_browser_flow import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_anonymous_visitor_sees_the_card_qr_and_status(live_url, phone):  # noqa: F811
    worker = factories.WorkerFactory()
    token = card_token(service_card_ensure(worker=worker))
    page = phone().new_page()
    page.goto(f"{live_url}/card/{token}/")
    assert page.get_attribute("[data-card-status]", "data-card-status") == "green"
    assert page.inner_text("[data-card-name]").strip() == worker.real_name
    assert page.locator("[data-card-qr] svg").count() == 1
    assert page.locator("[data-card-qr] svg").bounding_box()["width"] > 150
    shot(page, "service-card-public")
    page.goto(f"{live_url}/card/{token}x/")
    assert page.get_attribute("[data-card-status]", "data-card-status") == "invalid"
