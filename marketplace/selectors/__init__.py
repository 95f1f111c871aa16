"""Reads of the marketplace: eligibility (credentials, busy time) and location-based matching."""

from marketplace.selectors.eligibility import (
    BusyRows,
    Eligibility,
    eligible_workers,
    worker_eligibility,
)
from marketplace.selectors.matching import MatchCandidate, find_matches
from marketplace.selectors.ranking import bayesian_rating, reliability

__all__ = [
    "BusyRows",
    "Eligibility",
    "MatchCandidate",
    "bayesian_rating",
    "eligible_workers",
    "find_matches",
    "reliability",
    "worker_eligibility",
]
