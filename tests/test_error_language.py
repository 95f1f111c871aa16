"""Error answers speak the caller's language (Accept-Language, via LocaleMiddleware): invalid
transitions, missing objects and Django's password validators, in Chinese and in English."""

import pytest
from django.utils import translation

from backend.exceptions import InvalidTransition
from marketplace.models import Role
from tests import factories
from tests.conftest import client_for
from tests.orders.flow_helpers import order_in

pytestmark = pytest.mark.django_db

LANGUAGES = {"zh-hans": "zh-hans", "en": "en"}


def test_an_invalid_transition_is_named_in_the_active_language():
    with translation.override("en"):
        detail = InvalidTransition(entity="order", current="completed", target="cancelled").detail
        assert detail == "Order cannot go from “completed” to “cancelled”."
        roster = InvalidTransition(entity="roster entry", current="ended", target="active").detail
        assert roster.startswith("Roster entry cannot go from")
    with translation.override("zh-hans"):
        detail = InvalidTransition(entity="order", current="completed", target="cancelled").detail
        assert detail == "订单不能从“completed”变为“cancelled”。"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "does not exist"), ("zh-hans", "不存在")],
)
def test_missing_objects_answer_in_the_callers_language(language, expected):
    household = client_for(factories.HouseholdFactory().user)
    for path in ("/api/v1/orders/999999/", "/api/v1/requests/999999/"):
        response = household.get(path, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 404
        assert expected in response.json()["detail"], (path, response.json())
    worker = client_for(factories.WorkerFactory().user)
    declined = worker.post("/api/v1/offers/999999/decline/", HTTP_ACCEPT_LANGUAGE=language)
    assert declined.status_code == 404, declined.content
    assert expected in declined.json()["detail"], declined.json()


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "You do not belong to any agency."), ("zh-hans", "您不属于任何家政企业。")],
)
def test_an_agency_statement_without_an_agency_answers_in_the_callers_language(
    language, expected
):
    # An agency-staff account whose staff row is gone (the owner removed her).
    lone = client_for(factories.UserFactory(role=Role.AGENCY_STAFF))
    response = lone.get("/api/v1/agencies/me/statements/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 403, response.json()
    assert response.json()["detail"] == expected


@pytest.mark.parametrize(
    ("language", "too_short", "too_common"),
    [
        ("en", "This password is too short", "This password is too common."),
        ("zh-hans", "密码长度太短", "这个密码太常见了。"),
    ],
)
def test_password_validators_answer_in_the_callers_language(language, too_short, too_common):
    from rest_framework.test import APIClient

    for password, expected in (("Ab1", too_short), ("password123", too_common)):
        response = APIClient().post(
            "/api/v1/auth/register/",
            {
                "username": f"new-{language}",
                "password": password,
                "role": "household",
                "display_name": "新用户",
                "phone": "13900001111",
            },
            format="json",
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert response.status_code == 400
        messages = " ".join(response.json()["fields"]["password"])
        assert expected in messages, messages


def test_an_invalid_order_transition_over_the_api_answers_in_english():
    order = order_in("completed")
    response = client_for(order.worker.user).post(
        f"/api/v1/orders/{order.pk}/check-in/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 409, response.json()
    assert response.json()["code"] == "invalid_transition"
    assert response.json()["detail"].startswith("Order cannot go from “completed”")
