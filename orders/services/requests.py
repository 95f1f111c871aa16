"""Service requests: create (with idempotency key and occurrences), reopen or close after an
order ended, expire. (A household cancels its request in orders.services.cancellation.)

Kinds (PRODUCT.md §3): a one-off visit and a placement have one occurrence (the visit, or the
whole term); a recurring request has one occurrence per weekly visit, each at the first visit's
local time of day (Asia/Shanghai wall clock, converted through zoneinfo) on each weekday of
`recurrence_weekdays` from the start date through `recurrence_until`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import PermissionDeniedError, ValidationFailed
from backend.localtime import local_day, local_time, local_zone
from marketplace import geocoding
from marketplace.models import Category, Division, User
from orders.models import Occurrence, ServiceRequest
from orders.pricing import term_days
from orders.services.offers import offer_wave_send, offers_withdraw_pending
from orders.services.transitions import request_transition
from orders.statuses import (
    OccurrenceStatus,
    OrderStatus,
    RequestKind,
    RequestStatus,
)

# A plausible point for a service address: mainland China's bounding box.
LATITUDE_RANGE = (18.0, 54.0)
LONGITUDE_RANGE = (73.0, 135.0)
MAX_DISTANCE_RANGE_KM = (0.5, 200.0)
MAX_RECURRENCE_DAYS = 366
MAX_REQUEST_DAYS_AHEAD = 366


@dataclass(frozen=True)
class RequestInput:
    """What a household asks for; the API serializer builds it, services validate it."""

    category: Category
    division: Division
    address: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    budget: int
    description: str = ""
    latitude: float | None = None
    longitude: float | None = None
    max_distance_km: float | None = None
    kind: str = RequestKind.ONE_OFF
    recurrence_weekdays: tuple[int, ...] = ()
    recurrence_until: dt.date | None = None
    placement_mode: str = ""
    placement_price_unit: str = ""
    placement_unit_price: int | None = None
    trial_days: int = 0


def recurrence_slots(
    *,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    weekdays: tuple[int, ...] | list[int],
    until: dt.date,
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Every weekly visit, as aware UTC (start, end), at the first visit's local wall time."""
    local_start = local_time(starts_at)
    local_end = local_time(ends_at)
    day_span = (local_end.date() - local_start.date()).days
    wanted = set(weekdays)
    slots = []
    day = local_start.date()
    while day <= until:
        if day.weekday() in wanted:
            start = dt.datetime.combine(day, local_start.timetz().replace(tzinfo=None)).replace(
                tzinfo=local_zone()
            )
            end = dt.datetime.combine(
                day + dt.timedelta(days=day_span), local_end.timetz().replace(tzinfo=None)
            ).replace(tzinfo=local_zone())
            slots.append((start.astimezone(dt.UTC), end.astimezone(dt.UTC)))
        day += dt.timedelta(days=1)
    return slots


