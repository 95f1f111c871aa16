"""A worker's rating as every page and API shows it: the mean of her published reviews to one
decimal, with how many there are; none at all before her first review (never a default 4.0).

Ranking keeps its own Bayesian blend (marketplace.selectors.ranking.bayesian_rating): that is
a score for ordering matches, not a rating to show anyone."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Rating:
    value: Decimal | None  # None: no review yet
    count: int

    @property
    def is_rated(self) -> bool:
        return self.value is not None


def worker_rating(worker) -> Rating:
    """From the worker's counters (rating_sum, rating_count; published reviews only)."""
    count = int(worker.rating_count or 0)
    if count == 0:
        return Rating(value=None, count=0)
    mean = Decimal(int(worker.rating_sum)) / Decimal(count)
    return Rating(value=mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), count=count)


def rating_value(worker) -> float | None:
    """The shown rating as a number for JSON (None before her first review)."""
    value = worker_rating(worker).value
    return float(value) if value is not None else None
