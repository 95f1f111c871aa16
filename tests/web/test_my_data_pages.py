"""我的数据 on the phone: the summary, the archive download, consents, and deleting the account
(session clients and Chromium)."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest
from django.conf import settings
from django.utils import timezone

from marketplace.models import Consent, ConsentKind, User
from marketplace.services.consents import consent_record
from metrics.reconcile import metrics_rebuild, metrics_reconcile
from orders.services.periodic import run_due_work
from personal_data.models import DeletionRequest, DeletionStatus
from tests import factories
from tests.metrics.helpers import Clock
from tests.personal_data.helpers import HOUSEHOLD_MESSAGE, WORKER_MESSAGE, served_order
from tests.web.conftest import (  # noqa: F401
    browser,
    console_errors,
    live_url,
    phone,
    session_client,
)
from tests.web.test_browser_flow import shot, sign_in

PAGE = "/settings/my-data/"


@pytest.mark.django_db
def test_my_data_page_needs_a_sign_in_and_keeps_a_wrong_password_next_to_its_field():
    anonymous = session_client().get(PAGE)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert session_client().get(PAGE + "archive.zip").status_code == 302
    household = factories.HouseholdFactory(user__display_name="<b>王家</b>")
    client = session_client(household.user)
    page = client.get(PAGE)
    assert page.status_code == 200 and "我的数据" in page.content.decode()
    assert b"<b>\xe7\x8e\x8b" not in page.content
    response = client.post(PAGE + "delete/", {"password": "not-her-password"})
    assert response.status_code == 200
    assert b'data-field-error="password"' in response.content
    assert not DeletionRequest.objects.exists()


@pytest.mark.django_db
def test_another_users_consent_is_not_found_and_stays():
    consent = consent_record(user=factories.WorkerFactory().user, kind=ConsentKind.ID_CARD)
    client = session_client(factories.WorkerFactory().user)
    assert client.post(f"{PAGE}consents/{consent.pk}/withdraw/").status_code == 404
    consent.refresh_from_db()
    assert consent.is_active


@pytest.mark.django_db
def test_the_page_in_english_and_a_blocked_deletion_says_why():
    order = factories.OrderFactory(status="confirmed")
    page = session_client(order.household, language="en").get(PAGE)
    text = page.content.decode()
    assert "My data" in text and "Download my data" in text
    assert 'id="deletion-blocker"' in text and f"#{order.pk}" in text
    assert 'id="deletion-submit"' not in text


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_she_downloads_her_data_asks_for_deletion_cancels_then_is_deleted(
    live_url,  # noqa: F811
    phone,  # noqa: F811
    monkeypatch,
    tmp_path,
):
    clock = Clock(monkeypatch)
    order = served_order(clock)
    worker = order.worker
    consent_record(user=worker.user, kind=ConsentKind.HEALTH_CHECK)
    metrics_rebuild()
    username = worker.user.username

    page = phone().new_page()
    sign_in(page, live_url, username)
    page.goto(f"{live_url}/settings/notifications/")
    page.click("#my-data-link")
    page.wait_for_selector("#data-summary")
    assert page.inner_text("[data-kind=chat_messages] td:last-child") == "1"
    assert "健康体检信息" in page.inner_text("#consents")
    shot(page, "my-data")

    with page.expect_download() as download_info:
        page.click("#archive-download")
    path = tmp_path / "archive.zip"
    download_info.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        assert {"account.json", "orders.json", "summary.html"} <= set(archive.namelist())
        messages = json.loads(archive.read("chat_messages.json"))
        assert [message["body"] for message in messages] == [WORKER_MESSAGE]
        everything = b"".join(archive.read(name) for name in archive.namelist()).decode()
    assert HOUSEHOLD_MESSAGE not in everything
    assert order.household.household.phone not in everything

    page.fill("#id_password", "not-her-password")
    page.click("#deletion-submit")
    page.wait_for_selector("[data-field-error=password]")
    page.fill("#id_password", factories.PASSWORD)
    page.click("#deletion-submit")
    page.wait_for_selector("#deletion-pending")
    shot(page, "my-data-deletion-pending")
    page.click("#deletion-cancel")
    page.wait_for_selector("#deletion-submit")
    assert DeletionRequest.objects.get().status == DeletionStatus.CANCELLED

    page.fill("#id_password", factories.PASSWORD)
    page.click("#deletion-submit")
    page.wait_for_selector("#deletion-pending")

    # The cooling-off period ends: the periodic job carries the deletion out.
    assert run_due_work(now=timezone.now() + dt.timedelta(days=8))["account_deletions_completed"]
    assert not User.objects.get(pk=worker.user_id).is_active
    assert Consent.objects.filter(user=worker.user, withdrawn_at__isnull=True).count() == 0
    report = metrics_reconcile()
    assert report.is_clean, report.lines()

    page.goto(f"{live_url}{PAGE}")  # her session ended with the account
    page.wait_for_url(lambda url: "/accounts/login/" in url)
    page.fill("#id_username", username)
    page.fill("#id_password", factories.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-form-errors]")
    assert "/accounts/login/" in page.url

    english = phone("en-US").new_page()
    english.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_url}]
    )
    sign_in(english, live_url, order.household.username)
    english.goto(f"{live_url}{PAGE}")
    assert "Delete my account" in english.inner_text("#account-deletion")
