"""抢单大厅 on the phone: the worker's board, taking and applying; the household's
applications and instant-accept switch (session clients and Chromium)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from orders.models import Order, RequestApplication
from tests import factories
from tests.web.conftest import browser, live_url, phone, session_client  # noqa: F401
from tests.web.test_browser_flow import session_cookie, shot


def _open_request(hours: float = 48, **fields):
    starts_at = factories.future(hours)
    return factories.ServiceRequestFactory(
        starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=3), **fields
    )


@pytest.mark.django_db
def test_board_shows_no_household_or_address_and_refuses_other_roles():
    worker = factories.WorkerFactory()
    service_request = _open_request(address="临清市秘密小区9号楼")
    page = session_client(worker.user).get("/worker/open-requests/")
    assert f'data-board-request="{service_request.pk}"'.encode() in page.content
    assert "秘密小区".encode() not in page.content
    assert str(service_request.household).encode() not in page.content
    assert (
        session_client(service_request.household).get("/worker/open-requests/").status_code == 404
    )
    stranger = session_client(factories.HouseholdFactory().user)
    assert (
        stranger.post(
            f"/requests/{service_request.pk}/instant-accept/", {"allowed": "1"}
        ).status_code
        == 404
    )
    english = session_client(worker.user, language="en").get("/worker/open-requests/")
    assert b"Open requests nearby" in english.content and b"Apply" in english.content


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_worker_applies_household_picks_her_then_another_takes_at_once(live_url, phone):  # noqa: F811
    worker = factories.WorkerFactory()
    service_request = _open_request()
    worker_page = phone().new_page()
    worker_page.context.add_cookies([session_cookie(worker.user, live_url)])
    worker_page.goto(f"{live_url}/worker/offers/")
    worker_page.click("[data-open-board-link]")
    worker_page.click(f"[data-board-request='{service_request.pk}'] [data-action=apply]")
    worker_page.wait_for_selector(f"[data-board-request='{service_request.pk}'] [data-applied]")
    shot(worker_page, "open-board")

    household_page = phone().new_page()
    household_page.context.add_cookies([session_cookie(service_request.household, live_url)])
    household_page.goto(f"{live_url}/requests/{service_request.pk}/")
    application = RequestApplication.objects.get()
    household_page.click(f"[data-application='{application.pk}'] [data-action=application-accept]")
    household_page.wait_for_url("**/orders/*/")
    assert Order.objects.get().worker_id == worker.pk

    instant = _open_request(hours=72)
    household = instant.household
    page = phone().new_page()
    page.context.add_cookies([session_cookie(household, live_url)])
    page.goto(f"{live_url}/requests/{instant.pk}/")
    page.click("[data-action=instant-on]")
    page.wait_for_selector("[data-action=instant-off]")
    other = factories.WorkerFactory()
    other_page = phone("en-US").new_page()
    other_page.context.add_cookies(
        [
            session_cookie(other.user, live_url),
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_url},
        ]
    )
    other_page.goto(f"{live_url}/worker/open-requests/")
    button = f"[data-board-request='{instant.pk}'] [data-action=take]"
    assert "Take it now" in other_page.inner_text(button)
    other_page.click(button)
    other_page.wait_for_url("**/orders/*/")
    assert Order.objects.filter(request=instant, worker=other).exists()
