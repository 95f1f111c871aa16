"""The federation dashboard: federation officers and operators only; the metrics app's numbers
as figures and tables (with the chart data beside them); filters with their errors in both
languages; the CSV export; no personal data anywhere on the page."""

import json

import pytest
from django.utils import timezone

from metrics.reconcile import metrics_rebuild
from orders.statuses import OrderStatus
from tests import factories
from tests.orders.flow_helpers import order_in
from tests.web.conftest import session_client
from tests.web.test_forms import LANGUAGES, field_error

pytestmark = pytest.mark.django_db

PAGES = ["/federation/", "/federation/export.csv"]


def figure(html: str, key: str) -> str:
    block = html.split(f'data-figure="{key}"', 1)[1]
    return block.split("<strong>", 1)[1].split("</strong>", 1)[0]


def chart_data(html: str) -> list:
    block = html.split('id="dashboard-data" type="application/json">', 1)[1]
    return json.loads(block.split("</script>", 1)[0])


@pytest.fixture
def officer():
    return factories.FederationOfficerFactory().user


@pytest.fixture
def served():
    """A completed order (its household served) counted in the rollups."""
    order = order_in(OrderStatus.COMPLETED)
    metrics_rebuild()
    return order


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_is_sent_to_login(path):
    response = session_client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/accounts/login/?next={path}")


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("role", ["household", "worker", "agency_staff"])
def test_other_roles_get_404(path, role):
    user = {
        "household": lambda: factories.HouseholdFactory().user,
        "worker": lambda: factories.WorkerFactory().user,
        "agency_staff": lambda: factories.AgencyStaffFactory().user,
    }[role]()
    assert session_client(user).get(path).status_code == 404


@pytest.mark.parametrize("path", PAGES)
def test_federation_and_operators_open_it(officer, path):
    for user in (officer, factories.operator_user()):
        assert session_client(user).get(path).status_code == 200


def test_figures_tables_and_charts_show_the_metrics_without_personal_data(officer, served):
    html = session_client(officer).get("/federation/").content.decode()
    assert figure(html, "served_households") == "1"
    month = timezone.localdate().strftime("%Y-%m")
    row = html.split(f'data-row="{month}"', 1)[1].split("</tr>", 1)[0]
    assert 'data-col="served_households">1<' in row
    charts = chart_data(html)
    assert [c["by"] for c in charts] == ["month", "division", "category"]
    by_month = charts[0]
    served_series = next(s for s in by_month["series"] if s["key"] == "served_households")
    assert served_series["values"][by_month["labels"].index(month)] == 1
    worker = served.worker
    for private in (
        served.request.address,
        served.household.username,
        str(served.household),
        served.household.household.phone,
        worker.real_name,
        worker.phone,
    ):
        assert private not in html


def test_filters_narrow_the_numbers(officer, served):
    client = session_client(officer)
    other_division = "371581101000"
    html = client.get("/federation/", {"division": other_division}).content.decode()
    assert figure(html, "served_households") == "0"
    html = client.get("/federation/", {"category": "housekeeper"}).content.decode()
    assert figure(html, "served_households") == "1"
    html = client.get("/federation/", {"category": "maternity_nurse"}).content.decode()
    assert figure(html, "served_households") == "0"


END_ERRORS = {"zh-hans": "结束日期不能早于开始日期", "en": "end date cannot be before"}
DATE_ERRORS = {"zh-hans": "输入一个有效的日期", "en": "Enter a valid date"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_filter_errors_sit_next_to_their_fields(officer, language):
    client = session_client(officer, language)
    response = client.get("/federation/", {"start": "2025-05-01", "end": "2025-04-01"})
    assert response.status_code == 400
    assert END_ERRORS[language].lower() in field_error(response, "end").lower()
    response = client.get("/federation/", {"start": "not-a-date"})
    assert response.status_code == 400
    assert DATE_ERRORS[language] in field_error(response, "start")
    response = client.get("/federation/", {"division": "999"})
    assert response.status_code == 400
    assert field_error(response, "division")


@pytest.mark.parametrize(("language", "header"), [("zh-hans", "签约合同数"), ("en", "Signed")])
def test_csv_export_follows_the_filters(officer, served, language, header):
    client = session_client(officer, language)
    response = client.get("/federation/export.csv", {"by": "division"})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert header in text.splitlines()[0]
    assert len(text.strip().splitlines()) == 1 + 16  # a row per division
    html = client.get("/federation/", {"category": "housekeeper"}).content.decode()
    assert "/federation/export.csv?by=division&amp;category=housekeeper" in html
