"""The polling fallback is live.js's: while the socket is down the order page refreshes its
panel on a timer; while it is up nothing polls. The harness fails the test on any console
error (htmx's evalDisallowedError included)."""

from __future__ import annotations

import pytest

from orders.services.contracts import contract_draft, contract_sign
from tests import factories
from tests.web.test_browser_flow import session_cookie, wait_live

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAST_POLL = "window.meijiaPollMs = 400;"
NO_SOCKET = """
window.WebSocket = function () {
  var socket = this;
  setTimeout(function () { if (socket.onclose) socket.onclose({ code: 1006 }); }, 20);
};
window.WebSocket.prototype.send = function () {};
window.WebSocket.prototype.close = function () {};
"""


def pending_order():
    order = factories.OrderFactory()
    contract_draft(order=order)
    return order


def panel_requests(page, order) -> list[str]:
    seen: list[str] = []
    page.on(
        "request",
        lambda request: (
            seen.append(request.url)
            if request.headers.get("hx-request") and f"/orders/{order.pk}/" in request.url
            else None
        ),
    )
    return seen


def test_without_a_socket_the_order_panel_polls(live_url, phone):
    order = pending_order()
    context = phone()
    context.add_init_script(FAST_POLL + NO_SOCKET)
    context.add_cookies([session_cookie(order.household, live_url)])
    page = context.new_page()
    seen = panel_requests(page, order)
    page.goto(f"{live_url}/orders/{order.pk}/")
    assert page.locator("body.live-on").count() == 0
    assert page.get_attribute("[data-next-step]", "data-waiting-for") == "household"
    contract_sign(
        order_id=order.pk, user=order.household, ip_address=None, user_agent="", text_sha256=None
    )
    # The next poll shows that the household has signed and the worker is awaited.
    page.wait_for_selector("[data-next-step][data-waiting-for='worker']")
    assert len(seen) >= 1


def test_with_the_socket_up_nothing_polls(live_url, phone):
    order = pending_order()
    context = phone()
    context.add_init_script(FAST_POLL)
    context.add_cookies([session_cookie(order.household, live_url)])
    page = context.new_page()
    page.goto(f"{live_url}/orders/{order.pk}/")
    wait_live(page)
    page.wait_for_timeout(500)  # the one catch-up refresh after connecting
    seen = panel_requests(page, order)
    page.wait_for_timeout(2500)  # six poll periods
    assert seen == []
