"""The programme's web pages: who may open each one, and what a refused or bad request leaves
unchanged (the women's pages, the agency's applications, the fairs and health-check consoles)."""

import datetime as dt

import pytest
from django.utils import timezone

from metrics.reconcile import metrics_rebuild
from programme.models import (
    ApplicationStatus,
    Enrolment,
    EnrolmentStatus,
    HealthCheckSession,
    JobApplication,
    JobFair,
    JobOpening,
)
from programme.services import fairs as fair_services
from programme.services import health_checks as health_services
from tests import factories
from tests.programme import helpers
from tests.web.conftest import session_client

pytestmark = pytest.mark.django_db

WORKER_PAGES = ["/worker/programme/", "/worker/health-checks/", "/worker/jobs/"]
AGENCY_PAGES = ["/agency/applications/"]
FEDERATION_PAGES = ["/federation/fairs/", "/federation/health-checks/"]


def users() -> dict:
    return {
        "household": factories.HouseholdFactory().user,
        "worker": factories.WorkerFactory().user,
        "agency": factories.AgencyStaffFactory().user,
        "federation": factories.FederationOfficerFactory().user,
        "operator": factories.operator_user(),
    }


@pytest.mark.parametrize(
    "pages, allowed",
    [
        (WORKER_PAGES, {"worker"}),
        (AGENCY_PAGES, {"agency"}),
        (FEDERATION_PAGES, {"federation", "operator"}),
    ],
)
def test_each_page_opens_for_its_role_only(pages, allowed, client):
    for path in pages:
        anonymous = client.get(path)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for role, user in users().items():
        browser = session_client(user)
        for path in pages:
            expected = 200 if role in allowed else 404
            assert browser.get(path).status_code == expected, (role, path)


def test_a_full_course_puts_her_on_the_waiting_list_from_the_page():
    course = helpers.course(capacity=1)
    first, second = factories.WorkerFactory(), factories.WorkerFactory()
    session_client(first.user).post(f"/worker/programme/courses/{course.pk}/enrol/")
    page = session_client(second.user)
    response = page.post(f"/worker/programme/courses/{course.pk}/enrol/", follow=True)
    assert "候补" in response.content.decode()
    assert Enrolment.objects.get(worker=second).status == EnrolmentStatus.WAITING
    # She cannot withdraw another woman's enrolment.
    taken = Enrolment.objects.get(worker=first)
    refused = page.post(f"/worker/programme/enrolments/{taken.pk}/withdraw/")
    assert refused.status_code == 404
    taken.refresh_from_db()
    assert taken.status == EnrolmentStatus.ENROLLED


def test_bad_session_form_shows_the_error_by_its_field_and_creates_nothing():
    officer = session_client(factories.FederationOfficerFactory().user)
    body = {
        "name": "集中体检",
        "division": helpers.SEAT,
        "place": "卫生院",
        "held_on": str(timezone.localdate()),
        "capacity": "0",
    }
    response = officer.post("/federation/health-checks/", body)
    assert response.status_code == 400
    assert 'data-field-error="capacity"' in response.content.decode()
    assert not HealthCheckSession.objects.exists()
    created = officer.post("/federation/health-checks/", {**body, "capacity": "5"})
    assert created.status_code == 302
    assert HealthCheckSession.objects.get().capacity == 5


def test_officer_records_a_pass_from_the_session_page():
    officer = factories.FederationOfficerFactory().user
    session = health_services.health_check_session_create(
        actor=officer,
        name="集中体检",
        division=factories.division(),
        place="卫生院",
        held_on=timezone.localdate(),
        capacity=3,
    )
    worker = factories.WorkerFactory(credentials=False)
    booking = health_services.health_check_book(session_id=session.pk, worker=worker)
    page = session_client(officer)
    assert worker.real_name in page.get(f"/federation/health-checks/{session.pk}/").content.decode()
    until = timezone.localdate() + dt.timedelta(days=100)
    page.post(
        f"/federation/health-checks/bookings/{booking.pk}/result/",
        {"result": "passed", "valid_until": str(until)},
    )
    assert worker.health_checks.get().valid_until == until


