"""Time off on the phone: the worker marks days off; the household's order page and the
agency's substitutes page flag the booked visit (session clients and Chromium)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from marketplace.models import TimeOff
from orders.services.time_off import time_off_add
from orders.statuses import OrderStatus
from tests import factories
from tests.orders.flow_helpers import local_future, order_in
from tests.web.conftest import browser, live_url, phone, session_client  # noqa: F401
from tests.web.test_browser_flow import session_cookie, shot


def _day(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.mark.django_db
def test_time_off_page_refuses_others_and_keeps_bad_input():
    worker = factories.WorkerFactory()
    for user in (factories.HouseholdFactory().user, factories.AgencyStaffFactory().user):
        assert session_client(user).get("/worker/time-off/").status_code == 404
    anonymous = session_client().get("/worker/time-off/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client = session_client(worker.user)
    response = client.post(
        "/worker/time-off/",
        {"starts_on": _day(5).isoformat(), "ends_on": _day(3).isoformat(), "reason": "<病假>"},
    )
    assert response.status_code == 200
    assert b"data-field-error" in response.content or b"errorlist" in response.content
    assert "&lt;病假&gt;".encode() in response.content
    assert not TimeOff.objects.exists()
    other = factories.WorkerFactory()
    time_off, _ = time_off_add(worker=other, starts_on=_day(3), ends_on=_day(3))
    withdrawn = client.post(f"/worker/time-off/{time_off.pk}/withdraw/")
    assert withdrawn.status_code == 404
    assert TimeOff.objects.filter(pk=time_off.pk).exists()


@pytest.mark.django_db
def test_pages_in_english():
    agency = factories.AgencyFactory()
    staff = factories.AgencyStaffFactory(agency=agency)
    order = order_in(OrderStatus.CONFIRMED, agency=agency, starts_at=local_future(days=4, hour=9))
    time_off_add(worker=order.worker, starts_on=_day(4), ends_on=_day(4))
    page = session_client(order.worker.user, language="en").get("/worker/time-off/")
    assert b"Time off" in page.content
    household = session_client(order.household, language="en").get(f"/orders/{order.pk}/")
    assert b"Substitute needed" in household.content
    console = session_client(staff.user, language="en").get("/agency/substitutes/")
    assert b"data-substitute-visit" in console.content
    assert order.request.address.encode() not in console.content


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_worker_takes_time_off_and_household_and_agency_see_the_flag(live_url, phone):  # noqa: F811
    agency = factories.AgencyFactory()
    staff = factories.AgencyStaffFactory(agency=agency)
    order = order_in(OrderStatus.CONFIRMED, agency=agency, starts_at=local_future(days=4, hour=9))
    visit = order.occurrences.get()

    worker_page = phone().new_page()
    worker_page.context.add_cookies([session_cookie(order.worker.user, live_url)])
    worker_page.goto(f"{live_url}/worker/schedule/")
    worker_page.click("[data-time-off-link]")
    worker_page.fill("#id_starts_on", _day(3).isoformat())
    worker_page.fill("#id_ends_on", _day(5).isoformat())
    worker_page.fill("#id_reason", "回家过年")
    worker_page.click("[data-action=time-off-add]")
    worker_page.wait_for_selector("[data-time-off]")
    assert "回家过年" in worker_page.inner_text("[data-time-off]")
    shot(worker_page, "time-off")
    worker_page.goto(f"{live_url}/worker/schedule/")
    worker_page.wait_for_selector("[data-visit-on-leave]")

    household_page = phone().new_page()
    household_page.context.add_cookies([session_cookie(order.household, live_url)])
    household_page.goto(f"{live_url}/orders/{order.pk}/")
    household_page.wait_for_selector(f"[data-visit-needs-substitute='{visit.pk}']")
    shot(household_page, "order-needs-substitute")

    agency_page = phone().new_page()
    agency_page.context.add_cookies([session_cookie(staff.user, live_url)])
    agency_page.goto(f"{live_url}/agency/")
    agency_page.click("[data-nav-substitutes]")
    agency_page.wait_for_selector(f"[data-substitute-visit='{visit.pk}']")

    english = phone("en-US").new_page()
    english.context.add_cookies(
        [
            session_cookie(order.worker.user, live_url),
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_url},
        ]
    )
    english.goto(f"{live_url}/worker/time-off/")
    assert "Withdraw" in english.inner_text("[data-action=time-off-withdraw]")
    english.click("[data-action=time-off-withdraw]")
    english.wait_for_selector("[data-no-time-off]")
    assert not TimeOff.objects.exists()
