"""Start codes under races, on both engines (file-backed SQLite and PostgreSQL, real threads):
right codes racing each other are never counted as wrong tries nor lock the visit, and a code
already used answers `already_checked_in` without counting."""

import threading

import pytest
from django.db import close_old_connections

from backend.exceptions import DomainError
from orders.models import Order, StartCode
from orders.services import start_codes
from orders.services.attendance import order_check_in
from orders.statuses import OrderStatus
from tests import factories
from tests.conftest import client_for
from tests.orders.flow_helpers import order_in, start_code


def confirmed_order():
    return order_in(OrderStatus.CONFIRMED, starts_at=factories.future(1))


def race(order, codes: list[str]) -> list[str]:
    """Each code tried by its own thread at once; the outcome of each ("ok" or the error)."""
    results: list[str] = []
    barrier = threading.Barrier(len(codes))

    def attempt(code: str):
        close_old_connections()
        try:
            barrier.wait(timeout=30)
            order_check_in(order_id=order.pk, actor=order.worker.user, start_code=code)
            results.append("ok")
        except DomainError as error:
            results.append(error.code)
        except Exception as error:  # noqa: BLE001 - reported, and fails the test below
            results.append(type(error).__name__)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=attempt, args=(code,)) for code in codes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.django_db(transaction=True)
def test_right_codes_racing_check_in_once_and_count_no_wrong_try(settings):
    settings.MEIJIA = {**settings.MEIJIA, "START_CODE_MAX_TRIES": 3}
    order = confirmed_order()
    code = start_code(order)
    results = race(order, [code] * 8)  # more racers than tries
    assert results.count("ok") == 1, results
    assert set(results) <= {"ok", "already_checked_in", "invalid_transition"}, results
    row = StartCode.objects.get(order=order)
    assert row.failed_attempts == 0 and row.locked_until is None and row.used_at is not None
    assert Order.objects.get(pk=order.pk).status == OrderStatus.IN_PROGRESS


@pytest.mark.django_db(transaction=True)
def test_wrong_and_right_codes_racing_never_lock_out_the_right_one(settings):
    settings.MEIJIA = {**settings.MEIJIA, "START_CODE_MAX_TRIES": 5}
    order = confirmed_order()
    code = start_code(order)
    wrong = "000000" if code != "000000" else "111111"
    results = race(order, [wrong] * 4 + [code] * 4)
    assert results.count("ok") == 1, results
    assert "check_in_locked" not in results
    assert results.count("wrong_start_code") <= 4
    assert set(results) <= {"ok", "wrong_start_code", "already_checked_in", "invalid_transition"}
    assert StartCode.objects.get(order=order).locked_until is None


@pytest.mark.django_db(transaction=True)
def test_concurrent_wrong_guesses_compare_at_most_the_limit(settings):
    settings.MEIJIA = {**settings.MEIJIA, "START_CODE_MAX_TRIES": 4}
    order = confirmed_order()
    code = start_code(order)
    wrong = "000000" if code != "000000" else "111111"
    results = race(order, [wrong] * 10)
    assert results.count("wrong_start_code") == 3, results  # the fourth wrong one locks
    assert results.count("check_in_locked") == 7, results
    row = StartCode.objects.get(order=order)
    assert row.failed_attempts == 4 and row.locked_until is not None


@pytest.mark.django_db
def test_a_used_code_again_over_the_api_is_not_a_wrong_try():
    order = confirmed_order()
    code = start_code(order)
    worker = client_for(order.worker.user)
    url = f"/api/v1/orders/{order.pk}/check-in/"
    assert worker.post(url, {"start_code": code}, format="json").status_code == 200
    for _ in range(6):
        again = worker.post(url, {"start_code": code}, format="json")
        assert again.status_code == 409 and again.json()["code"] in (
            "invalid_transition",
            "already_checked_in",
        )
    assert StartCode.objects.get(order=order).failed_attempts == 0


@pytest.mark.django_db
def test_a_racer_that_read_the_order_before_the_check_in_finds_the_used_code(monkeypatch):
    """The interleaving the thread race hits under load, made certain: a second try has read the
    order while it was still confirmed, and the winner's check-in commits just before the second
    try looks up which visit its code belongs to."""
    order = confirmed_order()
    code = start_code(order)
    real_visits = start_codes.scheduled_visits

    def winner_checks_in_first(order_arg):
        monkeypatch.setattr(start_codes, "scheduled_visits", real_visits)
        order_check_in(order_id=order.pk, actor=order.worker.user, start_code=code)
        return real_visits(order_arg)

    monkeypatch.setattr(start_codes, "scheduled_visits", winner_checks_in_first)
    with pytest.raises(DomainError) as raised:
        order_check_in(order_id=order.pk, actor=order.worker.user, start_code=code)
    assert raised.value.code == "already_checked_in"
    assert StartCode.objects.filter(order=order).count() == 1
    row = StartCode.objects.get(order=order)
    assert row.failed_attempts == 0 and row.used_at is not None
