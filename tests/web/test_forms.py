"""Every form puts its refusal next to the field it names, in Chinese and in English."""

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.models import User
from orders.models import Review, ServiceRequest
from orders.statuses import OrderStatus
from tests import factories
from tests.orders.flow_helpers import accepted_order, order_in
from tests.web.conftest import session_client

pytestmark = pytest.mark.django_db

LANGUAGES = ["zh-hans", "en"]


def field_error(response, field: str) -> str:
    """The text of the error list rendered next to `field` ('' when there is none)."""
    html = response.content.decode()
    marker = f'data-field-error="{field}"'
    if marker not in html:
        return ""
    return html.split(marker, 1)[1].split("</ul>", 1)[0]


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def request_post(**overrides) -> dict:
    starts_at = timezone.now() + dt.timedelta(days=2)
    data = {
        "kind": "one_off",
        "category": "housekeeper",
        "division": "371581001000",
        "address": "临清市青年路街道幸福小区3号楼",
        "starts_at": local(starts_at),
        "ends_at": local(starts_at + dt.timedelta(hours=3)),
        "budget": "150.50",
        "description": "",
        "idempotency_key": "k-1",
    }
    data.update(overrides)
    return data


# --- registration -------------------------------------------------------------------------


def test_registration_signs_in_a_new_household():
    client = session_client()
    response = client.post(
        "/accounts/register/",
        {
            "role": "household",
            "username": "new-family",
            "password": "Str0ng-pass-123",
            "display_name": "张家",
            "phone": "13812345678",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="new-family")
    assert user.is_household and user.household.phone == "+8613812345678"
    assert client.get("/requests/").status_code == 200


@pytest.mark.parametrize(
    ("language", "phone_message", "taken_message"),
    [
        ("zh-hans", "请输入11位中国大陆手机号码。", "该用户名已被使用。"),
        (
            "en",
            "Enter an 11-digit mainland China mobile number.",
            "This username is already taken.",
        ),
    ],
)
def test_registration_errors_sit_next_to_their_fields(language, phone_message, taken_message):
    factories.UserFactory(username="taken")
    client = session_client(language=language)
    body = {
        "role": "worker",
        "username": "fresh",
        "password": "Str0ng-pass-123",
        "display_name": "李",
        "phone": "12345",
    }
    response = client.post("/accounts/register/", body)
    assert response.status_code == 200
    assert phone_message in field_error(response, "phone")
    response = client.post(
        "/accounts/register/", {**body, "username": "taken", "phone": "13812345678"}
    )
    assert taken_message in field_error(response, "username")
    assert not User.objects.filter(username="fresh").exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_registration_refuses_a_weak_password(language):
    response = session_client(language=language).post(
        "/accounts/register/",
        {
            "role": "household",
            "username": "weak",
            "password": "123",
            "display_name": "a",
            "phone": "13812345678",
        },
    )
    assert field_error(response, "password")
    assert not User.objects.filter(username="weak").exists()


def test_sign_in_and_out_with_the_session():
    household = factories.HouseholdFactory().user
    client = session_client()
    response = client.post(
        "/accounts/login/", {"username": household.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/", follow=True).redirect_chain[-1][0] == "/requests/"
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/requests/").status_code == 302


@pytest.mark.parametrize(
    ("language", "message"),
    [("zh-hans", "请输入一个正确的"), ("en", "Please enter a correct username")],
)
def test_sign_in_refusal_is_translated(language, message):
    response = session_client(language=language).post(
        "/accounts/login/", {"username": "nobody", "password": "wrong"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()


# --- the request form ---------------------------------------------------------------------


def test_request_form_posts_budget_in_fen_at_shanghai_time():
    household = factories.HouseholdFactory().user
    client = session_client(household)
    body = request_post()
    response = client.post("/requests/new/", body)
    service_request = ServiceRequest.objects.get(household=household)
    assert response.status_code == 302
    assert response["Location"] == f"/requests/{service_request.pk}/"
    assert service_request.budget == 15050
    assert local(service_request.starts_at) == body["starts_at"]
    # A double tap sends the same idempotency key: still one request.
    client.post("/requests/new/", body)
    assert ServiceRequest.objects.filter(household=household).count() == 1


@pytest.mark.parametrize(
    ("language", "overrides", "field", "message"),
    [
        (
            "zh-hans",
            {"starts_at": "2020-01-01T09:00", "ends_at": "2020-01-01T12:00"},
            "starts_at",
            "开始时间必须晚于现在。",
        ),
        (
            "en",
            {"starts_at": "2020-01-01T09:00", "ends_at": "2020-01-01T12:00"},
            "starts_at",
            "The start time must be in the future.",
        ),
        ("zh-hans", {"budget": "0"}, "budget", "0.01"),
        ("en", {"budget": "abc"}, "budget", "Enter a number."),
        ("zh-hans", {"address": ""}, "address", "该字段是必填项。"),
        ("en", {"address": ""}, "address", "This field is required."),
        ("zh-hans", {"kind": "recurring"}, "recurrence_weekdays", "请选择每周的服务日。"),
        ("en", {"kind": "placement"}, "placement_mode", "live-in"),
        ("zh-hans", {"max_distance_km": "500"}, "max_distance_km", "200"),
    ],
)
def test_request_form_errors_sit_next_to_their_fields(language, overrides, field, message):
    household = factories.HouseholdFactory().user
    response = session_client(household, language).post("/requests/new/", request_post(**overrides))
    assert response.status_code == 200
    assert message in field_error(response, field), response.content.decode()[:0]
    assert not ServiceRequest.objects.filter(household=household).exists()


def test_request_form_keeps_what_the_household_typed():
    household = factories.HouseholdFactory().user
    body = request_post(budget="-1", description="请带拖把")
    response = session_client(household).post("/requests/new/", body)
    html = response.content.decode()
    assert "请带拖把" in html and body["address"] in html


# --- worker profile -------------------------------------------------------------------------


def profile_post(worker, **overrides) -> dict:
    data = {
        "real_name": worker.real_name,
        "phone": worker.phone,
        "bio": "",
        "division": "371581001000",
        "base_latitude": "36.85",
        "base_longitude": "115.70",
        "service_radius_km": "12",
        "categories": ["housekeeper", "hourly_cleaning"],
        "hourly_rate": "35.50",
        "is_accepting_offers": "on",
        "day_1": "on",
        "day_1_from": "09:00",
        "day_1_to": "17:00",
    }
    data.update(overrides)
    return data


def test_worker_saves_her_profile():
    worker = factories.WorkerFactory()
    response = session_client(worker.user).post("/worker/profile/edit/", profile_post(worker))
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.hourly_rate == 3550
    assert worker.service_radius_km == 12
    assert worker.availability == {"1": [["09:00", "17:00"]]}
    assert set(worker.categories.values_list("code", flat=True)) == {
        "housekeeper",
        "hourly_cleaning",
    }


@pytest.mark.parametrize(
    ("language", "overrides", "field", "message"),
    [
        ("zh-hans", {"service_radius_km": "0.1"}, "service_radius_km", "0.5"),
        ("en", {"service_radius_km": "0.1"}, "service_radius_km", "0.5"),
        ("zh-hans", {"phone": "123"}, "phone", "请输入11位中国大陆手机号码。"),
        ("en", {"phone": "123"}, "phone", "Enter an 11-digit mainland China mobile number."),
        ("zh-hans", {"base_longitude": ""}, "base_longitude", "纬度和经度"),
        ("en", {"real_name": ""}, "real_name", "This field is required."),
    ],
)
def test_profile_errors_sit_next_to_their_fields(language, overrides, field, message):
    worker = factories.WorkerFactory()
    before = (worker.service_radius_km, worker.phone, worker.base_longitude)
    response = session_client(worker.user, language).post(
        "/worker/profile/edit/", profile_post(worker, **overrides)
    )
    assert response.status_code == 200
    assert message in field_error(response, field)
    worker.refresh_from_db()
    assert (worker.service_radius_km, worker.phone, worker.base_longitude) == before


@pytest.mark.parametrize(("language", "message"), [("zh-hans", "同一天"), ("en", "overlap")])
def test_reversed_availability_is_refused_in_the_form(language, message):
    worker = factories.WorkerFactory()
    response = session_client(worker.user, language).post(
        "/worker/profile/edit/", profile_post(worker, day_1_from="17:00", day_1_to="09:00")
    )
    assert response.status_code == 200
    assert "data-form-errors" in response.content.decode()
    worker.refresh_from_db()
    assert worker.availability != {"1": [["17:00", "09:00"]]}


@pytest.mark.parametrize(
    ("language", "reason"),
    [("zh-hans", "还没有完成岗前培训。"), ("en", "pre-job training")],
)
def test_profile_lists_what_is_missing_to_be_matchable(language, reason):
    worker = factories.WorkerFactory(credentials=False)
    response = session_client(worker.user, language).get("/worker/profile/")
    html = response.content.decode()
    assert "data-missing" in html
    assert reason in html


# --- order forms ------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "words"), [("zh-hans", "取消费"), ("en", "cancellation fee")])
def test_cancel_shows_the_fee_before_cancelling(language, words):
    order = accepted_order(starts_at=timezone.now() + dt.timedelta(hours=3))
    client = session_client(order.household, language)
    response = client.get(f"/orders/{order.pk}/cancel/")
    html = response.content.decode()
    assert "data-cancel-preview" in html
    assert words in html
    assert "¥30.00" in html  # 20 % of ¥150.00
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_CONTRACT
    response = client.post(f"/orders/{order.pk}/cancel/", {"reason": "家里有事"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.cancellation_fee == 3000


@pytest.mark.parametrize(
    ("language", "message"), [("zh-hans", "该字段是必填项。"), ("en", "This field is required.")]
)
def test_review_without_rating_is_refused_next_to_the_field(language, message):
    order = order_in(OrderStatus.COMPLETED)
    response = session_client(order.household, language).post(
        f"/orders/{order.pk}/review/", {"comment": "好"}
    )
    assert response.status_code == 400
    assert message in field_error(response, "rating")
    assert not Review.objects.filter(order=order).exists()


def test_review_is_stored_once():
    order = order_in(OrderStatus.COMPLETED)
    client = session_client(order.household)
    assert (
        client.post(f"/orders/{order.pk}/review/", {"rating": 5, "comment": "好"}).status_code
        == 302
    )
    response = client.post(f"/orders/{order.pk}/review/", {"rating": 4}, follow=True)
    assert Review.objects.filter(order=order).count() == 1
    assert "data-review-form" not in response.content.decode()


@pytest.mark.parametrize(
    ("language", "message"), [("zh-hans", "该字段是必填项。"), ("en", "This field is required.")]
)
def test_empty_chat_message_is_refused_next_to_the_field(language, message):
    order = accepted_order()
    response = session_client(order.household, language).post(
        f"/orders/{order.pk}/chat/", {"body": ""}
    )
    assert response.status_code == 400
    assert message in field_error(response, "body")


def test_chat_without_socket_stores_the_message_once():
    order = accepted_order()
    client = session_client(order.household)
    body = {"body": "请问几点到？", "client_id": "c-1"}
    assert client.post(f"/orders/{order.pk}/chat/", body).status_code == 302
    client.post(f"/orders/{order.pk}/chat/", body)
    from chat.models import ChatMessage

    assert ChatMessage.objects.filter(order=order).count() == 1
    html = session_client(order.worker.user).get(f"/orders/{order.pk}/").content.decode()
    assert "请问几点到？" in html


def test_contract_page_shows_text_and_hash_and_signs():
    order = accepted_order()
    client = session_client(order.household)
    contract = order.contracts.get()
    html = client.get(f"/orders/{order.pk}/contract/").content.decode()
    assert contract.text_sha256 in html
    assert 'data-action="sign"' in html
    response = client.post(
        f"/orders/{order.pk}/contract/sign/", {"text_sha256": "0" * 64}, follow=True
    )
    assert not contract.signatures.exists()  # a stale hash signs nothing
    response = client.post(
        f"/orders/{order.pk}/contract/sign/", {"text_sha256": contract.text_sha256}
    )
    assert response.status_code == 302
    assert contract.signatures.filter(party="household").exists()


def test_money_and_time_are_shown_the_chinese_way():
    order = accepted_order()
    html = session_client(order.household).get(f"/orders/{order.pk}/").content.decode()
    local_start = timezone.localtime(order.starts_at)
    assert "¥150.00" in html
    assert f"{local_start:%Y-%m-%d}" in html and f"{local_start:%H:%M}" in html


def test_language_switch_posts_to_setlang():
    client = session_client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    html = client.get("/accounts/login/").content.decode()
    assert 'lang="en"' in html


@pytest.mark.parametrize(
    ("status", "shown"),
    [(OrderStatus.COMPLETED, "已完成"), (OrderStatus.IN_PROGRESS, "服务中"), (None, "待匹配")],
)
def test_the_request_list_says_where_her_order_stands(status, shown):
    """Once a request has an order, the list shows the order's status (已完成), not 已匹配."""
    if status is None:
        from tests.orders.flow_helpers import make_request

        household = make_request().household
    else:
        household = order_in(status).household
    html = session_client(household).get("/requests/").content.decode()
    assert f">{shown}</span>" in html
    assert ">已匹配</span>" not in html
