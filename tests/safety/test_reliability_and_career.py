"""Reliability reasons and appeals (permissions, F()-safe upheld decisions), and the career
record's page, PDF and expiring share link."""

import datetime as dt
import io
import time

import pytest
from django.core import signing
from django.test import Client

from marketplace.models import ReliabilityAppeal, WorkerProfile
from orders.services.cancellation import order_cancel, order_report_no_show
from orders.statuses import OrderStatus
from programme.services.career import SHARE_SALT, career_pdf, career_record
from tests import factories
from tests.conftest import client_for
from tests.orders.flow_helpers import order_in

pytestmark = pytest.mark.django_db


def worker_with_incidents():
    staff = factories.AgencyStaffFactory()
    no_show = order_in(OrderStatus.CONFIRMED, starts_at=factories.future(1))
    worker = no_show.worker
    factories.RosterEntryFactory(agency=staff.agency, worker=worker)
    order_report_no_show(
        order_id=no_show.pk,
        actor=no_show.household,
        absent_party="worker",
        now=no_show.starts_at + dt.timedelta(minutes=30),
    )
    late = factories.OrderFactory(worker=worker, status=OrderStatus.CONFIRMED)
    order_cancel(
        order_id=late.pk,
        actor=worker.user,
        reason="家里有事",
        now=late.starts_at - dt.timedelta(hours=2),
    )
    done = factories.OrderFactory(worker=worker, status=OrderStatus.COMPLETED)
    return WorkerProfile.objects.get(pk=worker.pk), staff, no_show, late, done


def test_reliability_lists_the_reasons_to_her(anon_client):
    worker, _staff, no_show, late, done = worker_with_incidents()
    assert anon_client.get("/api/v1/workers/me/reliability/").status_code == 401
    assert client_for(no_show.household).get("/api/v1/workers/me/reliability/").status_code == 403
    body = client_for(worker.user).get("/api/v1/workers/me/reliability/").json()
    assert (body["no_shows"], body["late_cancellations"]) == (1, 1)
    kinds = {(row["kind"], row["order"]) for row in body["incidents"]}
    assert {
        ("no_show", no_show.pk),
        ("late_cancellation", late.pk),
        ("completed", done.pk),
    } <= kinds
    assert 0 < body["score"] < 1
    client = Client()
    client.force_login(worker.user)
    html = client.get("/worker/reliability/").content.decode()
    assert f'data-order="{no_show.pk}"' in html and 'data-action="appeal"' in html


def test_appeal_decided_by_her_agency_only_and_upheld_removes_the_incident():
    worker, staff, no_show, _late, _done = worker_with_incidents()
    me = client_for(worker.user)
    response = me.post(
        "/api/v1/workers/me/appeals/",
        {"order": no_show.pk, "incident": "no_show", "reason": "雇主改了时间没通知我"},
        format="json",
    )
    assert response.status_code == 201
    appeal_id = response.json()["id"]
    again = me.post(
        "/api/v1/workers/me/appeals/",
        {"order": no_show.pk, "incident": "no_show", "reason": "again"},
        format="json",
    )
    assert again.status_code == 409
    not_mine = me.post(
        "/api/v1/workers/me/appeals/",
        {"order": _done.pk, "incident": "no_show", "reason": "x"},
        format="json",
    )
    assert not_mine.status_code == 400
    # Her agency sees it; another agency, the household and the worker cannot decide it.
    assert [a["id"] for a in client_for(staff.user).get("/api/v1/appeals/").json()["results"]] == [
        appeal_id
    ]
    url = f"/api/v1/appeals/{appeal_id}/decide/"
    body = {"upheld": True, "note": "核实为雇主临时改期"}
    assert (
        client_for(factories.AgencyStaffFactory().user).post(url, body, format="json").status_code
        == 404
    )
    assert client_for(no_show.household).post(url, body, format="json").status_code == 403
    assert me.post(url, body, format="json").status_code == 403
    assert WorkerProfile.objects.get(pk=worker.pk).no_shows == 1
    assert client_for(staff.user).post(url, {"upheld": True}, format="json").status_code == 400

    response = client_for(staff.user).post(url, body, format="json")
    assert response.status_code == 200 and response.json()["status"] == "upheld"
    assert WorkerProfile.objects.get(pk=worker.pk).no_shows == 0
    # Deciding twice changes nothing more.
    assert client_for(staff.user).post(url, body, format="json").status_code == 409
    assert WorkerProfile.objects.get(pk=worker.pk).no_shows == 0
    report = me.get("/api/v1/workers/me/reliability/").json()
    row = next(r for r in report["incidents"] if r["kind"] == "no_show")
    assert row["appeal"]["status"] == "upheld"


def test_rejected_appeal_keeps_the_count_and_records_why():
    worker, staff, _no_show, late, _done = worker_with_incidents()
    appeal = (
        client_for(worker.user)
        .post(
            "/api/v1/workers/me/appeals/",
            {"order": late.pk, "incident": "late_cancellation", "reason": "生病"},
            format="json",
        )
        .json()
    )
    client = Client()
    client.force_login(staff.user)
    client.post(
        f"/safety/appeals/{appeal['id']}/decide/", {"decision": "rejected", "note": "无证明"}
    )
    row = ReliabilityAppeal.objects.get(pk=appeal["id"])
    assert (row.status, row.decision_note, row.decided_by_id) == (
        "rejected",
        "无证明",
        staff.user.pk,
    )
    assert WorkerProfile.objects.get(pk=worker.pk).late_cancellations == 1


# --- career record ------------------------------------------------------------------------


def test_career_page_pdf_and_text():
    from pypdf import PdfReader

    worker = factories.WorkerFactory()
    client = Client()
    client.force_login(worker.user)
    html = client.get("/worker/career/").content.decode()
    assert worker.real_name in html and "家政服务岗前培训" in html and worker.phone not in html
    response = client.get("/worker/career.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    raw = career_pdf(career_record(worker=worker), compress=False)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(raw)).pages)
    assert worker.real_name in text and "职业档案" in text


def test_share_link_only_for_agencies_and_expires(settings):
    worker = factories.WorkerFactory()
    staff = factories.AgencyStaffFactory()
    body = client_for(worker.user).post("/api/v1/workers/me/career/share/").json()
    token = body["url"].rstrip("/").rsplit("/", 1)[-1]
    api = f"/api/v1/career/shared/{token}/"
    assert client_for(staff.user).get(api).json()["worker"]["name"] == worker.real_name
    for user in (factories.HouseholdFactory().user, factories.WorkerFactory().user):
        assert client_for(user).get(api).status_code == 404
    web = Client()
    web.force_login(staff.user)
    assert worker.real_name in web.get(f"/career/shared/{token}/").content.decode()
    assert web.get(f"/career/shared/{token}/pdf/").content.startswith(b"%PDF")
    household_web = Client()
    household_web.force_login(factories.HouseholdFactory().user)
    assert household_web.get(f"/career/shared/{token}/").status_code == 404
    assert client_for(staff.user).get("/api/v1/career/shared/forged/").status_code == 404
    # A link older than CAREER_SHARE_DAYS is gone.
    stale = signing.dumps({"w": worker.pk}, salt=SHARE_SALT, compress=True)
    settings.MEIJIA = {**settings.MEIJIA, "CAREER_SHARE_DAYS": 0}
    time.sleep(1.1)
    assert client_for(staff.user).get(f"/api/v1/career/shared/{stale}/").status_code == 410
    assert web.get(f"/career/shared/{stale}/").status_code == 410
