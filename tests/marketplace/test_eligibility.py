"""Eligibility rules one by one (PRODUCT.md §3), in the SQL selector and the per-worker check."""

import datetime as dt
from functools import partial

import pytest
from django.utils import timezone

from marketplace.selectors import eligibility, eligible_workers
from marketplace.selectors.eligibility import is_available, service_dates
from orders.models import Occurrence
from orders.selectors import busy_visits, is_worker_busy
from tests import factories

worker_eligibility = partial(eligibility.worker_eligibility, busy=busy_visits)

pytestmark = pytest.mark.django_db

LOCAL = dt.timezone(dt.timedelta(hours=8))


def slot(days=2, hours=3, start_hour=9):
    start = dt.datetime.combine(
        timezone.localdate() + dt.timedelta(days=days), dt.time(start_hour), tzinfo=LOCAL
    )
    return (start, start + dt.timedelta(hours=hours))


def check(worker, code="housekeeper", slots=None):
    """(in the SQL selector?, reasons from worker_eligibility) — the two must agree."""
    category = factories.category(code)
    slots = slots if slots is not None else [slot()]
    starts_on, ends_on = service_dates(slots)
    in_sql = (
        eligible_workers(category=category, starts_on=starts_on, ends_on=ends_on)
        .filter(pk=worker.pk)
        .exists()
    )
    result = worker_eligibility(worker=worker, category=category, slots=slots)
    assert in_sql == (result.is_eligible or result.reasons in (["busy"],))
    return in_sql, result.reasons


def test_the_factory_worker_is_eligible():
    assert check(factories.WorkerFactory()) == (True, [])


def test_expired_certificate():
    worker = factories.WorkerFactory(credentials=False)
    factories.CertificateFactory(worker=worker, expires_on=timezone.localdate())
    factories.TrainingRecordFactory(worker=worker)
    factories.HealthCheckFactory(worker=worker)
    assert check(worker) == (False, ["certificate_expired"])


def test_certificate_expiring_before_the_service_end():
    worker = factories.WorkerFactory()
    worker.certificates.update(expires_on=timezone.localdate() + dt.timedelta(days=10))
    assert check(worker, slots=[slot(days=2)])[0] is True
    assert check(worker, slots=[slot(days=2), slot(days=12)]) == (False, ["certificate_expired"])


def test_certificate_without_expiry_never_expires():
    worker = factories.WorkerFactory()
    worker.certificates.update(expires_on=None)
    assert check(worker, slots=[slot(days=4000)])[1] != ["certificate_expired"]
    assert "certificate_expired" not in check(worker, slots=[slot(days=4000)])[1]


def test_revoked_certificate():
    worker = factories.WorkerFactory()
    worker.certificates.update(is_revoked=True)
    assert check(worker) == (False, ["certificate_revoked"])


def test_unverified_certificate():
    worker = factories.WorkerFactory()
    worker.certificates.update(verified_at=None)
    assert check(worker) == (False, ["certificate_unverified"])


def test_certificate_of_another_trade_does_not_count():
    worker = factories.WorkerFactory(trades=["housekeeper", "elderly_carer"], credentials=False)
    factories.CertificateFactory(worker=worker, category=factories.category("housekeeper"))
    factories.TrainingRecordFactory(worker=worker)
    factories.HealthCheckFactory(worker=worker)
    assert check(worker, "elderly_carer") == (False, ["no_certificate"])


def test_missing_health_check():
    worker = factories.WorkerFactory()
    worker.health_checks.all().delete()
    assert check(worker) == (False, ["no_health_check"])


def test_unverified_health_check():
    worker = factories.WorkerFactory()
    worker.health_checks.update(verified_at=None)
    assert check(worker) == (False, ["no_health_check"])


def test_health_check_expiring_before_the_service_end():
    worker = factories.WorkerFactory()
    worker.health_checks.update(valid_until=timezone.localdate() + dt.timedelta(days=5))
    assert check(worker, slots=[slot(days=2)])[0] is True
    assert check(worker, slots=[slot(days=2), slot(days=9)]) == (False, ["health_check_expired"])


def test_missing_pre_job_training():
    worker = factories.WorkerFactory()
    worker.training_records.update(kind="refresher")
    assert check(worker) == (False, ["no_pre_job_training"])


def test_unverified_pre_job_training():
    worker = factories.WorkerFactory()
    worker.training_records.update(verified_at=None)
    assert check(worker) == (False, ["no_pre_job_training"])


def test_unverified_worker():
    assert check(factories.WorkerFactory(is_verified=False)) == (False, ["not_verified"])


def test_inactive_user():
    worker = factories.WorkerFactory()
    worker.user.is_active = False
    worker.user.save()
    assert check(worker) == (False, ["inactive"])


def test_not_accepting_offers():
    worker = factories.WorkerFactory(is_accepting_offers=False)
    assert check(worker) == (False, ["not_accepting_offers"])


def test_trade_not_held():
    worker = factories.WorkerFactory(trades=["hourly_cleaning"])
    assert check(worker, "housekeeper") == (False, ["trade_not_held", "no_certificate"])


