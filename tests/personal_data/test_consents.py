"""Consents to sensitive data: recorded where the ID number and health checks are collected,
listed to her, withdrawable, and withdrawal stops the use of the data."""

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.models import Consent, ConsentKind, WorkerProfile
from marketplace.selectors.eligibility import (
    HEALTH_CHECK_CONSENT_WITHDRAWN,
    eligible_workers,
    worker_eligibility,
)
from tests import factories
from tests.conftest import client_for
from tests.marketplace.agency_helpers import PREFIX, make_world

pytestmark = pytest.mark.django_db

VALID_ID = "11010519491231002X"
LIST_URL = "/api/v1/me/consents/"
TODAY = timezone.localdate()


def _withdraw(user, consent):
    return client_for(user).post(f"{LIST_URL}{consent.pk}/withdraw/")


def _is_eligible(worker) -> bool:
    return (
        eligible_workers(category=factories.category(), starts_on=TODAY, ends_on=TODAY)
        .filter(pk=worker.pk)
        .exists()
    )


def test_registering_with_an_id_number_records_the_consent_with_its_purpose():
    response = client_for(None).post(
        "/api/v1/auth/register/",
        {
            "username": "lixiuying",
            "password": "Str0ng-pass-2026",
            "role": "worker",
            "display_name": "李秀英",
            "phone": "+8613800138000",
            "id_card_number": VALID_ID,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    consent = Consent.objects.get(user__username="lixiuying")
    assert consent.kind == ConsentKind.ID_CARD and consent.is_active
    assert "实名认证" in consent.purpose and consent.version and consent.given_at


def test_a_household_registers_without_any_consent():
    response = client_for(None).post(
        "/api/v1/auth/register/",
        {
            "username": "wangjia",
            "password": "Str0ng-pass-2026",
            "role": "household",
            "display_name": "王家",
            "phone": "+8613800138001",
        },
        format="json",
    )
    assert response.status_code == 201
    assert not Consent.objects.exists()


def test_entering_her_id_number_on_her_profile_records_the_consent():
    worker = factories.WorkerFactory()
    response = client_for(worker.user).patch(
        "/api/v1/workers/me/", {"id_card_number": VALID_ID}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert Consent.objects.get(user=worker.user).kind == ConsentKind.ID_CARD


def test_a_health_check_entered_by_her_agency_records_the_consent():
    w = make_world()
    response = client_for(w.staff.user).post(
        PREFIX + f"workers/{w.worker.pk}/health-checks/",
        {"done_on": str(TODAY), "valid_until": str(TODAY + dt.timedelta(days=365))},
        format="json",
    )
    assert response.status_code == 201, response.json()
    consent = Consent.objects.get(user=w.worker.user)
    assert consent.kind == ConsentKind.HEALTH_CHECK and consent.recorded_by == w.staff.user


def test_withdrawing_the_id_consent_erases_the_number_and_ends_verification():
    worker = factories.WorkerFactory()
    client_for(worker.user).patch(
        "/api/v1/workers/me/", {"id_card_number": VALID_ID}, format="json"
    )
    WorkerProfile.objects.filter(pk=worker.pk).update(is_verified=True)
    consent = Consent.objects.get(user=worker.user)
    assert _is_eligible(worker)

    response = _withdraw(worker.user, consent)
    assert response.status_code == 200
    assert response.json()["withdrawn_at"] and not response.json()["is_active"]
    worker.refresh_from_db()
    assert worker.id_card_number == "" and worker.id_card_digest is None
    assert not worker.is_verified and not _is_eligible(worker)
    change = worker.identity_changes.first()  # the latest: the erasure of the number
    assert change.field == "id_card_number" and change.changed_by == worker.user
    again = _withdraw(worker.user, consent)
    assert again.status_code == 409 and again.json()["code"] == "already_withdrawn"

    # Entering it again herself is a new consent.
    client_for(worker.user).patch(
        "/api/v1/workers/me/", {"id_card_number": VALID_ID}, format="json"
    )
    assert Consent.objects.filter(user=worker.user, withdrawn_at__isnull=True).count() == 1
    assert Consent.objects.filter(user=worker.user).count() == 2


def test_withdrawing_the_health_consent_stops_matching_her_and_her_agency_cannot_override():
    w = make_world()
    staff = client_for(w.staff.user)
    check = {"done_on": str(TODAY), "valid_until": str(TODAY + dt.timedelta(days=365))}
    assert staff.post(PREFIX + f"workers/{w.worker.pk}/health-checks/", check, format="json")
    consent = Consent.objects.get(user=w.worker.user, kind=ConsentKind.HEALTH_CHECK)
    assert _is_eligible(w.worker)

    assert _withdraw(w.worker.user, consent).status_code == 200
    assert not _is_eligible(w.worker)
    standing = worker_eligibility(worker=w.worker, category=factories.category())
    assert HEALTH_CHECK_CONSENT_WITHDRAWN in standing.reasons
    checks_before = w.worker.health_checks.count()
    refused = staff.post(PREFIX + f"workers/{w.worker.pk}/health-checks/", check, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "consent_withdrawn"
    assert w.worker.health_checks.count() == checks_before


def test_her_consents_are_listed_with_what_withdrawal_means(django_assert_max_num_queries):
    worker = factories.WorkerFactory()
    for kind in ConsentKind.values:
        Consent.objects.create(
            user=worker.user, kind=kind, purpose="p", version="1", given_at=timezone.now()
        )
    Consent.objects.create(
        user=factories.WorkerFactory().user,
        kind=ConsentKind.ID_CARD,
        purpose="p",
        version="1",
        given_at=timezone.now(),
    )
    client = client_for(worker.user)
    with django_assert_max_num_queries(4):
        body = client.get(LIST_URL).json()
    assert body["count"] == 2
    assert all(row["withdrawal_effect"] for row in body["results"])


def test_another_users_consent_cannot_be_withdrawn():
    consent = Consent.objects.create(
        user=factories.WorkerFactory().user,
        kind=ConsentKind.ID_CARD,
        purpose="p",
        version="1",
        given_at=timezone.now(),
    )
    response = _withdraw(factories.WorkerFactory().user, consent)
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.is_active


def test_the_agency_page_states_the_purpose_and_refuses_a_check_after_withdrawal():
    from tests.web.conftest import session_client

    w = make_world()
    client = session_client(w.staff.user)
    page = client.get(f"/agency/workers/{w.worker.pk}/").content.decode()
    assert "data-consent-notice" in page and "岗前体检率" in page
    consent = consent_given(w.worker.user, ConsentKind.HEALTH_CHECK)
    assert _withdraw(w.worker.user, consent).status_code == 200
    checks_before = w.worker.health_checks.count()
    response = client.post(
        f"/agency/workers/{w.worker.pk}/add/health_check/",
        {"done_on": str(TODAY), "valid_until": str(TODAY + dt.timedelta(days=365))},
    )
    assert response.status_code == 400
    assert "撤回" in response.content.decode()
    assert w.worker.health_checks.count() == checks_before


def consent_given(user, kind):
    from marketplace.services.consents import consent_record

    return consent_record(user=user, kind=kind)
