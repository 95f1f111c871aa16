"""An anonymous visitor scans a worker's card: the page renders the QR and the status."""

import io

import pytest
import zxingcpp
from PIL import Image

from marketplace.selectors.service_cards import card_token
from marketplace.services.service_cards import service_card_ensure
from tests import factories
from tests.web.conftest import (  # noqa: F401  (fixtures)
    browser,
    console_errors,
    live_url,
    phone,
)
from tests.web.test_browser_flow import session_cookie, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_anonymous_visitor_sees_the_card_qr_and_status(live_url, phone, console_errors):  # noqa: F811
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
    # The forged card's page is a 404 on purpose: the browser's note of it is expected.
    console_errors[:] = [e for e in console_errors if "status of 404" not in e]


@pytest.mark.parametrize("width", [360, 1280])
def test_the_card_qr_decodes_from_a_screenshot(live_url, phone, width):  # noqa: F811
    """The QR as drawn (not as generated) scans: all three finder patterns are on screen."""
    worker = factories.WorkerFactory()
    token = card_token(service_card_ensure(worker=worker))
    for user, path in ((None, f"/card/{token}/"), (worker.user, "/worker/card/")):
        context = phone(viewport={"width": width, "height": 900})
        if user is not None:
            context.add_cookies([session_cookie(user, live_url)])
        page = context.new_page()
        page.goto(f"{live_url}{path}")
        png = page.locator("[data-card-qr]").screenshot()
        decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
        texts = [
            result.text for result in decoded if result.format == zxingcpp.BarcodeFormat.QRCode
        ]
        # The signed token carries its signing time: compare the card it names, not the stamp.
        card_part = token.split(":")[0]
        assert texts and f"/card/{card_part}:" in texts[0], (width, path, texts)
