"""Bad input is a 400 (or an `error` frame) naming the field, never a crash, on both engines:
nested-JSON bombs, NaN/Infinity, out-of-range integers and dates, control characters in text.
One sweep runs every writable scalar field of every serializer through the rules; the API,
web and socket tests hit each class from several endpoints."""

import importlib
import inspect
import json
import pkgutil

import pytest
from channels.db import database_sync_to_async
from django.db.backends.base.operations import BaseDatabaseOperations
from django.test import Client
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from backend import input_rules
from chat.models import ChatMessage
from orders.models import Contract
from orders.services.contracts import contract_draft
from tests import factories
from tests.conftest import client_for

APPS = ["backend", "marketplace", "orders", "notifications", "programme", "chat", "metrics"]
NESTED = "[" * 5000 + "]" * 5000
CONTROL = ["a\x00b", "a\x07b", "\x1b[31m", "a\x7fb", "a\x85b", "\ufffe"]


# --- the sweep: every writable scalar field of every serializer --------------------------------


def _serializer_classes():
    found = {}
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if any(part in info.name for part in (".migrations", ".management", ".settings")):
                continue
            module = importlib.import_module(info.name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, serializers.BaseSerializer) and cls.__module__ == info.name:
                    found[f"{cls.__module__}.{cls.__name__}"] = cls
    return found


def _writable_fields():
    rows = []
    for name, cls in sorted(_serializer_classes().items()):
        try:
            fields = cls().fields
        except Exception:  # noqa: S112 - those that need arguments are covered through the API
            continue
        for field_name, field in fields.items():
            if field.read_only or isinstance(field, serializers.BaseSerializer):
                continue
            rows.append(pytest.param(field, id=f"{name}.{field_name}"))
    return rows


BAD_BY_TYPE = [
    (serializers.FloatField, ["NaN", "Infinity", "-Infinity", "nan", 1e300]),
    (serializers.DecimalField, ["NaN", "Infinity", "-Infinity"]),
    (serializers.IntegerField, [2**63, -(2**63), 2**31]),
    (serializers.DateTimeField, ["9999-12-31T23:59:59+08:00", "0001-01-01T00:00:00Z"]),
    (serializers.DateField, ["9999-12-31", "0001-01-01"]),
    (serializers.CharField, CONTROL),
]


@pytest.mark.parametrize("field", _writable_fields())
def test_every_writable_field_refuses_values_outside_the_rules(field):
    for kind, values in BAD_BY_TYPE:
        if not isinstance(field, kind):
            continue
        for value in values:
            if isinstance(field, serializers.IntegerField) and field.max_value is not None:
                if field.max_value >= 2**31 and value == 2**31:
                    continue
            with pytest.raises(ValidationError):
                field.run_validation(value)


def test_the_sweep_sees_the_fields_that_crashed_before():
    names = {param.id for param in _writable_fields()}
    for expected in [
        "orders.apis.serializers.contracts.ContractAmendInput.price",
        "chat.serializers.MessageCreateInput.body",
        "marketplace.serializers.WorkerSelfSerializer.service_radius_km",
    ]:
        assert expected in names


def test_the_rules_themselves():
    assert input_rules.text_problem("王秀英\n\t家政\r") is None
    assert input_rules.text_problem("a\x00")[0] == "control_characters"
    assert input_rules.integer_problem(2**31 - 1) is None
    assert input_rules.integer_problem(2**31)[0] == "out_of_range"
    assert input_rules.number_problem(float("nan"))[0] == "not_finite"
    assert input_rules.value_problem(["ok", "bad\x00"])[0] == "control_characters"


def test_model_integer_fields_take_the_range_every_engine_stores():
    """SQLite reports 64 bits for every integer column, PostgreSQL 16 or 32: a serializer built
    from a model takes the narrower, portable range, so a value never passes on one engine and
    fails on the other, and the published schema does not change with DATABASE_URL."""
    checked = 0
    for cls in _serializer_classes().values():
        if not issubclass(cls, serializers.ModelSerializer):
            continue
        try:
            fields = cls().fields
        except Exception:  # noqa: S112 - those that need arguments are covered through the API
            continue
        model = cls.Meta.model
        for name, field in fields.items():
            declared = name in cls._declared_fields
            if declared or field.read_only or not isinstance(field, serializers.IntegerField):
                continue
            try:
                model_field = model._meta.get_field(field.source)
            except Exception:  # noqa: S112 - not a model column
                continue
            portable = BaseDatabaseOperations.integer_field_ranges.get(
                model_field.get_internal_type()
            )
            if portable:
                assert portable[0] <= field.min_value and field.max_value <= portable[1], name
                checked += 1
    assert checked >= 5


