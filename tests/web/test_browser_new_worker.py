"""A first-time worker at 360×740: her home is the checklist until she can be matched, then
the offers page; an offer that arrives over the socket while she is elsewhere is a sticky card
with a countdown, a badge on the 派单 tab and in the title, and (if she turned it on) is read
aloud in Chinese."""

from __future__ import annotations

import pytest
from django.utils import timezone

from marketplace.models import Category
from tests import factories
from tests.web.test_browser_flow import session_cookie, shot, wait_live

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Records what the page asks the browser to read aloud (headless Chromium has no voices).
SPEECH_STUB = """
window.__spoken = [];
Object.defineProperty(window, "speechSynthesis", { configurable: true, value: {
  speak: function (u) { window.__spoken.push({text: u.text, lang: u.lang}); },
  cancel: function () {}
} });
"""


def test_new_worker_goes_from_checklist_to_a_live_offer(live_url, phone):
    worker = factories.WorkerFactory(
        credentials=False, trades=["housekeeper"], is_verified=False, verified_at=None
    )
    context = phone()
    context.add_init_script(SPEECH_STUB)
    context.add_cookies([session_cookie(worker.user, live_url)])
    page = context.new_page()
    page.goto(f"{live_url}/worker/offers/")
    assert page.locator("[data-step][data-done='0']").count() == 4
    assert "实名认证" in page.inner_text("[data-step=identity]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "worker-checklist-new")

    # The agency and the federation record what she did; her home becomes the offers page.
    worker.is_verified = True
    worker.verified_at = timezone.now()
    worker.save(update_fields=["is_verified", "verified_at"])
    factories.TrainingRecordFactory(worker=worker)
    factories.HealthCheckFactory(worker=worker)
    factories.CertificateFactory(worker=worker, category=Category.objects.get(code="housekeeper"))
    page.reload()
    page.wait_for_selector("[data-no-offers]")
    page.click("[data-speak-toggle]")
    assert page.get_attribute("[data-speak-toggle]", "aria-pressed") == "true"

    # She looks at her schedule; an offer arrives over the socket.
    page.goto(f"{live_url}/worker/schedule/")
    wait_live(page)
    assert page.locator("[data-offer-badge]").is_hidden()
    # Her agency dispatches her from its console (the push leaves the server's process).
    staff = factories.AgencyStaffFactory()
    factories.RosterEntryFactory(agency=staff.agency, worker=worker)
    request = factories.ServiceRequestFactory(budget=18000)
    agency = phone()
    agency.add_cookies([session_cookie(staff.user, live_url)])
    console = agency.new_page()
    console.goto(f"{live_url}/agency/dispatch/")
    form = console.locator(f"[data-open-request='{request.pk}'] form")
    form.locator("select[name=worker]").select_option(str(worker.pk))
    form.locator("button[data-action=dispatch]").click()
    console.wait_for_url("**/agency/dispatch/")
    offers = list(request.offers.filter(worker=worker))
    assert len(offers) == 1
    page.wait_for_selector("#offer-alert:not([hidden])")
    alert = page.inner_text("#offer-alert")
    assert "新派单" in alert and "180" in alert
    first = page.inner_text("#offer-alert [data-countdown]")
    assert first.count(":") == 1 and first != "0:00"
    page.wait_for_timeout(1500)
    assert page.inner_text("#offer-alert [data-countdown]") != first  # it counts down
    assert page.get_attribute("[data-offer-badge]", "data-offer-badge") == "1"
    assert page.title().startswith("(1) ")
    spoken = page.evaluate("window.__spoken")
    assert spoken[-1]["lang"] == "zh-CN" and "有新的派单" in spoken[-1]["text"]
    shot(page, "worker-offer-alert")

    # The card takes her to the offer, which counts down too; a reload keeps the badge.
    page.click("#offer-alert a")
    page.wait_for_selector(f"[data-offer='{offers[0].pk}'] [data-countdown]")
    assert page.get_attribute("[data-offer-badge]", "data-offer-badge") == "1"
    assert page.title().startswith("(1) ")


def test_profile_edit_fits_the_phone_and_save_takes_the_tap(live_url, phone):
    worker = factories.WorkerFactory()
    context = phone()
    context.add_cookies([session_cookie(worker.user, live_url)])
    page = context.new_page()
    page.goto(f"{live_url}/worker/profile/edit/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.evaluate(
        "[...document.querySelectorAll('input[type=time]')]"
        ".every(i => i.getAttribute('aria-label'))"
    )
    save = page.locator("form button[type=submit]")
    save.scroll_into_view_if_needed()
    box = save.bounding_box()
    hit = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('button[type=submit]') !== null",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert hit and box["x"] + box["width"] <= 360
    assert "一天也不勾选" in page.inner_text("[data-availability-help]")
