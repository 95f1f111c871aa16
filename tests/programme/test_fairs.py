"""Job fairs: agencies post openings, workers apply, a hire she accepts puts her on the
roster."""

import datetime as dt

import pytest

from marketplace.models import RosterEntry
from programme.models import ApplicationStatus, JobApplication, JobOpening
from programme.services import fairs as fair_services
from tests import factories
from tests.conftest import client_for
from tests.programme import helpers

pytestmark = pytest.mark.django_db
P = "/api/v1/programme/"


def fair(officer=None, **kwargs):
    values = {
        "name": "临清市家政服务专场招聘会",
        "mode": "onsite",
        "held_on": helpers.today() + dt.timedelta(days=2),
        "place": "临清市人力资源市场",
        "division": factories.division(),
    }
    values.update(kwargs)
    return fair_services.job_fair_create(actor=officer or helpers.officer(), **values)


def opening_body(fair_id, **overrides):
    body = {
        "fair": fair_id,
        "title": "住家月嫂",
        "category": "maternity_nurse",
        "positions": 1,
        "salary_min": 600000,
        "salary_max": 900000,
        "division": helpers.SEAT,
        "description": "26天一单，包住",
    }
    body.update(overrides)
    return body


def test_fair_to_hire_puts_her_on_the_roster(federation_client, agency_client, agency_staff):
    response = federation_client.post(
        f"{P}fairs/",
        {"name": "线上招聘会", "mode": "online", "held_on": str(helpers.today())},
        format="json",
    )
    assert response.status_code == 201, response.json()
    fair_id = response.json()["id"]
    posted = agency_client.post(f"{P}openings/", opening_body(fair_id), format="json")
    assert posted.status_code == 201, posted.json()
    opening_id = posted.json()["id"]
    assert posted.json()["agency"]["id"] == agency_staff.agency_id

    worker = factories.WorkerFactory()
    worker_client = client_for(worker.user)
    assert opening_id in [row["id"] for row in worker_client.get(f"{P}openings/").json()["results"]]
    applied = worker_client.post(f"{P}openings/{opening_id}/apply/", {"message": "有经验"})
    assert applied.status_code == 201
    assert worker_client.post(f"{P}openings/{opening_id}/apply/").json()["code"] == (
        "already_applied"
    )
    application_id = applied.json()["id"]
    seen = agency_client.get(f"{P}applications/").json()["results"]
    assert [row["id"] for row in seen] == [application_id]

    offered = agency_client.post(f"{P}applications/{application_id}/hire/")
    assert offered.status_code == 200, offered.json()
    assert offered.json()["status"] == "offered"
    entry = RosterEntry.objects.get(worker=worker)
    assert entry.status == RosterEntry.Status.INVITED  # her acceptance is still needed
    assert JobOpening.objects.get(pk=opening_id).hired_count == 0
    assert agency_client.post(f"{P}applications/{application_id}/accept/").status_code == 403
    hired = worker_client.post(f"{P}applications/{application_id}/accept/")
    assert hired.status_code == 200, hired.json()
    assert hired.json()["status"] == "hired"
    entry.refresh_from_db()
    assert entry.agency_id == agency_staff.agency_id
    assert entry.status == RosterEntry.Status.ACTIVE
    assert entry.started_on == helpers.today()
    assert hired.json()["roster_entry"] == entry.pk
    again = agency_client.post(f"{P}applications/{application_id}/hire/")
    assert again.status_code == 200
    assert RosterEntry.objects.filter(worker=worker).count() == 1
    assert JobOpening.objects.get(pk=opening_id).hired_count == 1


def test_hire_refused_when_rostered_elsewhere_or_positions_filled(agency_client, agency_staff):
    the_fair = fair()
    opening = fair_services.job_opening_create(
        actor=agency_staff.user,
        title="养老护理员",
        category=factories.category("elderly_carer"),
        positions=1,
        fair=the_fair,
    )
    elsewhere = factories.RosterEntryFactory().worker
    application = fair_services.job_apply(opening_id=opening.pk, worker=elsewhere)
    response = agency_client.post(f"{P}applications/{application.pk}/hire/")
    assert response.status_code == 409
    assert response.json()["code"] == "already_rostered"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPLIED
    assert not RosterEntry.objects.filter(agency=agency_staff.agency).exists()

    first, second = factories.WorkerFactory(), factories.WorkerFactory()
    apps = [fair_services.job_apply(opening_id=opening.pk, worker=w) for w in (first, second)]
    # Both get an offer; the first to accept takes the one position.
    for application in apps:
        assert agency_client.post(f"{P}applications/{application.pk}/hire/").status_code == 200
    assert client_for(first.user).post(f"{P}applications/{apps[0].pk}/accept/").status_code == 200
    full = client_for(second.user).post(f"{P}applications/{apps[1].pk}/accept/")
    assert full.status_code == 409
    assert full.json()["code"] == "positions_filled"
    assert RosterEntry.objects.get(worker=second).status == RosterEntry.Status.INVITED
    assert JobApplication.objects.get(pk=apps[1].pk).status == ApplicationStatus.OFFERED
    assert agency_client.post(f"{P}applications/{apps[1].pk}/hire/").status_code == 200


def test_other_agency_cannot_see_or_hire(agency_client):
    other_staff = factories.AgencyStaffFactory()
    opening = fair_services.job_opening_create(
        actor=other_staff.user, title="保洁", category=factories.category("hourly_cleaning")
    )
    worker = factories.WorkerFactory()
    application = fair_services.job_apply(opening_id=opening.pk, worker=worker)
    assert agency_client.get(f"{P}applications/").json()["count"] == 0
    response = agency_client.post(f"{P}applications/{application.pk}/hire/")
    assert response.status_code == 404
    patch = agency_client.patch(f"{P}openings/{opening.pk}/", {"title": "x"}, format="json")
    assert patch.status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPLIED
    assert not RosterEntry.objects.filter(worker=worker).exists()


def test_closed_opening_and_bad_salary(agency_client, agency_staff, worker_client):
    response = agency_client.post(
        f"{P}openings/", opening_body(None, salary_min=9000, salary_max=100), format="json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "salary_max"
    opening = fair_services.job_opening_create(
        actor=agency_staff.user, title="育婴员", category=factories.category("infant_carer")
    )
    closed = agency_client.patch(f"{P}openings/{opening.pk}/", {"status": "closed"}, format="json")
    assert closed.status_code == 200
    assert worker_client.post(f"{P}openings/{opening.pk}/apply/").status_code == 404
    assert not JobApplication.objects.exists()


def test_worker_withdraws_and_agency_rejects(agency_staff, agency_client):
    opening = fair_services.job_opening_create(
        actor=agency_staff.user, title="育婴员", category=factories.category("infant_carer")
    )
    worker_a, worker_b = factories.WorkerFactory(), factories.WorkerFactory()
    a = fair_services.job_apply(opening_id=opening.pk, worker=worker_a)
    b = fair_services.job_apply(opening_id=opening.pk, worker=worker_b)
    response = client_for(worker_a.user).post(f"{P}applications/{a.pk}/withdraw/")
    assert response.json()["status"] == "withdrawn"
    assert agency_client.post(f"{P}applications/{a.pk}/hire/").status_code == 409
    assert agency_client.post(f"{P}applications/{b.pk}/reject/").json()["status"] == "rejected"
