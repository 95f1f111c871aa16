"""Receipt pages: the 收据 link only on paid orders, who may open the page and its PDF, the
household's invoice form with errors next to the field (both languages), and the agency's
list with issue and reject."""

import pytest

from orders.models import InvoiceRequest, InvoiceStatus
from orders.services.invoices import invoice_request_create
from tests import factories
from tests.orders.receipts_helpers import agency_order, paid_in_cash
from tests.web.conftest import session_client
from tests.web.test_forms import field_error

pytestmark = pytest.mark.django_db

BAD_TAX = {"zh-hans": "纳税人识别号应为15、18或20位", "en": "15, 18 or 20"}


@pytest.fixture
def paid():
    order, staff = agency_order()
    return paid_in_cash(order, staff), staff


def test_the_receipt_link_shows_only_once_paid():
    order, staff = agency_order()
    client = session_client(order.household)
    page = client.get(f"/orders/{order.pk}/").content.decode()
    assert 'data-action="receipt"' not in page
    assert client.get(f"/orders/{order.pk}/receipt/").status_code == 404
    paid_in_cash(order, staff)
    page = client.get(f"/orders/{order.pk}/").content.decode()
    assert f'href="/orders/{order.pk}/receipt/"' in page


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("household", 200),
        ("worker", 200),
        ("agency", 200),
        ("operator", 200),
        ("other_household", 404),
        ("other_agency", 404),
        ("federation", 404),
    ],
)
def test_receipt_page_and_pdf_for_parties_and_operators(paid, who, expected):
    order, staff = paid
    users = {
        "household": order.household,
        "worker": order.worker.user,
        "agency": staff,
        "operator": factories.operator_user(),
        "other_household": factories.HouseholdFactory().user,
        "other_agency": factories.AgencyStaffFactory().user,
        "federation": factories.FederationOfficerFactory().user,
    }
    client = session_client(users[who])
    page = client.get(f"/orders/{order.pk}/receipt/")
    pdf = client.get(f"/orders/{order.pk}/receipt.pdf")
    assert (page.status_code, pdf.status_code) == (expected, expected)
    if expected == 200:
        assert pdf.content.startswith(b"%PDF")
        text = page.content.decode()
        assert "data-receipt-number" in text
        assert ("data-invoice-form" in text) == (who == "household")


def test_anonymous_goes_to_login(paid):
    order, _staff = paid
    response = session_client().get(f"/orders/{order.pk}/receipt/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_hostile_names_are_text_on_the_page(paid):
    order, staff = paid
    order.household.display_name = '<img src="http://x"/>'
    order.household.save(update_fields=["display_name"])
    page = session_client(staff).get(f"/orders/{order.pk}/receipt/").content.decode()
    assert '<img src="http://x"/>' not in page
    assert "&lt;img src=&quot;http://x&quot;/&gt;" in page


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_invoice_form_errors_sit_next_to_the_field(paid, language):
    order, _staff = paid
    client = session_client(order.household, language=language)
    response = client.post(
        f"/orders/{order.pk}/invoice/",
        {"kind": "company", "title": "美家公司", "tax_number": "123"},
    )
    assert response.status_code == 400
    assert BAD_TAX[language] in field_error(response, "tax_number")
    assert not InvoiceRequest.objects.exists()


def test_household_requests_and_sees_the_status(paid):
    order, staff = paid
    client = session_client(order.household)
    response = client.post(
        f"/orders/{order.pk}/invoice/",
        {"kind": "personal", "title": "王秀英", "email": "wang@example.com"},
    )
    assert response.status_code == 302
    page = client.get(f"/orders/{order.pk}/receipt/").content.decode()
    assert 'data-invoice-status="requested"' in page and "data-invoice-form" not in page
    console = session_client(staff).get("/agency/invoices/").content.decode()
    assert "王秀英" in console and "data-issue-form" in console


def test_agency_issue_and_reject_with_errors_by_field(paid):
    order, staff = paid
    invoice = invoice_request_create(
        order_id=order.pk, actor=order.household, kind="personal", title="王秀英"
    )
    client = session_client(staff)
    bad = client.post(
        f"/agency/invoices/{invoice.pk}/issue/", {f"i{invoice.pk}-invoice_number": "1"}
    )
    assert bad.status_code == 400
    assert field_error(bad, "invoice_number")
    no_reason = client.post(f"/agency/invoices/{invoice.pk}/reject/", {f"r{invoice.pk}-reason": ""})
    assert no_reason.status_code == 400 and field_error(no_reason, "reason")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.REQUESTED
    done = client.post(
        f"/agency/invoices/{invoice.pk}/issue/",
        {f"i{invoice.pk}-invoice_number": "25370000000000000001"},
    )
    assert done.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED
    page = session_client(order.household).get(f"/orders/{order.pk}/receipt/").content.decode()
    assert "25370000000000000001" in page
    # Another agency's staff cannot answer it.
    stranger = session_client(factories.AgencyStaffFactory().user)
    assert stranger.post(f"/agency/invoices/{invoice.pk}/reject/", {}).status_code == 404


def test_the_invoice_console_is_the_agencys_and_operators_read_it(paid):
    order, staff = paid
    invoice_request_create(order_id=order.pk, actor=order.household, kind="personal", title="王")
    operator = session_client(factories.operator_user())
    page = operator.get(f"/agency/{order.agency_id}/invoices/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "data-invoice=" in text and "data-issue-form" not in text
    for user in (order.household, order.worker.user, factories.FederationOfficerFactory().user):
        assert session_client(user).get("/agency/invoices/").status_code == 404
    other = session_client(factories.AgencyStaffFactory().user).get("/agency/invoices/")
    assert other.status_code == 200 and "data-invoice=" not in other.content.decode()