# --- through the API ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "method, path, role",
    [
        ("patch", "/api/v1/workers/me/", "worker"),
        ("post", "/api/v1/requests/", "household"),
        ("post", "/api/v1/auth/token/", "worker"),
        ("post", "/api/v1/agencies/me/roster/", "agency"),
    ],
)
def test_a_nested_json_bomb_is_a_400(method, path, role):
    user = {
        "worker": lambda: factories.WorkerFactory().user,
        "household": lambda: factories.HouseholdFactory().user,
        "agency": lambda: factories.AgencyStaffFactory().user,
    }[role]()
    client = client_for(user)
    response = getattr(client, method)(path, NESTED, content_type="application/json")
    assert response.status_code == 400, response.content[:200]
    assert response.json()["code"] == "parse_error"


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e400"])
@pytest.mark.parametrize("field", ["service_radius_km", "base_latitude", "base_longitude"])
def test_non_finite_floats_are_refused_and_nothing_is_saved(field, value):
    worker = factories.WorkerFactory()
    before = getattr(worker, field)
    body = {field: value}
    if field != "service_radius_km":
        body = {"base_latitude": value, "base_longitude": value}
    response = client_for(worker.user).patch("/api/v1/workers/me/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] and response.json()["detail"]
    worker.refresh_from_db()
    assert getattr(worker, field) == before
    assert client_for(worker.user).get("/api/v1/workers/me/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("month", ["9999-12", "0001-01", "1000-01"])
def test_statement_months_out_of_range_are_400(month):
    worker = factories.WorkerFactory()
    staff = factories.AgencyStaffFactory()
    for user, path in [
        (worker.user, "/api/v1/workers/me/statements/"),
        (worker.user, "/api/v1/workers/me/statements.csv"),
        (staff.user, "/api/v1/agencies/me/statements/"),
    ]:
        response = client_for(user).get(path, {"month": month})
        assert response.status_code == 400, (path, response.content[:200])
        assert response.json()["field"] == "month"
    web = Client()
    web.force_login(staff.user)
    assert web.get("/agency/statement/", {"month": month}).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("price", [2**63, 2**31, -(2**63)])
def test_huge_amendment_prices_and_rates_are_refused(price):
    order = factories.OrderFactory()
    contract_draft(order=order)
    client = client_for(order.household)
    url = f"/api/v1/orders/{order.pk}/contract/amend/"
    response = client.post(url, {"reason": "改价", "price": price}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "price"
    assert Contract.objects.filter(order=order).count() == 1  # no new version drafted
    order.refresh_from_db()
    assert order.price != price
    worker = factories.WorkerFactory()
    response = client_for(worker.user).patch(
        "/api/v1/workers/me/", {"hourly_rate": price}, format="json"
    )
    assert response.status_code == 400 and response.json()["field"] == "hourly_rate"


@pytest.mark.django_db
@pytest.mark.parametrize("text", CONTROL)
def test_control_characters_are_refused_on_rest_text_fields(text):
    worker = factories.WorkerFactory()
    response = client_for(worker.user).patch("/api/v1/workers/me/", {"bio": text}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "control_characters" and body["field"] == "bio"
    order = factories.OrderFactory()
    response = client_for(order.household).post(
        f"/api/v1/orders/{order.pk}/messages/", {"body": text}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "control_characters"
    assert not ChatMessage.objects.exists()


@pytest.mark.django_db
def test_web_forms_follow_the_same_rules():
    worker = factories.WorkerFactory()
    from web.forms import WorkerProfileForm

    data = {k: v for k, v in WorkerProfileForm.initial_for(worker).items() if v is not None}
    data["bio"] = "坏\x00字"
    web = Client()
    web.force_login(worker.user)
    assert web.post("/worker/profile/edit/", data).status_code == 200  # the form again
    worker.refresh_from_db()
    assert "\x00" not in worker.bio


# --- over the socket ----------------------------------------------------------------------------


@database_sync_to_async
def _order():
    return factories.OrderFactory()


@database_sync_to_async
def _messages(order):
    return ChatMessage.objects.filter(order=order).count()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_socket_bad_frames_get_an_error_and_the_socket_stays_open():
    from tests.notifications.sockets import connected, receive, receive_type

    order = await _order()
    communicator = await connected(order.household)
    frames = [
        ({"type": ["chat.send"]}, "unknown_type"),
        ({"type": {"a": 1}}, "unknown_type"),
        ({"type": 7}, "unknown_type"),
        ({"type": None}, "unknown_type"),
        (NESTED, "invalid_json"),
        (
            {"type": "chat.send", "order": order.pk, "body": "a\x00b", "client_id": "c1"},
            "control_characters",
        ),
        (
            {"type": "chat.send", "order": order.pk, "body": "\x1b[2J", "client_id": "c2"},
            "control_characters",
        ),
        (
            {"type": "chat.send", "order": order.pk, "body": "hi", "client_id": "c\x00"},
            "control_characters",
        ),
        ({"type": "chat.read", "order": order.pk, "up_to": 2**63}, "out_of_range"),
        ({"type": "resync", "order": 2**63, "after": 0}, "out_of_range"),
    ]
    try:
        for frame, code in frames:
            raw = frame if isinstance(frame, str) else json.dumps(frame)
            await communicator.send_to(text_data=raw)
            answer = await receive(communicator)
            assert answer["type"] == "error" and answer["code"] == code, (frame, answer)
            await communicator.send_json_to({"type": "ping"})
            assert await receive_type(communicator, "pong")
        assert await _messages(order) == 0
    finally:
        await communicator.disconnect()
