"""Facts the metrics count: trained → certified → placed, by division and trade."""

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.models import Division
from programme import selectors
from programme.services import courses as course_services
from programme.services import exams as exam_services
from programme.services import fairs as fair_services
from programme.services import hiring
from tests import factories
from tests.programme import helpers

pytestmark = pytest.mark.django_db


def test_funnel_counts_distinct_workers_through_each_step():
    officer = helpers.officer()
    course, _ = helpers.running_course(actor=officer, trade="maternity_nurse")
    seat = factories.division()
    elsewhere = Division.objects.exclude(pk=seat.pk).first()
    workers = [factories.WorkerFactory(credentials=False) for _ in range(3)]
    far = factories.WorkerFactory(credentials=False, division=elsewhere)
    enrolments = [
        course_services.course_enrol(course_id=course.pk, actor=officer, worker=w)
        for w in [*workers, far]
    ]
    course_services.course_transition(course_id=course.pk, to_status="running", actor=officer)
    for enrolment in enrolments:
        course_services.enrolment_complete(
            enrolment_id=enrolment.pk, result="passed", actor=officer
        )
    exam = helpers.exam(actor=officer, trade="maternity_nurse")
    for worker in workers[:2]:
        registration = exam_services.exam_register(exam_id=exam.pk, worker=worker, actor=officer)
        exam_services.exam_result_record(registration_id=registration.pk, score=80, actor=officer)
    staff = factories.AgencyStaffFactory()
    opening = fair_services.job_opening_create(
        actor=staff.user, title="月嫂", category=exam.category, positions=5
    )
    application = fair_services.job_apply(opening_id=opening.pk, worker=workers[0])
    hiring.job_application_hire(application_id=application.pk, actor=staff.user)
    hiring.job_offer_accept(application_id=application.pk, worker=workers[0])

    assert selectors.programme_funnel() == {"trained": 4, "certified": 2, "placed": 1}
    assert selectors.programme_funnel(division=seat) == {"trained": 3, "certified": 2, "placed": 1}
    assert selectors.programme_funnel(division=elsewhere)["trained"] == 1
    later = timezone.now() + dt.timedelta(days=1)
    assert selectors.programme_funnel(start=later)["trained"] == 0
    assert selectors.trained_workers(category=factories.category("housekeeper")).count() == 0
    assert selectors.hires(division=seat).count() == 1
    assert selectors.certified_results(category=exam.category).count() == 2