def request_validate(*, data: RequestInput, now: dt.datetime | None = None) -> None:
    """Check the business rules of a new request. Raises ValidationFailed naming the field."""
    now = now or timezone.now()
    if not data.address.strip():
        raise ValidationFailed(_("请填写服务地址。"), field="address")
    if data.starts_at <= now:
        raise ValidationFailed(_("开始时间必须晚于现在。"), field="starts_at")
    if data.starts_at > now + dt.timedelta(days=MAX_REQUEST_DAYS_AHEAD):
        raise ValidationFailed(_("开始时间不能晚于一年以后。"), field="starts_at")
    if data.ends_at <= data.starts_at:
        raise ValidationFailed(_("结束时间必须晚于开始时间。"), field="ends_at")
    if not isinstance(data.budget, int) or data.budget <= 0:
        raise ValidationFailed(_("预算必须是正整数（单位：分）。"), field="budget")
    if (data.latitude is None) != (data.longitude is None):
        missing = "longitude" if data.longitude is None else "latitude"
        raise ValidationFailed(_("经纬度须同时提供或都不提供。"), field=missing)
    if data.latitude is not None:
        if not LATITUDE_RANGE[0] <= data.latitude <= LATITUDE_RANGE[1]:
            raise ValidationFailed(_("纬度不在服务范围内。"), field="latitude")
        if not LONGITUDE_RANGE[0] <= data.longitude <= LONGITUDE_RANGE[1]:
            raise ValidationFailed(_("经度不在服务范围内。"), field="longitude")
    if data.max_distance_km is not None and not (
        MAX_DISTANCE_RANGE_KM[0] <= data.max_distance_km <= MAX_DISTANCE_RANGE_KM[1]
    ):
        raise ValidationFailed(_("最大距离须在0.5到200公里之间。"), field="max_distance_km")

    if data.kind == RequestKind.ONE_OFF:
        if data.ends_at - data.starts_at > dt.timedelta(hours=24):
            raise ValidationFailed(
                _("单次服务不能超过24小时；长期服务请选择驻家类型。"), field="ends_at"
            )
    elif data.kind == RequestKind.RECURRING:
        if not data.recurrence_weekdays:
            raise ValidationFailed(_("请选择每周的服务日。"), field="recurrence_weekdays")
        if any(day not in range(7) for day in data.recurrence_weekdays):
            raise ValidationFailed(
                _("服务日须为0（周一）到6（周日）。"), field="recurrence_weekdays"
            )
        if local_time(data.starts_at).weekday() not in data.recurrence_weekdays:
            raise ValidationFailed(
                _("每周服务日须包含首次服务的那一天。"), field="recurrence_weekdays"
            )
        if data.ends_at - data.starts_at > dt.timedelta(hours=24):
            raise ValidationFailed(_("每次服务不能超过24小时。"), field="ends_at")
        if data.recurrence_until is None:
            raise ValidationFailed(_("请填写周期截止日期。"), field="recurrence_until")
        start_day = local_day(data.starts_at)
        if data.recurrence_until < start_day:
            raise ValidationFailed(_("截止日期不能早于首次服务日。"), field="recurrence_until")
        if data.recurrence_until > start_day + dt.timedelta(days=MAX_RECURRENCE_DAYS):
            raise ValidationFailed(_("周期服务最长一年。"), field="recurrence_until")
    elif data.kind == RequestKind.PLACEMENT:
        if data.placement_mode not in ServiceRequest.PlacementMode.values:
            raise ValidationFailed(_("请选择住家或白班。"), field="placement_mode")
        if data.placement_price_unit not in ServiceRequest.PriceUnit.values:
            raise ValidationFailed(_("请选择按天或按月计价。"), field="placement_price_unit")
        if not isinstance(data.placement_unit_price, int) or data.placement_unit_price <= 0:
            raise ValidationFailed(
                _("单价必须是正整数（单位：分）。"), field="placement_unit_price"
            )
        if data.ends_at - data.starts_at < dt.timedelta(days=1):
            raise ValidationFailed(_("驻家服务期至少一天。"), field="ends_at")
        if data.trial_days < 0 or data.trial_days >= term_days(data.starts_at, data.ends_at):
            raise ValidationFailed(_("试用期须短于服务期。"), field="trial_days")
    else:
        raise ValidationFailed(_("未知的需求类型。"), field="kind")


def _occurrence_slots(data: RequestInput) -> list[tuple[dt.datetime, dt.datetime]]:
    if data.kind == RequestKind.RECURRING:
        return recurrence_slots(
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            weekdays=data.recurrence_weekdays,
            until=data.recurrence_until,
        )
    return [(data.starts_at, data.ends_at)]


def _existing_request(*, household: User, idempotency_key: str | None) -> ServiceRequest | None:
    """The household's request made earlier with this idempotency key, if any."""
    if not idempotency_key:
        return None
    return ServiceRequest.objects.filter(
        household=household, idempotency_key=idempotency_key
    ).first()


def _kind_fields(data: RequestInput) -> dict:
    """The fields of a request that only its kind uses (blank for the other kinds)."""
    is_recurring = data.kind == RequestKind.RECURRING
    is_placement = data.kind == RequestKind.PLACEMENT
    return {
        "recurrence_weekdays": sorted(set(data.recurrence_weekdays)) if is_recurring else [],
        "recurrence_until": data.recurrence_until if is_recurring else None,
        "placement_mode": data.placement_mode if is_placement else "",
        "placement_price_unit": data.placement_price_unit if is_placement else "",
        "placement_unit_price": data.placement_unit_price if is_placement else None,
        "trial_days": data.trial_days if is_placement else 0,
    }


def _request_insert(
    *,
    household: User,
    data: RequestInput,
    point: tuple[float, float, bool],
    slots: list,
    idempotency_key: str | None,
) -> ServiceRequest:
    """Insert the request and its occurrences (inside the caller's transaction)."""
    latitude, longitude, is_geocoded = point
    max_distance = data.max_distance_km
    if max_distance is None:
        max_distance = float(settings.MEIJIA["DEFAULT_MAX_DISTANCE_KM"])
    service_request = ServiceRequest.objects.create(
        household=household,
        category=data.category,
        division=data.division,
        address=data.address.strip(),
        latitude=latitude,
        longitude=longitude,
        is_geocoded=is_geocoded,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        budget=data.budget,
        description=data.description,
        max_distance_km=max_distance,
        kind=data.kind,
        idempotency_key=idempotency_key or None,
        **_kind_fields(data),
    )
    Occurrence.objects.bulk_create(
        [
            Occurrence(
                request=service_request, starts_at=start, ends_at=end, original_starts_at=start
            )
            for start, end in slots
        ]
    )
    return service_request


