"""The federation's organised health checks in the demo: one session held three weeks ago
with its results entered (passes wrote the women's health checks), two coming sessions with
women booked (and one who cancelled). No draws: the women are taken by username, among
trainees who already hold a health check, so the county's credential gaps stay as they are."""

import datetime as dt

from demo.bulk import DemoSummary, local_at
from demo.programme import ProgrammeYear
from marketplace.models import HealthCheck
from programme.models import (
    DEFAULT_INSTITUTION,
    BookingStatus,
    HealthCheckBooking,
    HealthCheckSession,
    HealthCheckSessionStatus,
)

PAST_RESULTS = [BookingStatus.PASSED] * 7 + [BookingStatus.FAILED] * 2 + [BookingStatus.ABSENT]
COMING = [(7, 40, 5), (14, 30, 4)]  # (days ahead, capacity, women booked)


def _women(year: ProgrammeYear, count: int) -> list[int]:
    checked = set(
        HealthCheck.objects.filter(worker_id__in=[w for w, _d in year.trainees]).values_list(
            "worker_id", flat=True
        )
    )
    chosen = sorted((year.usernames[w], w) for w, _d in year.trainees if w in checked)
    return [worker_id for _username, worker_id in chosen[:count]]


def _session(year: ProgrammeYear, index: int, held_on: dt.date, capacity: int, booked: int):
    division = year.divisions[(index * 3) % len(year.divisions)]
    return HealthCheckSession.objects.create(
        name=f"{division.name_zh}集中体检（{held_on:%m月%d日}）",
        division=division,
        place=f"{division.name_zh}卫生院",
        institution=DEFAULT_INSTITUTION,
        held_on=held_on,
        capacity=capacity,
        booked_count=booked,
        status=HealthCheckSessionStatus.CLOSED
        if held_on < year.today
        else HealthCheckSessionStatus.OPEN,
        created_by=year.officer,
    )


def demo_health_sessions_ensure(*, year: ProgrammeYear, summary: DemoSummary) -> None:
    """Three sessions and their bookings (inside demo_history_ensure's transaction)."""
    women = _women(year, len(PAST_RESULTS) + sum(n + 1 for _d, _c, n in COMING))
    if len(women) < len(PAST_RESULTS):
        return
    held = year.today - dt.timedelta(days=21)
    past = _session(year, 0, held, 30, len(PAST_RESULTS))
    bookings = []
    for worker_id, result in zip(women, PAST_RESULTS, strict=False):
        check = None
        if result == BookingStatus.PASSED:
            check = HealthCheck.objects.create(
                worker_id=worker_id,
                done_on=held,
                valid_until=held + dt.timedelta(days=365),
                institution=DEFAULT_INSTITUTION,
                verified_by=year.officer,
                verified_at=local_at(held + dt.timedelta(days=2), 15),
            )
        bookings.append(
            HealthCheckBooking(
                session=past,
                worker_id=worker_id,
                status=result,
                booked_at=local_at(held - dt.timedelta(days=6), 9),
                valid_until=check.valid_until if check else None,
                result_recorded_at=local_at(held + dt.timedelta(days=2), 15),
                result_recorded_by=year.officer,
                health_check=check,
            )
        )
    rest = women[len(PAST_RESULTS) :]
    for index, (ahead, capacity, wanted) in enumerate(COMING, start=1):
        asked, rest = rest[: wanted + 1], rest[wanted + 1 :]
        kept = max(0, len(asked) - 1)  # the last one asked for a place and gave it back
        session = _session(year, index, year.today + dt.timedelta(days=ahead), capacity, kept)
        for number, worker_id in enumerate(asked):
            bookings.append(
                HealthCheckBooking(
                    session=session,
                    worker_id=worker_id,
                    status=BookingStatus.CANCELLED if number == kept else BookingStatus.BOOKED,
                    booked_at=local_at(year.today - dt.timedelta(days=number + 1), 10),
                )
            )
    HealthCheckBooking.objects.bulk_create(bookings)
    summary.add("health_check_sessions", 1 + len(COMING))
    summary.add("health_check_bookings", len(bookings))
