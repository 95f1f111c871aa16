"""Fixtures for the reach tests: the fake SMS provider and push service on loopback."""

import datetime as dt
import re

import pytest

from notifications.webpush import vapid_keys_generate
from tests.notifications.fakes import (
    ACCESS_KEY_ID,
    ACCESS_KEY_SECRET,
    FakeAliyunSms,
    FakePushService,
)

# Outside quiet hours on the county's clock, so that SMS go at once.
DAYTIME = dt.datetime(2030, 5, 6, 2, 0, tzinfo=dt.UTC)  # 10:00 in Asia/Shanghai


@pytest.fixture
def fake_sms(httpserver, settings):
    fake = FakeAliyunSms()
    httpserver.expect_request("/", method="POST").respond_with_handler(fake)
    settings.SMS_BACKEND = "aliyun"
    settings.SMS_ALIYUN = {
        "ACCESS_KEY_ID": ACCESS_KEY_ID,
        "ACCESS_KEY_SECRET": ACCESS_KEY_SECRET,
        "ENDPOINT": f"{httpserver.host}:{httpserver.port}",
        "PROTOCOL": "http",
        "SIGN_NAME": "家政美家",
    }
    settings.REACH = {**settings.REACH, "QUIET_HOURS": ("00:00", "00:00")}
    return fake


@pytest.fixture
def fake_push(httpserver, settings):
    public, private = vapid_keys_generate()
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = public, private
    fake = FakePushService(httpserver.url_for("/"), public)
    httpserver.expect_request(re.compile(r"^/push/"), method="POST").respond_with_handler(fake)
    return fake
