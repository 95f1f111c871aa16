"""An agency moves an application along — shortlist, interview, hire — and the woman answers
the hire: declining it declines the roster invitation too; the API refuses bad input and the
wrong caller, changing nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.models import RosterEntry
from programme.models import ApplicationStatus, EnrolmentStatus, JobApplication
from programme.services import fairs as fair_services
from tests import factories
from tests.conftest import client_for
from tests.programme import helpers

pytestmark = pytest.mark.django_db
P = "/api/v1/programme/"


def application_for(agency_staff, worker):
    opening = fair_services.job_opening_create(
        actor=agency_staff.user, title="育婴员", category=factories.category("infant_carer")
    )
    return fair_services.job_apply(opening_id=opening.pk, worker=worker)


def test_shortlist_interview_hire_and_she_declines(agency_client, agency_staff):
    worker = factories.WorkerFactory()
    application = application_for(agency_staff, worker)
    path = f"{P}applications/{application.pk}/"
    assert agency_client.post(f"{path}shortlist/").json()["status"] == "shortlisted"
    bad = agency_client.post(
        f"{path}interview/",
        {"interview_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(), "place": "x"},
        format="json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "interview_at"
    assert JobApplication.objects.get(pk=application.pk).status == "shortlisted"
    when = timezone.now() + dt.timedelta(days=2)
    interview = agency_client.post(
        f"{path}interview/", {"interview_at": when.isoformat(), "place": "公司二楼"}, format="json"
    )
    assert interview.status_code == 200, interview.json()
    assert interview.json()["status"] == "interview"
    assert interview.json()["interview_place"] == "公司二楼"
    worker_client = client_for(worker.user)
    assert worker_client.post(f"{path}shortlist/").status_code == 403
    assert agency_client.post(f"{path}hire/").json()["status"] == "offered"
    declined = worker_client.post(f"{path}decline/")
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    entry = RosterEntry.objects.get(worker=worker)
    assert entry.status == RosterEntry.Status.ENDED
    again = worker_client.post(f"{path}accept/")
    assert again.status_code == 409
    assert JobApplication.objects.get(pk=application.pk).status == ApplicationStatus.DECLINED


def test_a_hire_of_her_own_rostered_worker_is_immediate(agency_client, agency_staff):
    worker = factories.WorkerFactory()
    factories.RosterEntryFactory(agency=agency_staff.agency, worker=worker)
    application = application_for(agency_staff, worker)
    hired = agency_client.post(f"{P}applications/{application.pk}/hire/")
    assert hired.json()["status"] == "hired"
    assert RosterEntry.objects.filter(worker=worker).count() == 1


def test_a_worker_joins_a_full_course_waiting_list_through_the_api(worker_client, worker):
    course = helpers.course(capacity=1)
    factories_worker = factories.WorkerFactory()
    client_for(factories_worker.user).post(f"{P}courses/{course.pk}/enrol/")
    refused = worker_client.post(f"{P}courses/{course.pk}/enrol/")
    assert refused.status_code == 409 and refused.json()["code"] == "course_full"
    waiting = worker_client.post(f"{P}courses/{course.pk}/enrol/", {"wait": True}, format="json")
    assert waiting.status_code == 201, waiting.json()
    assert waiting.json()["status"] == EnrolmentStatus.WAITING
