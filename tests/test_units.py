"""The shared units: money shown as yuan, times read on the county's wall clock."""

import datetime as dt

import pytest

from backend.localtime import local_day, local_time
from backend.money import yuan, yuan_number


@pytest.mark.parametrize(
    ("fen", "shown", "number"),
    [
        (0, "¥0.00", "0.00"),
        (5, "¥0.05", "0.05"),
        (15050, "¥150.50", "150.50"),
        (123456789, "¥1,234,567.89", "1234567.89"),
        (-15050, "-¥150.50", "-150.50"),
    ],
)
def test_yuan_reads_fen_as_yuan(fen, shown, number):
    assert yuan(fen) == shown
    assert yuan_number(fen) == number


def test_local_day_is_the_county_calendar_day():
    late_utc = dt.datetime(2025, 3, 31, 16, 30, tzinfo=dt.UTC)  # 00:30 on 1 April in Shanghai
    assert local_day(late_utc) == dt.date(2025, 4, 1)
    assert local_time(late_utc).hour == 0