def test_another_agency_cannot_hire_and_the_fairs_console_reads_little(
    django_assert_max_num_queries,
):
    officer = factories.FederationOfficerFactory().user
    fair = fair_services.job_fair_create(
        actor=officer, name="招聘会", mode="online", held_on=timezone.localdate()
    )
    staff = factories.AgencyStaffFactory()
    opening = fair_services.job_opening_create(
        actor=staff.user, title="保洁", category=factories.category("housekeeper"), fair=fair
    )
    for _ in range(4):
        fair_services.job_apply(opening_id=opening.pk, worker=factories.WorkerFactory())
    application = JobApplication.objects.order_by("pk").first()
    stranger = session_client(factories.AgencyStaffFactory().user)
    assert stranger.post(f"/agency/applications/{application.pk}/hire/").status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPLIED
    console = session_client(officer)
    with django_assert_max_num_queries(12):
        response = console.get("/federation/fairs/")
    assert f'data-opening="{opening.pk}"' in response.content.decode()
    mine = session_client(staff.user)
    with django_assert_max_num_queries(14):
        assert mine.get("/agency/applications/").status_code == 200


def test_officer_schedules_a_fair_and_an_agency_posts_an_opening_women_see():
    officer = session_client(factories.FederationOfficerFactory().user)
    body = {
        "name": "春季家政招聘会",
        "mode": "onsite",
        "held_on": str(timezone.localdate() + dt.timedelta(days=5)),
        "place": "",
        "division": helpers.SEAT,
    }
    bad = officer.post("/federation/fairs/", body)
    assert bad.status_code == 400
    assert 'data-field-error="place"' in bad.content.decode()
    assert not JobFair.objects.exists()
    assert officer.post("/federation/fairs/", {**body, "place": "人力资源市场"}).status_code == 302
    fair = JobFair.objects.get()

    staff = factories.AgencyStaffFactory()
    agency = session_client(staff.user)
    opening = {
        "fair": str(fair.pk),
        "title": "住家月嫂",
        "category": "maternity_nurse",
        "positions": "2",
        "salary_min": "9000",
        "salary_max": "6000",
    }
    refused = agency.post("/agency/applications/", opening)
    assert refused.status_code == 400
    assert 'data-field-error="salary_max"' in refused.content.decode()
    assert not JobOpening.objects.exists()
    agency.post("/agency/applications/", {**opening, "salary_max": "12000"})
    posted = JobOpening.objects.get()
    assert (posted.fair_id, posted.agency_id, posted.salary_max) == (
        fair.pk,
        staff.agency_id,
        1200000,
    )
    jobs = session_client(factories.WorkerFactory().user).get("/worker/jobs/").content.decode()
    assert f'data-opening="{posted.pk}"' in jobs and "春季家政招聘会" in jobs


def test_dashboard_shows_the_funnel_by_town_and_trade():
    officer = factories.FederationOfficerFactory().user
    seat = factories.division()
    worker = factories.WorkerFactory(division=seat, trades=["housekeeper"])
    session = health_services.health_check_session_create(
        actor=officer,
        name="集中体检",
        division=seat,
        place="卫生院",
        held_on=timezone.localdate(),
        capacity=3,
    )
    booking = health_services.health_check_book(session_id=session.pk, worker=worker)
    health_services.health_check_result_record(
        booking_id=booking.pk, result="passed", actor=officer
    )
    metrics_rebuild()  # the factory's own credentials were written without the hooks
    html = session_client(officer).get("/federation/").content.decode()
    by_town = html.split('data-funnel-breakdown="division"', 1)[1].split("</table>", 1)[0]
    row = by_town.split(f'data-row="{seat.code}"', 1)[1].split("</tr>", 1)[0]
    checked = row.split('data-stage="health_checked">', 1)[1].split("<", 1)[0]
    assert int(checked) >= 1
    assert 'data-funnel-breakdown="category"' in html
