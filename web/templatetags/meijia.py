"""Template filters for the web app: money from fen, Shanghai wall-clock times, status labels."""

import datetime as dt

from django import template
from django.utils.translation import gettext_lazy as _

from backend import money
from backend.localtime import local_time
from marketplace.selectors.ratings import worker_rating

register = template.Library()

WEEKDAY_NAMES = [_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")]


@register.filter
def yuan(fen) -> str:
    """An integer number of fen as ¥ with two decimals: 15000 → ¥150.00."""
    if fen is None or fen == "":
        return "—"
    return money.yuan(int(fen))


@register.filter
def magnitude(number):
    """The size of a number without its sign (for a balance said in words: 您应付平台 ¥90.50)."""
    return abs(int(number)) if number not in (None, "") else number


@register.filter
def when(moment) -> str:
    """An aware datetime on the Asia/Shanghai wall clock: 2025-03-07 周五 09:00."""
    if not moment:
        return "—"
    if isinstance(moment, dt.datetime):
        local = local_time(moment)
        return f"{local:%Y-%m-%d} {WEEKDAY_NAMES[local.weekday()]} {local:%H:%M}"
    return f"{moment:%Y-%m-%d} {WEEKDAY_NAMES[moment.weekday()]}"


@register.filter
def clock(moment) -> str:
    """Only the Shanghai wall-clock time of a datetime: 09:00."""
    if not moment:
        return "—"
    return f"{local_time(moment):%H:%M}"


@register.filter
def weekday_name(number) -> str:
    return str(WEEKDAY_NAMES[int(number) % 7])


@register.filter
def label(value, choices) -> str:
    """The display label of a TextChoices value: {{ order.status|label:statuses }}."""
    for choice_value, choice_label in choices:
        if choice_value == value:
            return choice_label
    return value or "—"


@register.filter
def stars(rating) -> str:
    if not rating:
        return "—"
    rating = float(rating)
    return f"★ {rating:.1f}"


@register.filter
def rating(worker) -> str:
    """A worker's shown rating (marketplace.selectors.ratings): ★ 4.7（3）, or 暂无评价."""
    shown = worker_rating(worker)
    if not shown.is_rated:
        return str(_("暂无评价"))
    return f"★ {shown.value}（{shown.count}）"
