"""The rules every value from a client obeys, on REST and on the socket alike.

* Text: no control characters (NUL and the other C0/C1 controls, and the Unicode
  non-characters) except tab, line feed and carriage return. PostgreSQL refuses NUL in text,
  SQLite would store it; refusing it everywhere keeps both engines and both transports equal.
* Integers: within INT_MIN..INT_MAX (a 32-bit column, what PostgreSQL's `integer` holds) unless
  a field says otherwise; floats finite and within FLOAT_LIMIT; decimals finite.
* Dates: years DATE_MIN..DATE_MAX, far from the ends of Python's and the databases' calendars,
  so arithmetic on them (a month's end, a week's start) never overflows.

`backend.api.field_rules` applies these to every DRF field; `notifications.frames` to every
socket frame field; services call `text_problem` for text they take from elsewhere.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal

from django.utils.translation import gettext as _

INT_MIN = -(2**31)
INT_MAX = 2**31 - 1
FLOAT_LIMIT = 1e12
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2200, 12, 31)

# C0 controls but \t \n \r, DEL and C1 controls, and U+FFFE/U+FFFF (never characters).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def text_problem(value: str) -> tuple[str, str] | None:
    """(code, detail) when the text holds a forbidden character, else None."""
    if _CONTROL.search(value):
        return "control_characters", _("不能包含控制字符。")
    return None


def integer_problem(value: int, minimum: int | None = None, maximum: int | None = None):
    """(code, detail) when the integer is outside its bounds (the default ones if none)."""
    low = INT_MIN if minimum is None else minimum
    high = INT_MAX if maximum is None else maximum
    if value < low or value > high:
        return "out_of_range", _("数值须在 %(low)s 到 %(high)s 之间。") % {"low": low, "high": high}
    return None


def number_problem(value) -> tuple[str, str] | None:
    """(code, detail) for a float or Decimal that is not finite or beyond FLOAT_LIMIT."""
    finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
    if not finite:
        return "not_finite", _("数值须为有限的数。")
    if abs(value) > FLOAT_LIMIT:
        return "out_of_range", _("数值超出允许范围。")
    return None


def date_problem(value: dt.date) -> tuple[str, str] | None:
    """(code, detail) for a date (or datetime) outside DATE_MIN..DATE_MAX."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if day < DATE_MIN or day > DATE_MAX:
        return "date_out_of_range", _("日期须在 %(low)s 到 %(high)s 之间。") % {
            "low": DATE_MIN.isoformat(),
            "high": DATE_MAX.isoformat(),
        }
    return None


def value_problem(value) -> tuple[str, str] | None:
    """The rule that fits a cleaned value's type (lists checked item by item); for forms."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        return text_problem(value)
    if isinstance(value, int):
        return integer_problem(value)
    if isinstance(value, float | Decimal):
        return number_problem(value)
    if isinstance(value, dt.date):
        return date_problem(value)
    if isinstance(value, list | tuple):
        return next((p for p in map(value_problem, value) if p), None)
    return None
