"""A worker's own profile: location, radius, trades, availability, rate, ID number."""

import re
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from backend.exceptions import ValidationFailed
from backend.fact_changes import worker_facts_changed
from marketplace import idcard
from marketplace.geo import cell_for
from marketplace.locks import lock_worker
from marketplace.models import (
    Category,
    CodePurpose,
    ConsentKind,
    Division,
    User,
    WorkerProfile,
)
from marketplace.services.consents import consent_record
from marketplace.services.identity import identity_snapshot, worker_identity_changed
from marketplace.services.phone_codes import code_issue

UNSET: Any = object()
TIME_PATTERN = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")
WEEKDAYS = {str(day) for day in range(7)}


def availability_normalize(pattern: Any) -> dict[str, list[list[str]]]:
    """Check a weekly pattern {"0".."6": [["HH:MM", "HH:MM"], ...]} (Monday = "0").

    Returns it with each day's windows sorted. Raises ValidationFailed (field "availability")
    for an unknown day, a malformed time, an empty or reversed window, or overlapping windows.
    """
    if pattern in (None, ""):
        return {}
    if not isinstance(pattern, dict):
        raise ValidationFailed(_("每周可服务时间格式不正确。"), field="availability")
    normalized: dict[str, list[list[str]]] = {}
    for day, windows in pattern.items():
        if str(day) not in WEEKDAYS:
            raise ValidationFailed(_("星期必须是 0（周一）到 6（周日）。"), field="availability")
        if not isinstance(windows, list):
            raise ValidationFailed(_("每周可服务时间格式不正确。"), field="availability")
        cleaned = []
        for window in windows:
            if (
                not isinstance(window, list | tuple)
                or len(window) != 2
                or not all(isinstance(t, str) and TIME_PATTERN.match(t) for t in window)
            ):
                raise ValidationFailed(_('时间段应为 ["HH:MM", "HH:MM"]。'), field="availability")
            start, end = window
            if start >= end:
                raise ValidationFailed(
                    _("时间段的结束时间必须晚于开始时间。"), field="availability"
                )
            cleaned.append([start, end])
        cleaned.sort()
        for before, after in zip(cleaned, cleaned[1:], strict=False):
            if after[0] < before[1]:
                raise ValidationFailed(_("同一天的时间段不能重叠。"), field="availability")
        if cleaned:
            normalized[str(day)] = cleaned
    return dict(sorted(normalized.items()))


@transaction.atomic
def worker_profile_update(
    *,
    worker: WorkerProfile,
    real_name: str = UNSET,
    phone: str = UNSET,
    bio: str = UNSET,
    division: Division | None = UNSET,
    base_latitude: float | None = UNSET,
    base_longitude: float | None = UNSET,
    service_radius_km: float = UNSET,
    categories: Iterable[Category] = UNSET,
    hourly_rate: int = UNSET,
    availability: dict = UNSET,
    is_accepting_offers: bool = UNSET,
    id_card_number: str = UNSET,
    actor: User | None = None,
) -> WorkerProfile:
    """Apply the given changes to a worker's own profile; omitted arguments stay as they are.

    A new name or ID number clears `is_verified` and is recorded
    (marketplace.services.identity). Raises ValidationFailed naming the field; locks the
    profile row.
    """
    worker = lock_worker(worker.pk)
    before = identity_snapshot(worker)
    changed: list[str] = []
    put = _field_setter(worker, changed)
    put("real_name", real_name)
    put("phone", phone)
    put("bio", bio)
    put("division", division)
    put("service_radius_km", service_radius_km)
    put("hourly_rate", hourly_rate)
    put("is_accepting_offers", is_accepting_offers)
    if availability is not UNSET:
        put("availability", availability_normalize(availability))
    _base_point_put(worker, put, base_latitude=base_latitude, base_longitude=base_longitude)
    if id_card_number is not UNSET:
        changed += _id_card_put(worker, id_card_number)
        if worker.id_card_last4:  # a number entered under the notice of its purpose
            consent_record(user=worker.user, kind=ConsentKind.ID_CARD, recorded_by=actor)

    if "phone" in changed:
        _phone_follows(worker)
    if changed:
        worker.save(update_fields=changed)
        worker_identity_changed(
            worker=worker, before=before, actor_id=actor.pk if actor is not None else worker.user_id
        )
    if "division" in changed:  # trained / certified women are counted in her division
        worker_facts_changed(worker_id=worker.pk)
    if categories is not UNSET:
        worker.categories.set(list(categories))
        worker_facts_changed(worker_id=worker.pk)  # her health checks count in her trades
    return worker


def _phone_follows(worker: WorkerProfile) -> None:
    """A new number is hers only once verified: the account's phone follows it unverified, and
    a code goes to it. Raises ValidationFailed (field phone) when another account holds it."""
    taken = User.objects.filter(phone=worker.phone).exclude(pk=worker.user_id).exists()
    if taken or WorkerProfile.objects.filter(phone=worker.phone).exclude(pk=worker.pk).exists():
        raise ValidationFailed(_("该手机号已被其他账号使用。"), field="phone", code="unique")
    User.objects.filter(pk=worker.user_id).update(phone=worker.phone, phone_verified_at=None)
    code_issue(user=worker.user, phone=worker.phone, purpose=CodePurpose.VERIFY)


def _field_setter(worker: WorkerProfile, changed: list[str]) -> Callable[[str, Any], None]:
    """A setter that changes a field when given a value that differs, and notes its name."""

    def put(field: str, value: Any) -> None:
        if value is not UNSET and getattr(worker, field) != value:
            setattr(worker, field, value)
            changed.append(field)

    return put


def _base_point_put(worker: WorkerProfile, put, *, base_latitude, base_longitude) -> None:
    """Set the base point (both coordinates or neither) and its geo cell."""
    latitude = worker.base_latitude if base_latitude is UNSET else base_latitude
    longitude = worker.base_longitude if base_longitude is UNSET else base_longitude
    if (latitude is None) != (longitude is None):
        field = "base_longitude" if longitude is None else "base_latitude"
        raise ValidationFailed(_("常驻点的纬度和经度必须同时填写。"), field=field)
    put("base_latitude", latitude)
    put("base_longitude", longitude)
    put("geo_cell", cell_for(latitude, longitude))


def _id_card_put(worker: WorkerProfile, id_card_number: str) -> list[str]:
    """Store a new ID number (the identity rule then clears her verification); returns the
    fields changed.

    Raises ValidationFailed when the number is invalid or another worker has it.
    """
    number = idcard.normalize(id_card_number)
    if number and not idcard.is_valid(number):
        raise ValidationFailed(_("身份证号码无效。"), field="id_card_number")
    if number == worker.id_card_number:
        return []
    taken = (
        WorkerProfile.objects.filter(id_card_digest=idcard.digest(number))
        .exclude(pk=worker.pk)
        .exists()
    )
    if number and taken:
        raise ValidationFailed(_("该身份证号已注册。"), field="id_card_number", code="unique")
    worker.set_id_card_number(number)
    return ["id_card_ciphertext", "id_card_digest", "id_card_last4"]
