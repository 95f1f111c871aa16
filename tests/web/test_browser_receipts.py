"""At 360×740: the household opens the receipt of a paid order from its order page, sees the
amount and downloads the PDF; then asks for a company invoice (a bad tax number is flagged by
the field), the agency issues it from its console, and the household sees the number."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from backend.money import yuan
from orders.models import InvoiceRequest, InvoiceStatus
from tests.orders.receipts_helpers import agency_order, paid_in_cash
from tests.web.conftest import browser, console_errors, live_url, phone  # noqa: F401
from tests.web.test_browser_flow import session_cookie, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_receipt_pdf_and_invoice_from_request_to_issue(live_url, phone, console_errors):  # noqa: F811
    order, staff = agency_order()
    paid_in_cash(order, staff)
    household = phone()
    household.add_cookies([session_cookie(order.household, live_url)])
    page = household.new_page()
    page.goto(f"{live_url}/orders/{order.pk}/")
    page.click("a[data-action=receipt]")
    page.wait_for_selector("[data-receipt-number]")
    assert page.inner_text("[data-amount-paid]") == yuan(order.price)
    assert page.inner_text("[data-party=agency]") == order.agency.name
    shot(page, "receipt-household")

    with page.expect_download() as download_info:
        page.click("a[data-action=receipt-pdf]")
    data = open(download_info.value.path(), "rb").read()
    assert data.startswith(b"%PDF")
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))
    assert yuan(order.price) in text and page.inner_text("[data-receipt-number]") in text

    # A company invoice with a tax number that is too short: the error sits by the field.
    page.check("input[name=kind][value=company]")
    page.fill("input[name=title]", "临清市美家家政服务有限公司")
    page.fill("input[name=tax_number]", "9137158")
    page.click("button[data-action=request-invoice]")
    error = page.wait_for_selector("#field-tax_number [data-field-error=tax_number]")
    assert "纳税人识别号" in error.inner_text()
    assert page.input_value("input[name=title]") == "临清市美家家政服务有限公司"
    # The refused form answers 400 on purpose; only that one error is expected.
    refused = [e for e in console_errors if "status of 400" in e and "/invoice/" in e]
    assert len(refused) == 1
    console_errors.remove(refused[0])
    page.fill("input[name=tax_number]", "91371581ma3c4xyz1k")
    page.click("button[data-action=request-invoice]")
    page.wait_for_selector("[data-invoice-status=requested]")
    assert page.locator("[data-invoice-form]").count() == 0

    agency = phone()
    agency.add_cookies([session_cookie(staff, live_url)])
    console = agency.new_page()
    console.goto(f"{live_url}/agency/")
    console.click("a[data-nav-invoices]")
    invoice = InvoiceRequest.objects.get(order=order)
    row = console.locator(f"[data-invoice='{invoice.pk}']")
    assert "91371581MA3C4XYZ1K" in row.inner_text()
    row.locator("input[name$=invoice_number]").fill("25372000000012345678")
    shot(console, "agency-invoices")
    row.locator("button[data-action=issue]").click()
    console.wait_for_selector("ul.messages li.success")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED

    page.reload()
    page.wait_for_selector("[data-invoice-status=issued]")
    assert page.inner_text("[data-invoice-number]") == "25372000000012345678"
    shot(page, "receipt-invoice-issued")
