"""A woman at 360 px: she enrols in a course near her and later sees her certificate, books a
health-check session, applies to a fair opening and accepts the agency's hire."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.models import RosterEntry
from programme.models import ApplicationStatus, BookingStatus, Enrolment, HealthCheckBooking
from programme.services import exams as exam_services
from programme.services import fairs as fair_services
from programme.services import health_checks as health_services
from tests import factories
from tests.programme import helpers
from tests.web.test_browser_flow import session_cookie, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_woman_enrols_books_a_health_check_and_is_hired(live_url, phone):
    officer = helpers.officer()
    seat = factories.division()
    worker = factories.WorkerFactory(credentials=False, trades=["housekeeper"], division=seat)
    course = helpers.course(actor=officer, capacity=12)
    session = health_services.health_check_session_create(
        actor=officer,
        name="青年路街道集中体检",
        division=seat,
        place="街道卫生院",
        held_on=timezone.localdate(),
        capacity=5,
    )
    context = phone()
    context.add_cookies([session_cookie(worker.user, live_url)])
    page = context.new_page()

    # Her checklist points at the next course in her town, with its seats, and 报名.
    page.goto(f"{live_url}/worker/offers/")
    training = page.locator("[data-step=training]")
    assert "12" in training.inner_text()
    training.locator("[data-next-signup]").click()
    page.wait_for_url("**/worker/programme/")
    card = page.locator(f"[data-course='{course.pk}']")
    assert card.locator("[data-seats-left]").get_attribute("data-seats-left") == "12"
    card.locator("button[data-action=enrol]").click()
    page.wait_for_url("**/worker/programme/")
    enrolment = Enrolment.objects.get(worker=worker, course=course)
    assert page.locator(f"[data-enrolment='{enrolment.pk}']").get_attribute("data-status") == (
        "enrolled"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "programme-women-enrolled")

    # The exam she passes gives her a certificate, shown on the same page.
    exam = helpers.exam(actor=officer, trade="housekeeper")
    registration = exam_services.exam_register(exam_id=exam.pk, worker=worker, actor=officer)
    exam_services.exam_result_record(registration_id=registration.pk, score=88, actor=officer)
    page.reload()
    certificate = worker.certificates.get()
    assert certificate.number in page.inner_text(f"[data-certificate='{certificate.pk}']")

    # She books the health check; the officer's pass gives her the credential.
    page.goto(f"{live_url}/worker/health-checks/")
    page.locator(f"[data-session='{session.pk}'] button[data-action=book]").click()
    page.wait_for_url("**/worker/health-checks/")
    booking = HealthCheckBooking.objects.get(worker=worker)
    assert page.locator(f"[data-booking='{booking.pk}']").get_attribute("data-status") == "booked"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    health_services.health_check_result_record(
        booking_id=booking.pk, result=BookingStatus.PASSED, actor=officer
    )
    assert worker.health_checks.get().valid_until > timezone.localdate()

    # A fair opening: she applies; the agency hires her from its page; she accepts.
    fair = fair_services.job_fair_create(
        actor=officer,
        name="临清市家政专场招聘会",
        mode="onsite",
        held_on=timezone.localdate() + dt.timedelta(days=1),
        place="人力资源市场",
        division=seat,
    )
    staff = factories.AgencyStaffFactory()
    opening = fair_services.job_opening_create(
        actor=staff.user, title="住家保洁", category=exam.category, positions=2, fair=fair
    )
    page.goto(f"{live_url}/worker/jobs/")
    page.locator(f"[data-opening='{opening.pk}'] button[data-action=apply]").click()
    page.wait_for_url("**/worker/jobs/")
    application = opening.applications.get()

    agency = phone()
    agency.add_cookies([session_cookie(staff.user, live_url)])
    console = agency.new_page()
    console.goto(f"{live_url}/agency/applications/")
    console.locator(f"[data-application='{application.pk}'] button[data-action=hire]").click()
    console.wait_for_url("**/agency/applications/")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.OFFERED
    assert console.evaluate("document.documentElement.scrollWidth") <= 360

    page.reload()
    page.locator(f"[data-application='{application.pk}'] button[data-action=accept]").click()
    page.wait_for_url("**/worker/jobs/")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.HIRED
    entry = RosterEntry.objects.get(worker=worker, agency=staff.agency)
    assert entry.status == RosterEntry.Status.ACTIVE
    assert page.locator(f"[data-application='{application.pk}']").get_attribute("data-status") == (
        "hired"
    )
    shot(page, "programme-women-hired")
