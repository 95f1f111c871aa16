"""Who may read the metrics, filter validation, and the CSV export."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from marketplace.models import Category, Division
from metrics.facts import OrderFacts
from metrics.reconcile import rollups_from_facts, rollups_replace
from tests import factories
from tests.metrics.helpers import SHANGHAI

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    reverse("metrics-summary"),
    reverse("metrics-breakdown") + "?by=division",
    reverse("metrics-export"),
]


@pytest.fixture
def some_history():
    division = Division.objects.get(code="371581001000")
    category = Category.objects.get(code="maternity_nurse")
    created = dt.datetime(2025, 3, 30, 10, tzinfo=SHANGHAI)
    orders = [
        OrderFacts(
            order_id=1,
            division_id=division.pk,
            category_id=category.pk,
            household_id=9,
            worker_id=3,
            status="completed",
            created_at=created,
            request_created_at=created - dt.timedelta(hours=1),
            starts_at=created,
            completed_at=created + dt.timedelta(days=3),
            first_signed_at=created + dt.timedelta(hours=2),
        )
    ]
    households = {9: [(division.pk, category.pk, dt.date(2025, 4, 2))]}
    rollups_replace(rollups_from_facts(orders=orders, households=households, workers={}))
    return division, category


@pytest.mark.parametrize("url", ENDPOINTS)
def test_anonymous_gets_401(anon_client, url):
    assert anon_client.get(url).status_code == 401


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize("role", ["household_client", "worker_client", "agency_client"])
def test_households_workers_and_agencies_get_403(request, role, url):
    response = request.getfixturevalue(role).get(url)
    assert response.status_code == 403
    assert "signed_contracts" not in response.content.decode()


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize("role", ["federation_client", "operator_client"])
def test_federation_and_operators_read(request, role, url):
    assert request.getfixturevalue(role).get(url).status_code == 200


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2025-13-01", "from"),
        ("to=yesterday", "to"),
        ("from=2025-05-01&to=2025-04-01", "to"),
        ("division=000000", "division"),
        ("category=plumber", "category"),
        ("from=2000-01-01&to=2025-01-01", "from"),
    ],
)
def test_bad_filters_name_the_field(federation_client, query, field):
    response = federation_client.get(reverse("metrics-summary") + "?" + query)
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_bad_breakdown_group_names_the_field(federation_client):
    response = federation_client.get(reverse("metrics-breakdown") + "?by=village")
    assert response.status_code == 400 and response.json()["field"] == "by"


def test_summary_keys_and_filters(federation_client, some_history):
    division, category = some_history
    url = reverse("metrics-summary") + "?from=2025-03-01&to=2025-04-30"
    body = federation_client.get(url).json()
    for key in (
        "signed_contracts",
        "served_households",
        "employed_workers",
        "trained_women",
        "pre_job_training_rate",
        "health_check_rate",
        "orders_by_status",
        "average_rating",
        "cancellation_rate",
        "time_from_request_to_match",
        "funnel",
    ):
        assert key in body
    assert body["signed_contracts"] == 1 and body["served_households"] == 1
    assert body["time_from_request_to_match"]["average"] == 1.0
    assert body["period"] == {"from": "2025-03-01", "to": "2025-04-30"}
    other = federation_client.get(url + "&category=housekeeper").json()
    assert other["signed_contracts"] == 0 and other["filters"]["category"] == "housekeeper"
    mine = federation_client.get(url + f"&division={division.code}&category={category.code}")
    assert mine.json()["served_households"] == 1


def test_breakdown_by_month_division_and_category(federation_client, some_history):
    division, category = some_history
    base = reverse("metrics-breakdown") + "?from=2025-03-01&to=2025-04-30&by="
    months = federation_client.get(base + "month").json()["results"]
    assert [(r["key"], r["signed_contracts"], r["served_households"]) for r in months] == [
        ("2025-03", 1, 0),
        ("2025-04", 0, 1),
    ]
    divisions = federation_client.get(base + "division").json()["results"]
    assert len(divisions) == Division.objects.count()
    assert {r["key"]: r["signed_contracts"] for r in divisions}[division.code] == 1
    categories = federation_client.get(base + "category").json()["results"]
    assert {r["key"]: r["served_households"] for r in categories}[category.code] == 1


def test_no_personal_data_in_any_output(federation_client, some_history):
    factories.HouseholdFactory(name="王秀兰", phone="13912345678")
    for url in ENDPOINTS:
        text = federation_client.get(url + ("&" if "?" in url else "?") + "from=2025-01-01").content
        assert b"13912345678" not in text and "王秀兰".encode() not in text


def test_csv_export_is_utf8_with_bom_and_localized_header(federation_client, some_history):
    url = reverse("metrics-export") + "?from=2025-03-01&to=2025-04-30&by=month"
    response = federation_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["代码", "名称", "签约合同数", "服务家庭数"]
    assert [row[:4] for row in rows[1:]] == [
        ["2025-03", "2025-03", "1", "0"],
        ["2025-04", "2025-04", "0", "1"],
    ]
    english = federation_client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    header = next(csv.reader(io.StringIO(english.content.decode("utf-8-sig"))))
    assert header[:4] == ["Code", "Name", "Signed contracts", "Households served"]


def test_csv_by_division_has_chinese_names(federation_client, some_history):
    response = federation_client.get(reverse("metrics-export") + "?by=division&from=2025-03-01")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + Division.objects.count()
    assert "青年路街道" in {row[1] for row in rows}
