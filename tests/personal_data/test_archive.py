"""The "my data" archive: every kind of record she has, none of another person's phone or ID."""

import io
import json
import zipfile

import pytest

from marketplace.models import ConsentKind
from marketplace.services.consents import consent_record
from personal_data import records
from personal_data.archive import archive_chunks
from tests import factories
from tests.conftest import client_for
from tests.metrics.helpers import Clock
from tests.personal_data.helpers import HOUSEHOLD_MESSAGE, WORKER_MESSAGE, served_order

pytestmark = pytest.mark.django_db

ARCHIVE_URL = "/api/v1/me/data/archive/"
EXPECTED_FILES = {f"{name}.json" for name, _rows in records.SECTIONS} | {
    "manifest.json",
    "summary.html",
}


def _download(user) -> zipfile.ZipFile:
    response = client_for(user).get(ARCHIVE_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.streaming
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _read(archive: zipfile.ZipFile, name: str):
    return json.loads(archive.read(f"{name}.json"))


def test_the_household_archive_holds_her_records_and_not_the_workers_phone(monkeypatch):
    order = served_order(Clock(monkeypatch))
    household, worker = order.household, order.worker
    archive = _download(household)

    assert set(archive.namelist()) == EXPECTED_FILES
    assert archive.testzip() is None
    assert _read(archive, "account")[0]["username"] == household.username
    assert _read(archive, "profile")[0]["phone"] == household.household.phone
    assert [row["id"] for row in _read(archive, "orders")] == [order.pk]
    assert _read(archive, "orders")[0]["other_party"] == str(worker.user)
    assert len(_read(archive, "requests")) == 1
    assert len(_read(archive, "contracts")) == 1
    assert [m["body"] for m in _read(archive, "chat_messages")] == [HOUSEHOLD_MESSAGE]
    assert _read(archive, "invoices") == []
    directions = sorted(r["direction"] for r in _read(archive, "reviews"))
    assert directions == ["received", "written"]
    assert _read(archive, "payments")[0]["status"] == "paid"
    # The test client's token is a sign-in (simplejwt records every refresh token it issues).
    assert [row["record"] for row in _read(archive, "sessions")] == ["sign_in"]

    everything = b"".join(archive.read(name) for name in archive.namelist()).decode()
    for secret in (worker.phone, worker.user.phone, worker.id_card_number or "never-empty"):
        assert secret not in everything
    assert WORKER_MESSAGE not in everything  # the other party's chat text is hers, not ours
    summary = archive.read("summary.html").decode()
    assert "我的数据" in summary and household.username in summary


def test_the_worker_archive_holds_her_credentials_id_number_and_consents(monkeypatch):
    worker = factories.WorkerFactory()
    worker.set_id_card_number("11010519491231002X")
    worker.save()
    consent_record(user=worker.user, kind=ConsentKind.ID_CARD)
    archive = _download(worker.user)
    profile = _read(archive, "profile")[0]
    assert profile["record"] == "worker" and profile["id_card_number"] == "11010519491231002X"
    kinds = sorted(row["record"] for row in _read(archive, "credentials"))
    assert kinds == ["certificate", "health_check", "training"]
    consents = _read(archive, "consents")
    assert [c["kind"] for c in consents] == ["id_card"] and consents[0]["purpose"]


def test_summary_html_escapes_her_own_text():
    household = factories.HouseholdFactory(user__display_name="<script>alert(1)</script>")
    summary = _download(household.user).read("summary.html").decode()
    assert "<script>alert" not in summary and "&lt;script&gt;" in summary


def test_the_archive_is_written_a_page_at_a_time(monkeypatch):
    """Sections are read PAGE rows per query and chunks leave before the whole is built."""
    monkeypatch.setattr(records, "PAGE", 2)
    clock = Clock(monkeypatch)
    household = factories.HouseholdFactory()
    for _ in range(5):
        factories.ServiceRequestFactory(household=household.user, status="cancelled")
    seen = []
    real = records.paged

    def counting(queryset, *fields):
        for row in real(queryset, *fields):
            seen.append(row)
            yield row

    monkeypatch.setattr(records, "paged", counting)
    chunks = archive_chunks(user=household.user)
    first = next(chunks)
    assert first.startswith(b"PK")  # the ZIP's first bytes go out before anything else is read
    assert len(seen) < 5
    rest = b"".join(chunks)
    archive = zipfile.ZipFile(io.BytesIO(first + rest))
    assert len(json.loads(archive.read("requests.json"))) == 5
    assert clock  # the clock fixture keeps timestamps fixed across chunks


def test_the_summary_endpoint_counts_her_records(monkeypatch):
    order = served_order(Clock(monkeypatch))
    body = client_for(order.worker.user).get("/api/v1/me/data/").json()
    lines = {line["key"]: line["count"] for line in body["lines"]}
    assert lines["orders"] == 1 and lines["chat_messages"] == 1 and lines["reviews_written"] == 1
    assert body["archive_url"] == ARCHIVE_URL and "summary.html" in body["archive_files"]
