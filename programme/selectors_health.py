"""Reads of the organised health checks: what each actor may see."""

from __future__ import annotations

from django.db.models import QuerySet

from marketplace.models import User
from programme.models import HealthCheckBooking, HealthCheckSession, HealthCheckSessionStatus
from programme.permissions import AGENCY, OFFICER, WORKER, actor_kind


def health_sessions_visible_to(*, user: User) -> QuerySet[HealthCheckSession]:
    """Officers: every session; workers and agency staff: those not cancelled."""
    sessions = HealthCheckSession.objects.select_related("division")
    kind = actor_kind(user)
    if kind == OFFICER:
        return sessions
    if kind in (WORKER, AGENCY):
        return sessions.exclude(status=HealthCheckSessionStatus.CANCELLED)
    return sessions.none()


def health_bookings_visible_to(*, user: User) -> QuerySet[HealthCheckBooking]:
    bookings = HealthCheckBooking.objects.select_related(
        "session", "session__division", "worker", "health_check"
    )
    kind = actor_kind(user)
    if kind == OFFICER:
        return bookings
    if kind == WORKER:
        return bookings.filter(worker__user=user)
    return bookings.none()