def request_create(
    *,
    household: User,
    data: RequestInput,
    idempotency_key: str | None = None,
    send_offers: bool = True,
) -> tuple[ServiceRequest, bool]:
    """Create a request, its occurrences and its first offer wave; returns (request, created).

    The same `idempotency_key` from the same household returns the first request (created =
    False); simultaneous calls are settled by the `request_idempotency_key` constraint.
    Raises ValidationFailed (field named) and PermissionDeniedError for non-households.
    Geocoding (possibly remote) runs before any transaction is opened.
    """
    if not household.is_household:
        raise PermissionDeniedError(_("只有雇主可以发布需求。"))
    existing = _existing_request(household=household, idempotency_key=idempotency_key)
    if existing is not None:
        return existing, False

    request_validate(data=data)
    point = (data.latitude, data.longitude, False)
    if data.latitude is None:
        found = geocoding.geocode(data.address, division=data.division)
        point = (found.latitude, found.longitude, True)

    slots = _occurrence_slots(data)
    if not slots:
        raise ValidationFailed(_("所选日期范围内没有服务日。"), field="recurrence_weekdays")
    try:
        with transaction.atomic():
            service_request = _request_insert(
                household=household,
                data=data,
                point=point,
                slots=slots,
                idempotency_key=idempotency_key,
            )
            if send_offers:
                offer_wave_send(request_id=service_request.pk)
    except IntegrityError:
        existing = _existing_request(household=household, idempotency_key=idempotency_key)
        if existing is None:
            raise
        return existing, False
    return service_request, True


def request_after_order_ended(
    *,
    request_id: int,
    reason: str,
    now: dt.datetime | None = None,
    reopen: bool = True,
    actor: User | None = None,
) -> ServiceRequest:
    """After its order was cancelled: reopen the request (new wave) if it has not started,
    else cancel it. Must run inside the caller's transaction (which holds the order lock; the
    request row is locked after it, as its UPDATE always did)."""
    now = now or timezone.now()
    service_request = ServiceRequest.objects.get(pk=request_id)
    # A visit the worker checked in to stays with the order that served it (its attendance).
    Occurrence.objects.filter(request_id=request_id, checked_in_at__isnull=True).exclude(
        order__status=OrderStatus.REPLACED
    ).update(order=None, worker=None)
    if reopen and service_request.starts_at > now:
        changed = request_transition(
            request_id=request_id,
            to_status=RequestStatus.OPEN,
            actor=actor,
            reason=reason,
            from_statuses=(RequestStatus.MATCHED,),
            updates={"matched_at": None},
            quiet=True,
        )
        if changed:
            offer_wave_send(request_id=request_id, now=now)
    else:
        request_transition(
            request_id=request_id,
            to_status=RequestStatus.CANCELLED,
            actor=actor,
            reason=reason,
            from_statuses=(RequestStatus.MATCHED, RequestStatus.OPEN),
            updates={"cancel_reason": reason[:200], "closed_at": now},
            quiet=True,
        )
        offers_withdraw_pending(request_id=request_id, now=now, actor=actor, reason=reason)
        Occurrence.objects.filter(request_id=request_id, checked_in_at__isnull=True).exclude(
            order__status=OrderStatus.REPLACED
        ).update(status=OccurrenceStatus.CANCELLED, change_reason=reason[:200])
    service_request.refresh_from_db()
    return service_request


def requests_expire_due(*, now: dt.datetime | None = None) -> int:
    """Expire open requests whose start has passed (one event each, and one per offer
    withdrawn); each row is claimed under its lock by a conditional UPDATE, so concurrent runs
    expire it once. Returns how many this call expired."""
    now = now or timezone.now()
    due_ids = list(
        ServiceRequest.objects.filter(status=RequestStatus.OPEN, starts_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    expired = 0
    for request_id in due_ids:
        with transaction.atomic():
            claimed = request_transition(
                request_id=request_id,
                to_status=RequestStatus.EXPIRED,
                actor=None,
                from_statuses=(RequestStatus.OPEN,),
                conditions={"starts_at__lte": now},
                updates={"closed_at": now},
                quiet=True,
            )
            if claimed:
                expired += 1
                offers_withdraw_pending(request_id=request_id, now=now)
    return expired
