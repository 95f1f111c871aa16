"""我的数据 in the demo: the consents of every worker whose ID number or health check the
platform holds, and a household that asked to delete its account (still cooling off)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from demo.bulk import DemoSummary
from marketplace.models import Consent, ConsentKind, HealthCheck, User, WorkerProfile
from marketplace.services.consents import CONSENT_NOTICES
from personal_data.deletion import cooling_off, deletion_blocker
from personal_data.models import DeletionRequest

# The household that is cooling off: the first generated household (by username) that could
# delete its account now, so the demo shows the pending state and its cancel button.
DELETION_CANDIDATES = "household-"


def _consent(user_id: int, kind: str, given_at: dt.datetime) -> Consent:
    version, purpose = CONSENT_NOTICES[kind]
    return Consent(
        user_id=user_id, kind=kind, purpose=str(purpose), version=version, given_at=given_at
    )


def demo_consents_ensure(*, summary: DemoSummary) -> None:
    """An ID-number consent for every worker with a number on file, and a health-check consent
    for every worker with a check, given when the data was first collected. Users who have any
    consent already are left as they are."""
    have = set(Consent.objects.values_list("user_id", flat=True).distinct())
    rows = []
    workers = WorkerProfile.objects.exclude(user_id__in=have).order_by("user__username")
    for worker in workers.only("user_id", "id_card_last4", "created_at"):
        if worker.id_card_last4:
            rows.append(_consent(worker.user_id, ConsentKind.ID_CARD, worker.created_at))
    first_checks = {}
    checks = HealthCheck.objects.exclude(worker__user_id__in=have).order_by("created_at", "pk")
    for user_id, created_at in checks.values_list("worker__user_id", "created_at"):
        first_checks.setdefault(user_id, created_at)
    rows += [
        _consent(user_id, ConsentKind.HEALTH_CHECK, created_at)
        for user_id, created_at in sorted(first_checks.items())
    ]
    Consent.objects.bulk_create(rows)
    summary.add("consents", len(rows))


def demo_pending_deletion_ensure(*, summary: DemoSummary) -> None:
    """One household asked two days ago to delete its account (once; skipped when any
    deletion request exists)."""
    if DeletionRequest.objects.exists():
        return
    households = User.objects.filter(username__startswith=DELETION_CANDIDATES).order_by("username")
    for user in households[:50]:
        if deletion_blocker(user=user) is None:
            requested_at = timezone.now() - dt.timedelta(days=2)
            DeletionRequest.objects.create(
                user=user,
                role=user.role,
                requested_at=requested_at,
                erase_after=requested_at + cooling_off(),
            )
            summary.add("deletion_requests", 1)
            return


def demo_my_data_ensure(*, summary: DemoSummary) -> None:
    demo_consents_ensure(summary=summary)
    demo_pending_deletion_ensure(summary=summary)
