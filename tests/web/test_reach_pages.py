"""The reach pages: notification settings (with 休息中), phone verification and the forgotten
password by code, in Chinese and English; anonymous visitors are sent to sign in."""

import pytest
from django.utils import timezone

from marketplace.models import User
from notifications.models import ReachPreference
from orders.services.periodic import run_due_work
from tests import factories
from tests.notifications.reach_fixtures import fake_sms  # noqa: F401
from tests.web.conftest import session_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/settings/notifications/", "/settings/phone/"])
def test_settings_pages_need_sign_in(url):
    response = session_client().get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("language", "heading"), [("zh-hans", "通知设置"), ("en", "Notification settings")]
)
def test_worker_saves_channels_quiet_hours_and_pauses_offers(language, heading):
    worker = factories.WorkerFactory()
    client = session_client(worker.user, language)
    page = client.get("/settings/notifications/")
    assert page.status_code == 200 and heading in page.content.decode()
    response = client.post(
        "/settings/notifications/",
        {
            "offer_push": "on",
            "offer_sms": "",
            "order_push": "on",
            "quiet_enabled": "on",
            "quiet_starts": "21:30",
            "quiet_ends": "06:30",
            "paused": "on",
        },
    )
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.is_accepting_offers is False
    offer = ReachPreference.objects.get(user=worker.user, kind="offer")
    assert (offer.push_enabled, offer.sms_enabled) == (True, False)
    assert worker.user.quiet_hours.starts.strftime("%H:%M") == "21:30"


def test_bad_quiet_hours_change_nothing():
    worker = factories.WorkerFactory()
    response = session_client(worker.user).post(
        "/settings/notifications/", {"quiet_starts": "25:00", "quiet_ends": "x"}
    )
    assert response.status_code == 200
    assert not ReachPreference.objects.filter(user=worker.user).exists()
    worker.refresh_from_db()
    assert worker.is_accepting_offers is True


def test_phone_verified_on_the_page_by_sms_code(fake_sms):  # noqa: F811
    user = factories.UserFactory()
    client = session_client(user)
    sent = client.post("/settings/phone/", {"p-phone": "135 1234 5678", "send": "1"})
    assert sent.status_code == 302
    run_due_work(now=timezone.now())
    code = fake_sms.messages[-1]["params"]["code"]
    verified = client.post("/settings/phone/", {"c-code": code, "verify": "1"})
    assert verified.status_code == 302
    user.refresh_from_db()
    assert user.phone == "+8613512345678" and user.phone_verified_at is not None


def test_forgotten_password_by_code_on_the_pages(fake_sms):  # noqa: F811
    user = factories.UserFactory(phone="+8613512345678")
    client = session_client()
    first = client.post("/accounts/forgot/", {"p-phone": "13512345678"})
    assert first.status_code == 302 and first["Location"].endswith("/accounts/forgot/code/")
    run_due_work(now=timezone.now())
    code = fake_sms.messages[-1]["params"]["code"]
    done = client.post(
        "/accounts/forgot/code/", {"c-code": code, "n-password": "New-Str0ng-pass-9"}
    )
    assert done.status_code == 302 and done["Location"].endswith("/accounts/login/")
    assert User.objects.get(pk=user.pk).check_password("New-Str0ng-pass-9")


def test_unknown_number_gets_the_same_pages(fake_sms):  # noqa: F811
    client = session_client()
    first = client.post("/accounts/forgot/", {"p-phone": "13612345678"})
    assert first.status_code == 302 and first["Location"].endswith("/accounts/forgot/code/")
    run_due_work(now=timezone.now())
    assert fake_sms.messages == []


def test_service_worker_is_served_at_the_root():
    response = session_client().get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "showNotification" in response.content.decode()
