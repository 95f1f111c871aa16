"""The county's wall clock: times are stored in UTC and read in settings.TIME_ZONE
(Asia/Shanghai), the one place that zone is named."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def local_zone() -> dt.tzinfo:
    """The zone people in the county read times in (settings.TIME_ZONE)."""
    return timezone.get_default_timezone()


def local_time(moment: dt.datetime) -> dt.datetime:
    """An aware datetime on the county's wall clock."""
    return moment.astimezone(local_zone())


def local_day(moment: dt.datetime) -> dt.date:
    """The county's calendar day of an aware datetime."""
    return local_time(moment).date()
