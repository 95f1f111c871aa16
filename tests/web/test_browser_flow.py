"""The household + worker journey in Chromium at 360×740, two browser contexts, live socket."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from chat.models import ChatMessage
from orders.models import ContractSignature, Order, Review, ServiceRequest
from orders.statuses import ContractStatus, OrderStatus
from tests import factories
from tests.web.conftest import ARTIFACTS, SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE_BUDGET_BYTES = 300 * 1024
SHANGHAI = ZoneInfo("Asia/Shanghai")

TRANSFERRED = """() => {
  const entries = [...performance.getEntriesByType("navigation"),
                   ...performance.getEntriesByType("resource")];
  return entries.map(e => ({name: e.name, bytes: e.transferSize || e.encodedBodySize || 0}));
}"""


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", factories.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def session_cookie(user, base: str) -> dict:
    from django.test import Client

    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": base}


def wait_live(page) -> None:
    page.wait_for_selector("body.live-on")


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def dashboard_figures(page) -> dict[str, int]:
    """The dashboard's headline numbers as the page shows them."""
    page.wait_for_selector("body[data-charts-drawn='3']")
    return {
        key: int(page.inner_text(f"[data-figure={key}] strong"))
        for key in ("signed_contracts", "served_households")
    }


def local_input(moment: dt.datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%dT%H:%M")


def test_household_and_worker_through_a_whole_order(live_url, phone):
    household = factories.HouseholdFactory().user
    worker = factories.WorkerFactory()
    officer = factories.FederationOfficerFactory().user
    worker_page = phone().new_page()
    household_page = phone().new_page()

    # A federation officer notes the dashboard's numbers before the flow starts.
    federation_page = phone().new_page()
    sign_in(federation_page, live_url, officer.username)
    federation_page.wait_for_url("**/federation/")
    before = dashboard_figures(federation_page)

    # The worker waits on her offers page with the socket up.
    sign_in(worker_page, live_url, worker.user.username)
    worker_page.goto(f"{live_url}/worker/offers/")
    wait_live(worker_page)
    worker_page.evaluate("window.__sameDocument = true")
    assert worker_page.locator("[data-offer]").count() == 0
    shot(worker_page, "worker-offers-empty")

    # The household posts a one-off request starting within the check-in window.
    sign_in(household_page, live_url, household.username)
    household_page.goto(f"{live_url}/requests/new/")
    starts_at = (timezone.now() + dt.timedelta(minutes=90)).replace(second=0, microsecond=0)
    household_page.check("#id_kind input[value=one_off]")
    household_page.select_option("#id_category", "housekeeper")
    household_page.select_option("#id_division", "371581001000")
    household_page.fill("#id_address", "临清市青年路街道幸福小区3号楼2单元")
    household_page.fill("#id_starts_at", local_input(starts_at))
    household_page.fill("#id_ends_at", local_input(starts_at + dt.timedelta(hours=2)))
    household_page.fill("#id_budget", "150")
    household_page.fill("#id_description", "三室一厅日常保洁")
    shot(household_page, "household-request-new")
    household_page.click("form button[type=submit]")
    household_page.wait_for_url("**/requests/*/")
    service_request = ServiceRequest.objects.get(household=household)
    assert service_request.budget == 15000
    assert household_page.locator(f"[data-match='{worker.pk}']").count() == 1
    shot(household_page, "household-request-matches")

    # The offer appears on the worker's page without a reload, and she accepts it.
    worker_page.wait_for_selector("[data-offer]")
    assert worker_page.evaluate("window.__sameDocument") is True
    assert "¥150.00" in worker_page.inner_text("[data-offer]")
    shot(worker_page, "worker-offers-live")
    worker_page.click("[data-offer] button[data-accept]")
    worker_page.wait_for_url("**/orders/*/")
    order = Order.objects.get(request=service_request)
    assert order.worker_id == worker.pk
    assert order.status == OrderStatus.PENDING_CONTRACT

    # The household's request page learns of the order live and links to it.
    household_page.wait_for_selector("[data-order-link]")
    household_page.click("[data-order-link]")
    household_page.wait_for_url(f"**/orders/{order.pk}/")
    wait_live(household_page)

    # Both sign the contract (text and hash shown first).
    for page, name in ((household_page, "household"), (worker_page, "worker")):
        page.click("[data-contract-link]")
        page.wait_for_url(f"**/orders/{order.pk}/contract/")
        assert page.inner_text("[data-contract-hash]").strip() == order.contracts.get().text_sha256
        if name == "household":
            shot(page, "contract")
        page.click("button[data-action=sign]")
        page.wait_for_url(f"**/orders/{order.pk}/")
        wait_live(page)
    assert ContractSignature.objects.filter(contract__order=order).count() == 2
    assert order.contracts.get().status == ContractStatus.SIGNED
    household_page.wait_for_selector("[data-order-status=confirmed]")

    # Live chat both ways.
    household_page.evaluate("window.__sameDocument = true")
    worker_page.evaluate("window.__sameDocument = true")
    household_page.fill("textarea[name=body]", "您好，明天上午见！")
    household_page.click("form[data-chat-form] button")
    worker_page.wait_for_selector("#chat-log li[data-id]:has-text('您好，明天上午见！')")
    worker_page.fill("textarea[name=body]", "好的，我准时到。")
    worker_page.click("form[data-chat-form] button")
    household_page.wait_for_selector("#chat-log li[data-id]:has-text('好的，我准时到。')")
    assert household_page.evaluate("window.__sameDocument") is True
    assert worker_page.evaluate("window.__sameDocument") is True
    assert ChatMessage.objects.filter(order=order).count() == 2
    shot(worker_page, "order-chat")

    # Proof of arrival: the household reads the start code off its order page and tells the
    # worker, who types it; a wrong code first is refused and counted. Her phone reports a
    # position at the service address (geolocation granted to her context).
    household_page.wait_for_selector("[data-start-code]")
    code = household_page.get_attribute("[data-start-code]", "data-start-code")
    assert code and len(code) == 6
    shot(household_page, "household-start-code")
    worker_page.context.grant_permissions(["geolocation"])
    worker_page.context.set_geolocation(
        {"latitude": service_request.latitude, "longitude": service_request.longitude}
    )
    worker_page.fill("[data-start-code-input]", "111111" if code != "111111" else "222222")
    worker_page.click("button[data-action=check-in]")
    worker_page.wait_for_selector(".messages li.error")
    assert order.start_codes.get().failed_attempts == 1
    worker_page.fill("[data-start-code-input]", code)
    shot(worker_page, "worker-check-in-code")
    worker_page.click("button[data-action=check-in]")
    worker_page.wait_for_selector("[data-order-status=in_progress]")
    arrival = order.start_codes.get()
    assert arrival.used_at is not None and arrival.distance_m is not None
    assert arrival.distance_m <= settings.MEIJIA["CHECK_IN_MAX_DISTANCE_M"]
    household_page.wait_for_selector("[data-order-status=in_progress]")
    # Check-out opens at the booked start, not at check-in (which opens earlier).
    assert worker_page.locator("button[data-action=check-out]").count() == 0
    assert worker_page.locator("[data-check-out-from]").count() == 1
    started = timezone.now() - dt.timedelta(minutes=1)
    Order.objects.filter(pk=order.pk).update(starts_at=started)
    order.occurrences.update(starts_at=started)
    worker_page.reload()
    # Check-out; the household sees it live, then confirms.
    worker_page.click("button[data-action=check-out]")
    worker_page.wait_for_selector("[data-order-status=awaiting_confirmation]")
    household_page.wait_for_selector("button[data-action=confirm]")
    household_page.click("button[data-action=confirm]")
    household_page.wait_for_selector("[data-order-status=completed]")
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED

    # Both review; each review shows to the other once both are in.
    household_page.check("[data-review-form] input[name=rating][value='5']")
    household_page.fill("[data-review-form] textarea[name=comment]", "干净利落，很满意。")
    shot(household_page, "review")
    household_page.click("button[data-action=review]")
    household_page.wait_for_selector("[data-own-review]")
    worker_page.reload()
    worker_page.check("[data-review-form] input[name=rating][value='4']")
    worker_page.click("button[data-action=review]")
    worker_page.wait_for_selector("[data-other-review]")
    household_page.reload()
    household_page.wait_for_selector("[data-other-review]")
    assert Review.objects.filter(order=order, published_at__isnull=False).count() == 2
    shot(household_page, "order-completed")

    worker_page.goto(f"{live_url}/worker/profile/")
    shot(worker_page, "worker-profile")
    worker_page.goto(f"{live_url}/worker/schedule/")
    shot(worker_page, "worker-schedule")
    worker_page.goto(f"{live_url}/worker/profile/")
    worker_page.click("[data-statement-link]")
    worker_page.wait_for_url("**/worker/statement/")
    shot(worker_page, "worker-statement")

    # The dashboard now counts one more signed contract and one more served household.
    federation_page.reload()
    after = dashboard_figures(federation_page)
    assert after["signed_contracts"] == before["signed_contracts"] + 1
    assert after["served_households"] == before["served_households"] + 1
    assert federation_page.locator(".chart canvas").count() == 3
    assert household.username not in federation_page.content()
    shot(federation_page, "federation-dashboard")


def test_agency_console_roster_dispatch_and_statement(live_url, phone):
    """Agency staff see the roster (expiry highlighted), dispatch a worker, read the statement."""
    from marketplace.models import HealthCheck

    staff = factories.AgencyStaffFactory()
    worker = factories.WorkerFactory(real_name="李秀英")
    factories.RosterEntryFactory(agency=staff.agency, worker=worker)
    soon = timezone.localdate() + dt.timedelta(days=12)
    HealthCheck.objects.filter(worker=worker).update(valid_until=soon)
    request = factories.ServiceRequestFactory()
    page = phone().new_page()
    sign_in(page, live_url, staff.user.username)
    page.wait_for_url("**/agency/")
    shot(page, "agency-console")
    page.goto(f"{live_url}/agency/roster/")
    assert page.locator(f"[data-worker='{worker.pk}'].expiring").count() == 1
    shot(page, "agency-roster")
    page.goto(f"{live_url}/agency/workers/{worker.pk}/")
    shot(page, "agency-verification")
    page.goto(f"{live_url}/agency/dispatch/")
    form = page.locator(f"[data-open-request='{request.pk}'] form")
    form.locator("select[name=worker]").select_option(str(worker.pk))
    form.locator("button[data-action=dispatch]").click()
    page.wait_for_url("**/agency/dispatch/")
    assert request.offers.get(worker=worker).source == "dispatch"
    shot(page, "agency-dispatch")
    page.goto(f"{live_url}/agency/statement/")
    shot(page, "agency-statement")


def test_pages_are_light_on_first_load(live_url, phone):
    """Every main page, loaded with an empty cache, transfers less than ~300 KB."""
    household = factories.HouseholdFactory().user
    worker = factories.WorkerFactory()
    from tests.orders.flow_helpers import accepted_order

    order = accepted_order()
    pages = {
        None: ["/", "/accounts/login/", "/accounts/register/"],
        household: [
            "/requests/",
            "/requests/new/",
            "/orders/",
            "/favourites/",
            f"/workers/{worker.pk}/reviews/",
        ],
        worker.user: [
            "/worker/offers/",
            "/worker/schedule/",
            "/worker/profile/",
            "/worker/profile/edit/",
            "/worker/time-off/",
            "/worker/open-requests/",
        ],
        factories.operator_user(): ["/safety/review-reports/"],
        order.household: [
            f"/orders/{order.pk}/",
            f"/orders/{order.pk}/contract/",
            f"/orders/{order.pk}/cancel/",
        ],
        factories.AgencyStaffFactory().user: [
            "/agency/",
            "/agency/roster/",
            "/agency/roster/invite/",
            "/agency/dispatch/",
            "/agency/disputes/",
            "/agency/staff/",
            "/agency/statement/",
            "/agency/invoices/",
        ],
        factories.FederationOfficerFactory().user: [
            "/federation/",
            "/programme/console/",
            "/programme/console/import/",
            "/programme/console/courses/",
            "/programme/console/courses/new/",
            "/programme/console/exams/",
            "/federation/fairs/",
            "/federation/health-checks/",
            "/federation/competitions/",
        ],
        order.worker.user: [
            "/worker/statement/",
            "/worker/programme/",
            "/worker/health-checks/",
            "/worker/jobs/",
            "/settings/my-data/",
        ],
    }
    weights = {}
    for user, paths in pages.items():
        for path in paths:
            context = phone()  # a fresh context: nothing cached
            if user is not None:
                # Sign in through the API-free way a test can: the session cookie of a login.
                context.add_cookies([session_cookie(user, live_url)])
            page = context.new_page()
            page.goto(f"{live_url}{path}")
            page.wait_for_load_state("load")
            entries = page.evaluate(TRANSFERRED)
            weights[path] = sum(entry["bytes"] for entry in entries)
        if user is None:
            shot(page, "login-register")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "page-weights.json").write_text(json.dumps(weights, indent=2))
    heavy = {path: size for path, size in weights.items() if size > PAGE_BUDGET_BYTES}
    assert not heavy, heavy
    assert all(size > 1000 for size in weights.values()), weights
