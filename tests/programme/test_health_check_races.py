"""Real concurrent callers on the file-backed SQLite test database, or PostgreSQL: N+4
simultaneous bookings of a health-check session of capacity N book exactly N; two offers of
one position accepted at once hire exactly one woman."""

import pytest
from django.utils import timezone

from programme.models import ApplicationStatus, HealthCheckBooking, JobApplication, JobOpening
from programme.services import fairs as fair_services
from programme.services import health_checks as health_services
from programme.services import hiring
from tests import factories
from tests.conftest import client_for
from tests.programme import helpers
from tests.programme.test_races import run_together

CAPACITY = 4


@pytest.mark.django_db(transaction=True)
def test_capacity_holds_under_simultaneous_bookings():
    session = health_services.health_check_session_create(
        actor=helpers.officer(),
        name="集中体检",
        division=factories.division(),
        place="卫生院",
        held_on=timezone.localdate(),
        capacity=CAPACITY,
    )
    clients = [client_for(factories.WorkerFactory().user) for _ in range(CAPACITY + 4)]
    url = f"/api/v1/programme/health-check-sessions/{session.pk}/book/"
    results = run_together([lambda c=c: c.post(url).status_code for c in clients])
    assert sorted(results) == [201] * CAPACITY + [409] * 4
    session.refresh_from_db()
    assert session.booked_count == CAPACITY
    assert HealthCheckBooking.objects.filter(session=session).count() == CAPACITY


@pytest.mark.django_db(transaction=True)
def test_two_offers_for_one_position_accepted_at_once_hire_one():
    staff = factories.AgencyStaffFactory()
    opening = fair_services.job_opening_create(
        actor=staff.user, title="保洁", category=factories.category("housekeeper"), positions=1
    )
    workers = [factories.WorkerFactory(), factories.WorkerFactory()]
    applications = [fair_services.job_apply(opening_id=opening.pk, worker=w) for w in workers]
    for application in applications:
        hiring.job_application_hire(application_id=application.pk, actor=staff.user)
    urls = [f"/api/v1/programme/applications/{a.pk}/accept/" for a in applications]
    clients = [client_for(w.user) for w in workers]
    results = run_together(
        [lambda c=c, u=u: c.post(u).status_code for c, u in zip(clients, urls, strict=True)]
    )
    assert sorted(results) == [200, 409]
    assert JobOpening.objects.get(pk=opening.pk).hired_count == 1
    assert JobApplication.objects.filter(status=ApplicationStatus.HIRED).count() == 1
