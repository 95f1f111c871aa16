"""Reads of the marketplace: eligibility (credentials, busy time) and location-based matching."""

from marketplace.selectors.eligibility import (
    Eligibility,
    eligible_workers,
    is_worker_busy,
    worker_eligibility,
)
from marketplace.selectors.matching import MatchCandidate, find_matches
from marketplace.selectors.ranking import bayesian_rating, reliability

__all__ = [
    "Eligibility",
    "MatchCandidate",
    "bayesian_rating",
    "eligible_workers",
    "find_matches",
    "is_worker_busy",
    "reliability",
    "worker_eligibility",
]
