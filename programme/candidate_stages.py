"""Where each village candidate stands on the road to work, the next step and who owns it.

contacted → registered → enrolled → trained → certified → health-checked → placed. A stage
counts once every stage before it is reached (a health check without a certificate leaves her
at "trained"). Read for a whole page of candidates at once: a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.models import Certificate, HealthCheck, RosterEntry, TrainingRecord
from programme.models import (
    ApplicationStatus,
    Candidate,
    CompletionResult,
    Enrolment,
    EnrolmentStatus,
    JobApplication,
)

VILLAGE_OFFICER = _("村网格员")
FEDERATION = _("妇联培训班")
WOMAN = _("本人")
AGENCY = _("家政企业")

# (code, label, the next step from here, who owns it)
STAGES = [
    ("contacted", _("已联系"), _("为她创建账号（经她同意）或请她自行注册"), VILLAGE_OFFICER),
    ("registered", _("已注册"), _("报名培训课程"), VILLAGE_OFFICER),
    ("enrolled", _("已报名"), _("参加培训并结业"), FEDERATION),
    ("trained", _("已培训"), _("参加资格考试"), FEDERATION),
    ("certified", _("已取证"), _("参加岗前体检"), WOMAN),
    ("health_checked", _("已体检"), _("参加招聘会，与家政企业签约"), AGENCY),
    ("placed", _("已上岗"), "", ""),
]
STAGE_CODES = [code for code, *_rest in STAGES]


@dataclass(frozen=True)
class Stage:
    code: str
    label: str
    index: int
    next_step: str
    owner: str

    @property
    def total(self) -> int:
        return len(STAGES)


def _stage(index: int) -> Stage:
    code, label, next_step, owner = STAGES[index]
    return Stage(code, str(label), index, str(next_step), str(owner))


def _workers_with(queryset, worker_ids: set[int]) -> set[int]:
    return set(queryset.filter(worker_id__in=worker_ids).values_list("worker_id", flat=True))


def candidate_stages(
    candidates: Sequence[Candidate], *, today: dt.date | None = None
) -> dict[int, Stage]:
    """Each candidate's stage by id (six queries, whatever the number of candidates)."""
    today = today or timezone.localdate()
    ids = [c.pk for c in candidates]
    worker_ids = {c.worker_id for c in candidates if c.worker_id}
    enrolments = Enrolment.objects.filter(
        Q(candidate_id__in=ids) | Q(worker_id__in=worker_ids), status=EnrolmentStatus.ENROLLED
    ).values_list("candidate_id", "worker_id", "result")
    enrolled, trained = set(), set()
    for candidate_id, worker_id, result in enrolments:
        keys = {("c", candidate_id), ("w", worker_id)}
        enrolled |= keys
        if result == CompletionResult.PASSED:
            trained |= keys
    trained_workers = _workers_with(
        TrainingRecord.objects.filter(verified_at__isnull=False), worker_ids
    )
    certified = _workers_with(
        Certificate.objects.filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=today),
            verified_at__isnull=False,
            is_revoked=False,
        ),
        worker_ids,
    )
    checked = _workers_with(
        HealthCheck.objects.filter(verified_at__isnull=False, valid_until__gte=today), worker_ids
    )
    placed = _workers_with(
        JobApplication.objects.filter(status=ApplicationStatus.HIRED), worker_ids
    ) | _workers_with(RosterEntry.objects.filter(status=RosterEntry.Status.ACTIVE), worker_ids)
    stages = {}
    for candidate in candidates:
        worker = candidate.worker_id
        reached = [
            True,
            worker is not None,
            ("c", candidate.pk) in enrolled or ("w", worker) in enrolled,
            ("c", candidate.pk) in trained or ("w", worker) in trained or worker in trained_workers,
            worker in certified,
            worker in checked,
            worker in placed,
        ]
        index = 0
        while index + 1 < len(reached) and reached[index + 1]:
            index += 1
        stages[candidate.pk] = _stage(index)
    return stages
