"""An agency countersigns at 360×740: the home counts the contract that waits for it, one tap
signs it, and the worker's open order page turns to 已确认 through the live socket; then the
owner gives the standing authorisation and the next contract needs no tap at all."""

from __future__ import annotations

import pytest

from orders.models import ContractSignature
from orders.services.contracts import contract_draft, contract_sign
from orders.statuses import OrderStatus, Party
from tests import factories
from tests.web.test_browser_flow import session_cookie, shot, wait_live

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def agency_order(agency):
    order = factories.OrderFactory()
    factories.RosterEntryFactory(agency=agency, worker=order.worker)
    order.agency = agency
    order.save(update_fields=["agency"])
    contract_draft(order=order)
    return order


def sign(order, user):
    contract_sign(order_id=order.pk, user=user, ip_address=None, user_agent="", text_sha256=None)


def test_agency_signs_from_its_home_and_then_by_authorisation(live_url, phone):
    owner = factories.AgencyStaffFactory()
    order = agency_order(owner.agency)
    sign(order, order.household)
    sign(order, order.worker.user)

    worker = phone()
    worker.add_cookies([session_cookie(order.worker.user, live_url)])
    worker_page = worker.new_page()
    worker_page.goto(f"{live_url}/orders/{order.pk}/")
    wait_live(worker_page)
    line = worker_page.locator("[data-next-step]")
    assert line.get_attribute("data-waiting-for") == "agency"
    assert "家政企业" in line.inner_text()

    agency = phone()
    agency.add_cookies([session_cookie(owner.user, live_url)])
    agency_page = agency.new_page()
    agency_page.goto(f"{live_url}/agency/")
    card = agency_page.locator("[data-awaiting-agency]")
    assert card.get_attribute("data-awaiting-agency") == "1"
    assert "1 份合同等待贵司签署" in card.inner_text()
    shot(agency_page, "agency-home-awaiting-contract")
    agency_page.click(f"[data-awaiting-contract='{order.pk}'] button[data-action=countersign]")
    agency_page.wait_for_selector("ul.messages li.success")
    assert agency_page.locator("[data-awaiting-agency]").count() == 0

    # The worker's page follows over the socket: confirmed, and now it is her turn.
    worker_page.wait_for_selector("[data-order-status='confirmed']")
    worker_page.wait_for_selector("[data-next-step='check_in'].yours")
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED

    # The owner gives the standing authorisation; the next contract is countersigned unaided.
    agency_page.goto(f"{live_url}/agency/countersign/")
    agency_page.check("[data-agree]")
    agency_page.click("button[data-action=grant-authorisation]")
    agency_page.wait_for_selector("[data-authorisation='in-force']")
    shot(agency_page, "agency-countersign-authorised")
    second = agency_order(owner.agency)
    sign(second, second.household)
    sign(second, second.worker.user)
    second.refresh_from_db()
    assert second.status == OrderStatus.CONFIRMED
    signature = ContractSignature.objects.get(contract__order=second, party=Party.AGENCY)
    assert signature.authorisation is not None and signature.signer == owner.user
