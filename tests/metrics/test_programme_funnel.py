"""The dashboard funnel — candidate → registered → trained → certified → health-checked →
placed — moves with each step a woman takes, and the rollups always equal the recomputation."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from marketplace.models import RosterEntry
from metrics.apis import breakdown_rows, metrics_csv
from metrics.reconcile import metrics_rebuild, metrics_reconcile
from metrics.selectors import MetricsFilter, metrics_breakdown, metrics_summary
from programme.services import candidates as candidate_services
from programme.services import courses as course_services
from programme.services import exams as exam_services
from programme.services import fairs as fair_services
from programme.services import health_checks as health_services
from programme.services import hiring
from tests import factories
from tests.programme import helpers

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def funnel(**filters) -> dict:
    period = MetricsFilter(start=TODAY - dt.timedelta(days=30), end=TODAY, **filters)
    return metrics_summary(filters=period)["funnel"]


def stages(**filters) -> list[int]:
    row = funnel(**filters)
    return [
        row[key]
        for key in ("candidates", "registered", "trained", "certified", "health_checked", "placed")
    ]


def test_each_step_moves_the_funnel_and_reconcile_stays_clean():
    officer = helpers.officer()
    seat = factories.division()
    metrics_rebuild()
    base = stages()
    assert metrics_reconcile().is_clean

    candidate_services.candidate_create(
        actor=officer, name="李秀英", phone="13912345678", division=seat, village="东村"
    )
    assert stages()[0] == base[0] + 1

    worker = factories.WorkerFactory(credentials=False, trades=["housekeeper"], division=seat)
    assert stages()[1] == base[1] + 1

    course, _ = helpers.running_course(actor=officer)
    enrolment = course_services.course_enrol(course_id=course.pk, actor=officer, worker=worker)
    course_services.course_transition(course_id=course.pk, to_status="running", actor=officer)
    course_services.enrolment_complete(enrolment_id=enrolment.pk, result="passed", actor=officer)
    assert stages()[2] == base[2] + 1
    assert metrics_reconcile().is_clean

    exam = helpers.exam(actor=officer, trade="housekeeper")
    registration = exam_services.exam_register(exam_id=exam.pk, worker=worker, actor=officer)
    exam_services.exam_result_record(registration_id=registration.pk, score=90, actor=officer)
    assert stages()[3] == base[3] + 1
    assert metrics_reconcile().is_clean

    session = health_services.health_check_session_create(
        actor=officer, name="集中体检", division=seat, place="卫生院", held_on=TODAY, capacity=5
    )
    booking = health_services.health_check_book(session_id=session.pk, worker=worker)
    health_services.health_check_result_record(
        booking_id=booking.pk, result="passed", actor=officer
    )
    assert stages()[4] == base[4] + 1
    assert metrics_reconcile().is_clean
    by_division = metrics_breakdown(
        filters=MetricsFilter(start=TODAY - dt.timedelta(days=30), end=TODAY), by="division"
    )
    assert by_division[seat.pk]["funnel"]["health_checked"] >= 1

    staff = factories.AgencyStaffFactory()
    opening = fair_services.job_opening_create(
        actor=staff.user, title="家政服务员", category=exam.category, positions=2
    )
    application = fair_services.job_apply(opening_id=opening.pk, worker=worker)
    hiring.job_application_hire(application_id=application.pk, actor=staff.user)
    assert stages()[5] == base[5]  # not placed until she accepts
    hiring.job_offer_accept(application_id=application.pk, worker=worker)
    assert RosterEntry.objects.get(worker=worker).status == RosterEntry.Status.ACTIVE
    assert stages()[5] == base[5] + 1
    assert stages(category_id=exam.category_id)[5] >= 1
    assert metrics_reconcile().is_clean

    # The CSV an officer checks by hand carries the stages per town.
    period = MetricsFilter(start=TODAY - dt.timedelta(days=30), end=TODAY, division_id=seat.pk)
    rows = list(csv.reader(io.StringIO(metrics_csv(breakdown_rows(period, "division"))[1:])))
    header, row = rows[0], rows[1]
    assert row[0] == seat.code
    assert row[header.index("意向人员数")] == str(funnel(division_id=seat.pk)["candidates"])
    assert row[header.index("体检人数")] == "1"
    assert row[header.index("就业（录用或签约）人数")] == "1"


def test_a_full_course_puts_her_on_the_waiting_list_and_a_freed_seat_goes_to_her():
    officer = helpers.officer()
    course = helpers.course(actor=officer, capacity=1)
    first, second = factories.WorkerFactory(), factories.WorkerFactory()
    taken = course_services.course_enrol(course_id=course.pk, actor=first.user, worker=first)
    waiting = course_services.course_enrol(
        course_id=course.pk, actor=second.user, worker=second, wait_if_full=True
    )
    assert waiting.status == "waiting"
    course.refresh_from_db()
    assert course.enrolled_count == 1
    course_services.enrolment_withdraw(enrolment_id=taken.pk, actor=first.user)
    waiting.refresh_from_db()
    course.refresh_from_db()
    assert waiting.status == "enrolled" and course.enrolled_count == 1


def test_changing_a_hired_openings_trade_moves_her_placement_and_reconciles():
    staff = factories.AgencyStaffFactory()
    worker = factories.WorkerFactory()
    opening = fair_services.job_opening_create(
        actor=staff.user, title="保洁", category=factories.category("housekeeper")
    )
    application = fair_services.job_apply(opening_id=opening.pk, worker=worker)
    hiring.job_application_hire(application_id=application.pk, actor=staff.user)
    hiring.job_offer_accept(application_id=application.pk, worker=worker)
    metrics_rebuild()
    carer = factories.category("elderly_carer")
    fair_services.job_opening_update(opening_id=opening.pk, actor=staff.user, category=carer)
    assert metrics_reconcile().is_clean
    assert funnel(category_id=carer.pk)["placed"] == 1
