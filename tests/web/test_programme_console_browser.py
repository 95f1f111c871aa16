"""The programme console on a phone (360×740): a village officer imports her village list and
makes two women's accounts with their consent; the federation runs the course (enrolment,
attendance, completion) and the exam; the certified women become matchable; a woman claims
her account with the code sent to her phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.models import Category, Division
from marketplace.selectors.eligibility import eligible_workers
from marketplace.services.credentials import worker_identity_verify
from programme.models import Candidate, Course
from tests import factories
from tests.web.programme_console_world import (
    SEAT,
    claim_code,
    federation_user,
    village_officer,
    village_rows,
    xlsx,
)
from tests.web.test_browser_flow import session_cookie, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


def _signed_in(phone, live_url, user):
    context = phone()
    context.add_cookies([session_cookie(user, live_url)])
    return context.new_page()


def _import_and_make_accounts(page, live_url) -> list[Candidate]:
    page.goto(f"{live_url}/programme/console/import/")
    fits(page)
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "前屯村.xlsx", "mimeType": XLSX_TYPE, "buffer": xlsx(village_rows(2))}],
    )
    page.click("button[type=submit]:has-text('预览')")
    page.wait_for_selector("[data-confirm-import]")
    assert page.inner_text("[data-preview=new] strong") == "2"
    fits(page)
    shot(page, "console-import-preview")
    page.click("[data-confirm-import]")
    page.wait_for_selector("[data-candidate]")
    women = list(Candidate.objects.order_by("phone"))
    assert [w.phone for w in women] == ["13900000001", "13900000002"]
    for woman in women:
        page.goto(f"{live_url}/programme/console/candidates/{woman.pk}/")
        page.check("input[name=consent_method][value=in_person]")
        page.check("input[name=confirmed]")
        page.click("[data-account-form] button[type=submit]")
        page.wait_for_selector("[data-account]")
        assert page.get_attribute(".next-step", "data-stage") == "registered"
    fits(page)
    return [Candidate.objects.get(pk=w.pk) for w in women]


def _create_and_publish_course(page, live_url) -> Course:
    today = timezone.localdate()
    page.goto(f"{live_url}/programme/console/courses/new/")
    fits(page)
    page.fill("#id_name", "家政服务员岗前培训（前屯村）")
    page.select_option("#id_category", str(Category.objects.get(code="housekeeper").pk))
    page.select_option("#id_kind", "pre_job")
    page.select_option("#id_mode", "offline")
    page.select_option("#id_division", str(Division.objects.get(code=SEAT).pk))
    page.fill("#id_place", "前屯村妇女之家")
    page.fill("#id_starts_on", today.isoformat())
    page.fill("#id_ends_on", (today + dt.timedelta(days=5)).isoformat())
    page.fill("#id_capacity", "20")
    page.fill("#id_teacher", "李老师")
    page.click("button[type=submit]:has-text('创建课程')")
    page.click("[data-transition=open]")
    page.wait_for_selector("[data-course-status=open]")
    return Course.objects.get()


def _run_course(page, live_url, course: Course) -> None:
    page.goto(f"{live_url}/programme/console/courses/{course.pk}/")
    page.click("[data-transition=running]")
    page.wait_for_selector("[data-course-status=running]")
    page.click("[data-attendance-link]")
    for box in page.locator("input[type=checkbox][name^=present_]").all():
        box.check()
    fits(page)
    page.click("[data-attendance-form] button[type=submit]")
    page.wait_for_selector("[data-course-status=running]")
    while page.locator("[data-complete=passed]").count():
        page.locator("[data-complete=passed]").first.click()
        page.wait_for_load_state()
    fits(page)
    shot(page, "console-course-completed")


def _record_exam(page, live_url, course: Course) -> list[str]:
    page.goto(f"{live_url}/programme/console/exams/new/?course={course.pk}")
    page.fill("#id_name", "家政服务员资格考试")
    page.fill("#id_held_on", timezone.localdate().isoformat())
    page.fill("#id_place", "临清市职业中专")
    page.click("button[type=submit]:has-text('安排考试')")
    page.wait_for_selector("[data-register-form]")
    for box in page.locator("[data-register-form] input[name=candidates]").all():
        box.check()
    page.click("[data-register-form] button[type=submit]")
    page.wait_for_selector("[data-registration]")
    for score in ("86", "92"):
        row = page.locator("[data-registration][data-result=pending]").first
        row.locator("input[name=score]").fill(score)
        row.locator("button[type=submit]").click()
        page.wait_for_load_state()
    numbers = [
        page.get_attribute(f"[data-certificate] >> nth={i}", "data-certificate") for i in (0, 1)
    ]
    fits(page)
    page.locator("[data-certificate]").first.click()
    page.wait_for_selector("[data-certificate-page]")
    assert page.inner_text("[data-number]") == numbers[0]
    fits(page)
    shot(page, "console-certificate")
    return numbers


def test_officers_take_a_village_list_to_matchable_certified_women(live_url, phone):
    village = _signed_in(phone, live_url, village_officer(SEAT).user)
    women = _import_and_make_accounts(village, live_url)
    county = _signed_in(phone, live_url, federation_user())
    course = _create_and_publish_course(county, live_url)

    # The village officer enrols her women.
    village.goto(f"{live_url}/programme/console/courses/{course.pk}/")
    for box in village.locator("[data-enrol-form] input[name=candidates]").all():
        box.check()
    village.click("[data-enrol-form] button[type=submit]")
    village.wait_for_selector("[data-enrolment]")
    assert village.locator("[data-enrolment]").count() == 2

    _run_course(county, live_url, course)
    numbers = _record_exam(county, live_url, course)
    assert all(n.startswith("LQ-HK-") for n in numbers)

    # Certified and trained; once identity and a health check are on record, matchable.
    housekeeper = Category.objects.get(code="housekeeper")
    day = timezone.localdate() + dt.timedelta(days=1)
    officer = federation_user()
    for woman in women:
        worker = woman.worker
        worker_identity_verify(worker=worker, actor=officer)
        factories.HealthCheckFactory(worker=worker)
    matchable = eligible_workers(category=housekeeper, starts_on=day, ends_on=day)
    assert set(matchable.values_list("pk", flat=True)) == {w.worker_id for w in women}
    village.goto(f"{live_url}/programme/console/?stage=health_checked")
    assert village.locator("[data-stage=health_checked]").count() == 2

    # She claims her account with the code sent to her phone, and is signed in as herself.
    her = phone()
    page = her.new_page()
    page.goto(f"{live_url}/accounts/claim/")
    fits(page)
    page.fill("#id_phone", "139 0000 0001")
    page.fill("#id_code", claim_code(women[0].worker.user))
    page.fill("#id_password", "Her-0wn-pass!")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/claim/" not in url)
    women[0].worker.user.refresh_from_db()
    assert women[0].worker.user.check_password("Her-0wn-pass!")
    fits(page)
