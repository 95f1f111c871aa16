"""seed_demo shows 我的数据: workers' consents to their ID number and health check, and a
household whose account deletion is cooling off."""

import io

import pytest
from django.core.management import call_command

from marketplace.models import Consent, ConsentKind, WorkerProfile
from personal_data.models import DeletionRequest, DeletionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    out = io.StringIO()
    args = ["--workers", "40", "--households", "20", "--orders", "30"]
    call_command("seed_demo", *args, stdout=out)
    first = (Consent.objects.count(), DeletionRequest.objects.count())
    call_command("seed_demo", *args, stdout=out)  # twice: nothing is added the second time
    assert (Consent.objects.count(), DeletionRequest.objects.count()) == first
    return out.getvalue()


def test_every_worker_with_an_id_number_or_health_check_has_its_consent(seeded):
    demo_worker = WorkerProfile.objects.get(user__username="demo-worker")
    kinds = set(Consent.objects.filter(user=demo_worker.user).values_list("kind", flat=True))
    assert kinds == {ConsentKind.ID_CARD, ConsentKind.HEALTH_CHECK}
    with_number = WorkerProfile.objects.exclude(id_card_last4="")
    consenting = Consent.objects.filter(kind=ConsentKind.ID_CARD).values("user_id")
    assert with_number.exclude(user_id__in=consenting).count() == 0
    assert all(c.purpose and c.version for c in Consent.objects.all()[:20])


def test_a_household_is_cooling_off_after_asking_to_delete_its_account(seeded):
    request = DeletionRequest.objects.get()
    assert request.status == DeletionStatus.PENDING
    assert request.user.username.startswith("household-") and request.user.is_active
    assert request.erase_after > request.requested_at
