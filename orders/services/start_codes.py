"""Proof of arrival: each visit has a one-time six-digit start code that the household sees on
its order page and the worker types to check in.

`order_check_in` calls `start_code_verify` before its transaction, so a wrong try stays counted
when the check-in is refused. Each try is compared and counted under the code row's lock, so
however many requests race, at most START_CODE_MAX_TRIES wrong guesses are compared per lock
period (the last one locks check-in to that visit for START_CODE_LOCK_MINUTES), a right code
is never counted as wrong, and a code already used answers `already_checked_in`. When
the phone reports a position it must be within CHECK_IN_MAX_DISTANCE_M of the service address.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from backend.exceptions import Conflict, NotFound, PermissionDeniedError, ValidationFailed
from marketplace.geo import great_circle_km
from marketplace.models import User
from orders.models import Occurrence, Order, StartCode
from orders.parties import party_of
from orders.statuses import OrderStatus, Party, RequestKind
from orders.visits import scheduled_visits, visit_to_check_in

START_CODE_LENGTH = 6
CODE_PATTERN = re.compile(r"^\d{6}$")


def _knob(name: str, default: int) -> int:
    return int(settings.MEIJIA.get(name, default))


def max_tries() -> int:
    return _knob("START_CODE_MAX_TRIES", 5)


def lock_minutes() -> int:
    return _knob("START_CODE_LOCK_MINUTES", 15)


def _new_code() -> str:
    return f"{secrets.randbelow(10**START_CODE_LENGTH):0{START_CODE_LENGTH}d}"


# --- which visit a code belongs to ----------------------------------------------------------


def start_code_visit(*, order: Order, now: dt.datetime | None = None) -> Occurrence | None:
    """The visit the worker's next check-in is for (None when nothing is left to check in)."""
    now = now or timezone.now()
    visits = scheduled_visits(order)
    if order.request.kind != RequestKind.RECURRING:
        return next((v for v in visits if not v.checked_in_at), None)
    return _recurring_visit(visits=visits, now=now)


def start_code_check_in_visit(*, order: Order) -> Occurrence | None:
    """The visit a one-off or placement check-in tries its code against: the one visit not yet
    checked in, else the one checked in last. A racer that read the order before the winner's
    check-in committed thus finds the winner's used code (`already_checked_in`), never a fresh
    code that would count her right code as a wrong try."""
    visits = scheduled_visits(order)
    waiting = [v for v in visits if not v.checked_in_at]
    if waiting:
        return waiting[0]
    return max(visits, key=lambda v: v.checked_in_at, default=None)


def _recurring_visit(*, visits, now: dt.datetime) -> Occurrence | None:
    try:
        return visit_to_check_in(visits=visits, occurrence_id=None, now=now)
    except Conflict as error:
        if error.code == "too_early":
            return next((v for v in visits if v.pk == error.extra.get("occurrence")), None)
        return None
    except NotFound:
        return None


def start_code_for_visit(*, order: Order, occurrence: Occurrence | None) -> StartCode:
    """The visit's code, made on first need (a unique constraint settles two first needs)."""
    lookup = {"order": order, "occurrence": occurrence}
    existing = StartCode.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return StartCode.objects.create(**lookup, code=_new_code())
    except IntegrityError:
        return StartCode.objects.get(**lookup)


def _household_order(*, order_id: int, user: User) -> Order:
    order = Order.objects.select_related("request", "worker").filter(pk=order_id).first()
    party = party_of(user, order) if order is not None else None
    if party is None:
        raise NotFound(_("订单不存在。"))
    if party != Party.HOUSEHOLD:
        raise PermissionDeniedError(_("只有雇主可以查看开工码。"), code="wrong_party")
    return order


CODE_STATUSES = (OrderStatus.CONFIRMED, OrderStatus.IN_PROGRESS)


def start_code_current(
    *, order_id: int, user: User, now: dt.datetime | None = None
) -> StartCode | None:
    """The household's code for the next visit (None outside confirmed / in progress).

    Raises NotFound (not a party), PermissionDeniedError (a party other than the household).
    """
    order = _household_order(order_id=order_id, user=user)
    if order.status not in CODE_STATUSES:
        return None
    visit = start_code_visit(order=order, now=now)
    if visit is None:
        return None
    return start_code_for_visit(order=order, occurrence=visit)


def start_code_regenerate(
    *, order_id: int, user: User, now: dt.datetime | None = None
) -> StartCode:
    """The household replaces the next visit's code (a code seen by someone else is void).

    Wrong-try counts and any lock stay. Raises NotFound, PermissionDeniedError, Conflict
    `no_visit_due`.
    """
    now = now or timezone.now()
    code = start_code_current(order_id=order_id, user=user, now=now)
    if code is None:
        raise Conflict(_("目前没有需要开工码的服务。"), code="no_visit_due")
    new = _new_code()
    if not StartCode.objects.filter(pk=code.pk, used_at__isnull=True).update(
        code=new, regenerated_at=now
    ):
        raise Conflict(_("这次服务已经签到过了。"), code="already_checked_in")
    code.refresh_from_db()
    return code


