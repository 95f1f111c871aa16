"""The year behind the demo: its length, its marker, and the workers who could have served.

Scale: about a quarter of Linqing's year (PRODUCT.md §1: ~1,500 contracts, ~3,680 households
served, 5,400 online + 1,000 offline trainees, 15+ offline sessions, 125 + 210 competitors with
4/8/12 prizes, 15 job fairs): `DEFAULT_HISTORY_ORDERS` orders over the last 12 months, the
generated workers as trainees (~85 % online, ~20 % offline), 16 offline sessions, 8 online
classes, 6 exams, 2 competitions (25 + 42 entrants, 4/8/12 prizes), 15 job fairs. Rows are
bulk-written (consistent with what the services would have written at those times) and the
rollups rebuilt once at the end. The history is all-or-nothing: it is skipped when its marker
course exists.
"""

import datetime as dt

from demo.bulk import local_at
from demo.county import HOSPITALS
from marketplace.models import (
    HealthCheck,
    RosterEntry,
    TrainingKind,
    TrainingRecord,
    WorkerProfile,
)

HISTORY_MARKER = "2026年度家政美家岗前培训（城区第1期）"  # the first offline course's name
HISTORY_DAYS = 365


def _verified_workers() -> dict[int, dict]:
    workers = {}
    rows = WorkerProfile.objects.filter(is_verified=True).values_list(
        "pk", "user_id", "division_id", "user__username"
    )
    for pk, user_id, division_id, username in rows:
        workers[pk] = {
            "id": pk,
            "user_id": user_id,
            "division_id": division_id,
            "is_demo": username.startswith("demo-worker"),
            "trades": set(),
            "pre_job": None,
            "checks": [],
            "agency_id": None,
        }
    return workers


def _credentials_attach(workers: dict[int, dict]) -> None:
    """Each worker's trades, first pre-job training, health checks and active agency."""
    for worker_id, code in WorkerProfile.categories.through.objects.filter(
        workerprofile_id__in=workers
    ).values_list("workerprofile_id", "category__code"):
        workers[worker_id]["trades"].add(code)
    for worker_id, day in TrainingRecord.objects.filter(
        worker_id__in=workers, kind=TrainingKind.PRE_JOB
    ).values_list("worker_id", "completed_on"):
        first = workers[worker_id]["pre_job"]
        workers[worker_id]["pre_job"] = day if first is None else min(first, day)
    for worker_id, done, until in HealthCheck.objects.filter(worker_id__in=workers).values_list(
        "worker_id", "done_on", "valid_until"
    ):
        workers[worker_id]["checks"].append((done, until))
    for worker_id, agency_id in RosterEntry.objects.filter(
        worker_id__in=workers, status=RosterEntry.Status.ACTIVE
    ).values_list("worker_id", "agency_id"):
        workers[worker_id]["agency_id"] = agency_id


def serving_workers() -> list[dict]:
    """Workers who could have served: verified, pre-job trained, with a health check.

    Each: id, user_id, division_id, is_demo, trades, agency_id, pre_job (her first pre-job
    training, the first day she could serve), checks [(done, until)].
    """
    workers = _verified_workers()
    _credentials_attach(workers)
    return [w for w in workers.values() if w["pre_job"] is not None and w["checks"]]


def earlier_health_checks(workers: list[dict], since: dt.date, verifier_id: int) -> list:
    """Annual checks before each worker's current one, back to `since` (she served then too)."""
    rows = []
    for worker in workers:
        done = min(d for d, _u in worker["checks"])
        while done > since:
            previous = done - dt.timedelta(days=365)
            rows.append(
                HealthCheck(
                    worker_id=worker["id"],
                    done_on=previous,
                    valid_until=done - dt.timedelta(days=1),
                    institution=HOSPITALS[worker["id"] % len(HOSPITALS)],
                    verified_by_id=verifier_id,
                    verified_at=local_at(previous, 12),
                )
            )
            worker["checks"].append((previous, done - dt.timedelta(days=1)))
            done = previous
    return rows


def can_serve(worker: dict, day: dt.date) -> bool:
    return worker["pre_job"] <= day and any(d <= day <= u for d, u in worker["checks"])
