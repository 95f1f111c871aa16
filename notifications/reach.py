"""A user's reach settings: channel preferences per kind and quiet hours (reads and writes)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction

from backend.localtime import local_time, local_zone
from notifications.kinds import KINDS, PREFERENCE_KINDS
from notifications.models import QuietHours, ReachPreference


def _default_quiet() -> tuple[dt.time, dt.time]:
    starts, ends = settings.REACH["QUIET_HOURS"]
    return dt.time.fromisoformat(starts), dt.time.fromisoformat(ends)


def preferences_of(user_id: int) -> dict[str, dict]:
    """Every settable kind with its channels (`push`, `sms`), defaults where nothing is saved."""
    saved = {p.kind: p for p in ReachPreference.objects.filter(user_id=user_id)}
    result = {}
    for code in PREFERENCE_KINDS:
        kind = KINDS[code]
        row = saved.get(code)
        result[code] = {
            "kind": code,
            "label": str(kind.label),
            "push": row.push_enabled if row else True,
            "sms": (row.sms_enabled if row else True) if kind.sms else False,
            "sms_available": bool(kind.sms),
            "sms_optional": kind.user_may_mute_sms,
        }
    return result


def channel_wanted(*, user_id: int, kind_code: str, channel: str) -> bool:
    kind = KINDS[kind_code]
    if channel == "sms" and not kind.user_may_mute_sms:
        return True
    row = ReachPreference.objects.filter(user_id=user_id, kind=kind_code).first()
    if row is None:
        return True
    return row.push_enabled if channel == "push" else row.sms_enabled


def quiet_hours_of(user_id: int) -> dict:
    row = QuietHours.objects.filter(user_id=user_id).first()
    starts, ends = (row.starts, row.ends) if row else _default_quiet()
    return {"enabled": row.is_enabled if row else True, "starts": starts, "ends": ends}


def quiet_hours_end(*, user_id: int, now: dt.datetime) -> dt.datetime | None:
    """When the user's quiet hours end, if `now` falls in them; else None."""
    quiet = quiet_hours_of(user_id)
    if not quiet["enabled"] or quiet["starts"] == quiet["ends"]:
        return None
    local = local_time(now)
    clock, starts, ends = local.time(), quiet["starts"], quiet["ends"]
    inside = (starts <= clock < ends) if starts < ends else (clock >= starts or clock < ends)
    if not inside:
        return None
    end = dt.datetime.combine(local.date(), ends, tzinfo=local_zone())
    return end if end > local else end + dt.timedelta(days=1)


def reach_settings_update(
    *, user_id: int, preferences: dict[str, dict], quiet: dict | None = None
) -> None:
    """Save channel choices per kind (`{"offer": {"push": True, "sms": False}}`) and the
    quiet hours (`{"enabled", "starts", "ends"}`); kinds not named keep theirs."""
    with transaction.atomic():
        for code, channels in preferences.items():
            if code not in PREFERENCE_KINDS:
                continue
            defaults = {}
            if "push" in channels:
                defaults["push_enabled"] = bool(channels["push"])
            if "sms" in channels and KINDS[code].user_may_mute_sms:
                defaults["sms_enabled"] = bool(channels["sms"])
            if defaults:
                ReachPreference.objects.update_or_create(
                    user_id=user_id, kind=code, defaults=defaults
                )
        if quiet is not None:
            QuietHours.objects.update_or_create(
                user_id=user_id,
                defaults={
                    "is_enabled": bool(quiet["enabled"]),
                    "starts": quiet["starts"],
                    "ends": quiet["ends"],
                },
            )