# --- verification ---------------------------------------------------------------------------


def _locked_message() -> str:
    return _("开工码错误次数过多，请%(minutes)s分钟后再试，或请雇主刷新开工码。") % {
        "minutes": lock_minutes()
    }


def _try_code(*, row_id: int, code: str, now: dt.datetime) -> tuple[str, StartCode]:
    """Compare one try under the code row's lock and count it: ("right" | "wrong" | "locked"
    | "used", row). The count commits with this short transaction, before the check-in's.

    Locks the StartCode row (its own transaction, nothing else held): tries of one visit are
    compared one at a time on both engines, so N concurrent tries compare at most
    START_CODE_MAX_TRIES wrong codes per lock period, and right ones never count as wrong.
    """
    with transaction.atomic():
        row = StartCode.objects.select_for_update().get(pk=row_id)
        if row.used_at is not None:
            return "used", row
        if row.locked_until is not None and row.locked_until > now:
            return "locked", row
        if row.locked_until is not None:  # the lock has run out: a new round
            row.failed_attempts, row.locked_until = 0, None
        if constant_time_compare(row.code, code):
            row.failed_attempts = 0  # a right code starts the count afresh
            outcome = "right"
        else:
            row.failed_attempts += 1
            if row.failed_attempts >= max_tries():
                row.locked_until = now + dt.timedelta(minutes=lock_minutes())
                outcome = "locked"
            else:
                outcome = "wrong"
        row.save(update_fields=["failed_attempts", "locked_until"])
    return outcome, row


def start_code_verify(
    *,
    order: Order,
    occurrence: Occurrence | None,
    code: str | None,
    latitude: float | None = None,
    longitude: float | None = None,
    now: dt.datetime | None = None,
) -> tuple[StartCode, int | None]:
    """Check the worker's start code (and position, when given) for one visit.

    Call outside the check-in transaction: a wrong try must stay counted. Returns the code row
    and the distance in metres (None without a position). Raises ValidationFailed on
    `start_code` (missing, malformed, wrong: `wrong_start_code` with `attempts_left`) or
    `latitude` (half a position), Conflict `check_in_locked`, `too_far_from_address`.
    """
    now = now or timezone.now()
    code = (code or "").strip()
    if not code:
        raise ValidationFailed(
            _("请输入雇主订单页上显示的6位开工码。"), field="start_code", code="start_code_required"
        )
    if not CODE_PATTERN.match(code):
        raise ValidationFailed(_("开工码是6位数字。"), field="start_code", code="invalid")
    if (latitude is None) != (longitude is None):
        raise ValidationFailed(_("请同时提供纬度和经度。"), field="latitude")
    row = start_code_for_visit(order=order, occurrence=occurrence)
    outcome, row = _try_code(row_id=row.pk, code=code, now=now)
    if outcome == "used":
        raise Conflict(_("这次服务已经签到过了。"), code="already_checked_in")
    if outcome == "locked":
        raise Conflict(
            _locked_message(),
            code="check_in_locked",
            extra={"locked_until": row.locked_until.isoformat()},
        )
    if outcome == "wrong":
        left = max(0, max_tries() - row.failed_attempts)
        raise ValidationFailed(
            _("开工码不正确，还可以再试%(left)s次。") % {"left": left},
            field="start_code",
            code="wrong_start_code",
            extra={"attempts_left": left},
        )
    distance_m = None
    if latitude is not None and longitude is not None:
        request = order.request
        distance_m = round(
            great_circle_km(latitude, longitude, request.latitude, request.longitude) * 1000
        )
        allowed = _knob("CHECK_IN_MAX_DISTANCE_M", 500)
        if distance_m > allowed:
            raise Conflict(
                _("您当前的位置距服务地址约%(distance)s米，需在%(allowed)s米以内才能签到。")
                % {"distance": distance_m, "allowed": allowed},
                code="too_far_from_address",
                extra={"distance_m": distance_m, "allowed_m": allowed},
            )
    if latitude is not None:
        row.latitude, row.longitude, row.distance_m = latitude, longitude, distance_m
    return row, distance_m


def start_code_consume(*, start_code: StartCode, now: dt.datetime) -> None:
    """Mark the code used inside the check-in transaction (one-time: a second use → 409)."""
    if not StartCode.objects.filter(pk=start_code.pk, used_at__isnull=True).update(
        used_at=now,
        latitude=start_code.latitude,
        longitude=start_code.longitude,
        distance_m=start_code.distance_m,
    ):
        raise Conflict(_("这次服务已经签到过了。"), code="already_checked_in")
