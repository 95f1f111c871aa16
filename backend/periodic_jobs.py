"""Periodic work of apps that stand above `orders`, run by its `run_periodic` command.

`orders.services.periodic.run_due_work` runs the time-based work of the apps it can import;
an app on a higher floor (personal data's account deletions) registers its job here in its
`AppConfig.ready()`, the way metrics subscribes to `backend.fact_changes`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

PeriodicJob = Callable[..., int]

_jobs: dict[str, PeriodicJob] = {}


def register_periodic_job(name: str, job: PeriodicJob) -> None:
    """Run `job(now=…)` (returning how many items it changed) on every periodic pass."""
    _jobs[name] = job


def run_registered_jobs(*, now: dt.datetime) -> dict[str, int]:
    """Run every registered job once; returns each one's count under its name."""
    return {name: job(now=now) for name, job in _jobs.items()}
