"""Organised health checks: officers schedule sessions, women book a place from the phone,
officers enter each result; a pass writes the woman's HealthCheck credential (the one matching
checks), valid until the date the officer gives.

A place is claimed by one conditional UPDATE on the session (open, not past, booked < capacity),
so simultaneous bookings never exceed the capacity; the unique constraint refuses a second
booking of the same woman.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import Conflict, InvalidTransition, NotFound, ValidationFailed
from marketplace.models import Division, User, WorkerProfile
from marketplace.services.credentials import health_check_add
from notifications.events import NOTIFICATION, send_event_on_commit
from programme.locks import lock_health_check_booking, lock_health_check_session
from programme.models import (
    DEFAULT_INSTITUTION,
    BookingStatus,
    HealthCheckBooking,
    HealthCheckSession,
    HealthCheckSessionStatus,
)

from .common import require_officer

RESULTS = (BookingStatus.PASSED, BookingStatus.FAILED, BookingStatus.ABSENT)
DEFAULT_VALID_DAYS = 365


@transaction.atomic
def health_check_session_create(
    *,
    actor: User,
    name: str,
    division: Division,
    place: str,
    held_on: dt.date,
    capacity: int,
    institution: str = DEFAULT_INSTITUTION,
) -> HealthCheckSession:
    """An officer schedules a health check. Raises ValidationFailed."""
    require_officer(actor)
    if not name.strip():
        raise ValidationFailed(_("请填写体检场次名称。"), field="name")
    if not place.strip():
        raise ValidationFailed(_("请填写体检地点。"), field="place")
    if capacity < 1:
        raise ValidationFailed(_("名额至少为 1。"), field="capacity")
    return HealthCheckSession.objects.create(
        name=name.strip(),
        division=division,
        place=place.strip(),
        held_on=held_on,
        capacity=capacity,
        institution=institution.strip() or DEFAULT_INSTITUTION,
        created_by=actor,
    )


def _refuse_booking(session: HealthCheckSession, today: dt.date) -> None:
    """Explain why the conditional UPDATE claimed no place."""
    if session.status != HealthCheckSessionStatus.OPEN:
        raise Conflict(_("该体检场次当前不接受预约。"), code="session_not_open")
    if session.held_on < today:
        raise Conflict(_("该体检场次已结束。"), code="session_past")
    raise Conflict(
        _("该体检场次名额已满。"), code="session_full", extra={"capacity": session.capacity}
    )


def health_check_book(
    *, session_id: int, worker: WorkerProfile, today: dt.date | None = None
) -> HealthCheckBooking:
    """A woman books a place; a cancelled booking of hers is booked again.

    Raises NotFound, Conflict `session_full` / `session_not_open` / `session_past` /
    `already_booked`.
    """
    today = today or timezone.localdate()
    session = HealthCheckSession.objects.filter(pk=session_id).first()
    if session is None:
        raise NotFound(_("体检场次不存在。"))
    existing = HealthCheckBooking.objects.filter(session=session, worker=worker).first()
    if existing is not None and existing.status != BookingStatus.CANCELLED:
        raise Conflict(
            _("您已预约该体检场次。"), code="already_booked", extra={"booking": existing.pk}
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            claimed = HealthCheckSession.objects.filter(
                pk=session.pk,
                status=HealthCheckSessionStatus.OPEN,
                held_on__gte=today,
                booked_count__lt=F("capacity"),
            ).update(booked_count=F("booked_count") + 1)
            if not claimed:
                session.refresh_from_db()
                _refuse_booking(session, today)
            if existing is not None:
                again = HealthCheckBooking.objects.filter(
                    pk=existing.pk, status=BookingStatus.CANCELLED
                ).update(status=BookingStatus.BOOKED, booked_at=now)
                if not again:
                    raise Conflict(_("您已预约该体检场次。"), code="already_booked")
                existing.refresh_from_db()
                return existing
            return HealthCheckBooking.objects.create(session=session, worker=worker, booked_at=now)
    except IntegrityError as error:  # a simultaneous booking of the same woman
        raise Conflict(_("您已预约该体检场次。"), code="already_booked") from error


def health_check_booking_cancel(
    *, booking_id: int, worker: WorkerProfile, today: dt.date | None = None
) -> HealthCheckBooking:
    """She gives her place back before the day. Locks the session, then the booking.

    Raises NotFound (not hers), InvalidTransition (not booked), Conflict `session_past`.
    """
    today = today or timezone.localdate()
    session_id = (
        HealthCheckBooking.objects.filter(pk=booking_id, worker=worker)
        .values_list("session_id", flat=True)
        .first()
    )
    if session_id is None:
        raise NotFound(_("体检预约不存在。"))
    with transaction.atomic():
        session = lock_health_check_session(session_id)
        booking = lock_health_check_booking(booking_id)
        if booking.status != BookingStatus.BOOKED:
            raise InvalidTransition(
                entity="health check booking",
                current=booking.status,
                target=BookingStatus.CANCELLED,
                detail=_("该预约当前不能取消。"),
            )
        if session.held_on < today:
            raise Conflict(_("体检日期已过，不能取消。"), code="session_past")
        booking.status = BookingStatus.CANCELLED
        booking.save(update_fields=["status"])
        HealthCheckSession.objects.filter(pk=session.pk).update(booked_count=F("booked_count") - 1)
    return booking


def health_check_result_record(
    *,
    booking_id: int,
    result: str,
    actor: User,
    valid_until: dt.date | None = None,
    today: dt.date | None = None,
) -> HealthCheckBooking:
    """An officer enters one woman's result on or after the day; a pass writes her HealthCheck
    (done on the session's day, valid until `valid_until`, a year by default), verified by the
    officer. Repeating the same result changes nothing.

    Raises ValidationFailed on `result` / `valid_until`, Conflict `session_not_held` (the day
    has not come), `result_recorded` (a different result is recorded), InvalidTransition
    (cancelled). Locks the booking row.
    """
    require_officer(actor)
    today = today or timezone.localdate()
    if result not in RESULTS:
        raise ValidationFailed(_("体检结果只能是合格、不合格或未到场。"), field="result")
    with transaction.atomic():
        booking = lock_health_check_booking(booking_id)
        if booking is None:
            raise NotFound(_("体检预约不存在。"))
        session = booking.session
        if booking.status == result:
            return booking
        if booking.status in RESULTS:
            raise Conflict(
                _("该体检预约已登记结果。"),
                code="result_recorded",
                extra={"result": booking.status},
            )
        if booking.status != BookingStatus.BOOKED:
            raise InvalidTransition(
                entity="health check booking",
                current=booking.status,
                target=result,
                detail=_("该预约已取消。"),
            )
        if session.held_on > today:
            raise Conflict(_("体检日期未到，不能登记结果。"), code="session_not_held")
        now = timezone.now()
        fields = ["status", "result_recorded_at", "result_recorded_by"]
        if result == BookingStatus.PASSED:
            valid_until = valid_until or session.held_on + dt.timedelta(days=DEFAULT_VALID_DAYS)
            booking.health_check = health_check_add(
                worker=booking.worker,
                done_on=session.held_on,
                valid_until=valid_until,
                institution=session.institution,
                verified_by=actor,
                now=now,
            )
            booking.valid_until = valid_until
            fields += ["health_check", "valid_until"]
        booking.status = result
        booking.result_recorded_at = now
        booking.result_recorded_by = actor
        booking.save(update_fields=fields)
        send_event_on_commit(
            event_type=NOTIFICATION,
            recipients=[booking.worker.user_id],
            payload={
                "kind": "health_check.result",
                "booking": booking.pk,
                "message": _("您在「%(name)s」的体检结果：%(result)s。")
                % {"name": session.name, "result": booking.get_status_display()},
            },
        )
    return booking