def test_hourly_cleaning_needs_no_certificate():
    worker = factories.WorkerFactory(trades=["hourly_cleaning"])
    assert worker.certificates.count() == 0
    assert check(worker, "hourly_cleaning") == (True, [])


def test_several_missing_credentials_are_all_reported():
    worker = factories.WorkerFactory(credentials=False)
    assert check(worker)[1] == ["no_certificate", "no_pre_job_training", "no_health_check"]


# --- busy time ---------------------------------------------------------------------------------


def busy_with(worker, start, end, *, order_status="confirmed", occurrence_status="scheduled"):
    order = factories.OrderFactory(
        worker=worker,
        status=order_status,
        request__starts_at=start,
        request__ends_at=end,
    )
    Occurrence.objects.filter(order=order).update(status=occurrence_status)
    return order


def test_overlapping_active_order_makes_her_busy():
    worker = factories.WorkerFactory()
    start, end = slot()
    order = busy_with(worker, start + dt.timedelta(hours=1), end + dt.timedelta(hours=1))
    assert is_worker_busy(worker_id=worker.pk, slots=[(start, end)])
    # credentials still hold (the SQL selector keeps her); busy time is reported separately
    assert check(worker, slots=[(start, end)]) == (True, ["busy"])
    # the order itself can be left out (e.g. moving its own occurrence)
    assert not is_worker_busy(worker_id=worker.pk, slots=[(start, end)], exclude_order_id=order.pk)


@pytest.mark.parametrize("status", ["cancelled", "replaced", "completed"])
def test_ended_orders_do_not_hold_her_time(status):
    worker = factories.WorkerFactory()
    start, end = slot()
    busy_with(worker, start, end, order_status=status)
    assert not is_worker_busy(worker_id=worker.pk, slots=[(start, end)])


@pytest.mark.parametrize("status", ["pending_contract", "in_progress", "disputed"])
def test_every_live_order_status_holds_her_time(status):
    worker = factories.WorkerFactory()
    start, end = slot()
    busy_with(worker, start, end, order_status=status)
    assert is_worker_busy(worker_id=worker.pk, slots=[(start, end)])


def test_cancelled_occurrence_does_not_hold_her_time():
    worker = factories.WorkerFactory()
    start, end = slot()
    busy_with(worker, start, end, occurrence_status="cancelled")
    assert not is_worker_busy(worker_id=worker.pk, slots=[(start, end)])


def test_touching_intervals_do_not_overlap():
    worker = factories.WorkerFactory()
    start, end = slot()
    busy_with(worker, start, end)
    before = (start - dt.timedelta(hours=2), start)
    after = (end, end + dt.timedelta(hours=2))
    assert not is_worker_busy(worker_id=worker.pk, slots=[before, after])
    one_minute_in = (end - dt.timedelta(minutes=1), end + dt.timedelta(hours=1))
    assert is_worker_busy(worker_id=worker.pk, slots=[one_minute_in])


def test_any_slot_of_a_recurring_request_counts():
    worker = factories.WorkerFactory()
    start, end = slot(days=16)
    busy_with(worker, start, end)
    weekly = [slot(days=2), slot(days=9), slot(days=16), slot(days=23)]
    assert is_worker_busy(worker_id=worker.pk, slots=weekly)
    assert not is_worker_busy(worker_id=worker.pk, slots=weekly[:2] + weekly[3:])


def test_another_workers_order_does_not_make_her_busy():
    worker = factories.WorkerFactory()
    start, end = slot()
    busy_with(factories.WorkerFactory(), start, end)
    assert not is_worker_busy(worker_id=worker.pk, slots=[(start, end)])


# --- weekly availability ------------------------------------------------------------------


def test_availability_pattern_in_local_time():
    monday = dt.date(2026, 3, 2)
    start = dt.datetime.combine(monday, dt.time(9), tzinfo=LOCAL)
    pattern = {"0": [["08:00", "12:00"], ["12:00", "18:00"]]}
    assert is_available({}, [(start, start + dt.timedelta(hours=3))])
    assert is_available(pattern, [(start, start + dt.timedelta(hours=8))])  # joined intervals
    assert not is_available(pattern, [(start, start + dt.timedelta(hours=10))])
    tuesday = start + dt.timedelta(days=1)
    assert not is_available(pattern, [(tuesday, tuesday + dt.timedelta(hours=1))])
    # 01:00 UTC on Monday is 09:00 in Shanghai
    utc = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
    assert is_available(pattern, [(utc, utc + dt.timedelta(hours=2))])


def test_availability_across_midnight_needs_both_days():
    sunday_night = dt.datetime(2026, 3, 1, 22, 0, tzinfo=LOCAL)
    slot_ = (sunday_night, sunday_night + dt.timedelta(hours=4))
    assert not is_available({"6": [["20:00", "24:00"]]}, [slot_])
    assert is_available({"6": [["20:00", "24:00"]], "0": [["00:00", "06:00"]]}, [slot_])


def test_outside_availability_is_a_reason():
    worker = factories.WorkerFactory(availability={"5": [["08:00", "12:00"]]})
    start, end = slot()
    expected = [] if start.weekday() == 5 else ["outside_availability"]
    assert (
        worker_eligibility(
            worker=worker, category=factories.category(), slots=[(start, end)]
        ).reasons
        == expected
    )
