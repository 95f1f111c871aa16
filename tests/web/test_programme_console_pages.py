"""The programme console's pages through the Django client: who may use them, village intake
(one at a time, .xlsx/.csv with preview, nothing twice), accounts made on her behalf with her
consent, courses (waiting list, attendance, completion) and exams (scores, certificates)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from marketplace.models import Certificate, Division, PhoneCode, TrainingRecord, User
from programme.candidate_stages import candidate_stages
from programme.models import (
    Attendance,
    Candidate,
    Course,
    CourseStatus,
    Enrolment,
    ExamResult,
    WaitlistEntry,
)
from programme.services import courses as course_services
from programme.services import exams as exam_services
from tests import factories
from tests.conftest import client_for
from tests.programme import helpers
from tests.web.conftest import session_client
from tests.web.programme_console_world import (
    SEAT,
    SONGLIN,
    claim_code,
    federation_user,
    village_officer,
    village_rows,
    xlsx,
)

pytestmark = pytest.mark.django_db

CONSOLE = "/programme/console/"


def upload(client, content: bytes, name: str = "村名单.xlsx"):
    return client.post(f"{CONSOLE}import/", {"file": SimpleUploadedFile(name, content)})


def candidate(code: str = SEAT, phone: str = "13900001111", name: str = "赵桂兰") -> Candidate:
    return Candidate.objects.create(
        name=name, phone=phone, division=Division.objects.get(code=code), village="前屯村"
    )


# ---- who may use the console ------------------------------------------------------------------


@pytest.mark.parametrize(
    "make_user",
    [
        lambda: factories.HouseholdFactory().user,
        lambda: factories.WorkerFactory().user,
        lambda: factories.AgencyStaffFactory().user,
    ],
    ids=["household", "worker", "agency_staff"],
)
def test_households_workers_and_agencies_get_403(make_user):
    target = candidate()
    client = session_client(make_user())
    for url in [
        CONSOLE,
        f"{CONSOLE}candidates/new/",
        f"{CONSOLE}candidates/{target.pk}/",
        f"{CONSOLE}import/",
        f"{CONSOLE}courses/",
        f"{CONSOLE}exams/",
    ]:
        assert client.get(url).status_code == 403, url
    refused = client.post(f"{CONSOLE}candidates/{target.pk}/account/", {"consent_method": "x"})
    assert refused.status_code == 403
    assert Candidate.objects.get(pk=target.pk).worker_id is None


def test_anonymous_goes_to_sign_in():
    response = session_client().get(CONSOLE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_village_officer_sees_only_her_divisions_candidates():
    ours = candidate(SEAT, "13900001111", "本镇人")
    theirs = candidate(SONGLIN, "13900002222", "外镇人")
    officer = village_officer(SEAT)
    client = session_client(officer.user)
    page = client.get(CONSOLE).content.decode()
    assert "本镇人" in page and "外镇人" not in page
    assert client.get(f"{CONSOLE}candidates/{ours.pk}/").status_code == 200
    assert client.get(f"{CONSOLE}candidates/{theirs.pk}/").status_code == 404
    refused = client.post(
        f"{CONSOLE}candidates/{theirs.pk}/account/",
        {"consent_method": "in_person", "confirmed": "on"},
    )
    assert refused.status_code == 404
    assert Candidate.objects.get(pk=theirs.pk).worker_id is None
    # Courses and exams are the county's to run.
    assert client.get(f"{CONSOLE}courses/new/").status_code == 403
    assert client.get(f"{CONSOLE}exams/").status_code == 403
    # The federation sees both.
    county = session_client(federation_user()).get(CONSOLE).content.decode()
    assert "本镇人" in county and "外镇人" in county
    operator = session_client(factories.operator_user()).get(CONSOLE).content.decode()
    assert "本镇人" in operator and "外镇人" in operator


def test_the_api_scopes_a_village_officer_too():
    candidate(SEAT, "13900001111", "本镇人")
    theirs = candidate(SONGLIN, "13900002222", "外镇人")
    api = client_for(village_officer(SEAT).user)
    listed = api.get("/api/v1/programme/candidates/").json()
    assert [row["name"] for row in listed["results"]] == ["本镇人"]
    assert api.get(f"/api/v1/programme/candidates/{theirs.pk}/").status_code == 404
    body = {"name": "新人", "phone": "13900003333", "division": SONGLIN, "village": "东村"}
    refused = api.post("/api/v1/programme/candidates/", body, format="json")
    assert refused.status_code == 403
    assert not Candidate.objects.filter(phone="13900003333").exists()
    assert api.get("/api/v1/programme/courses/").status_code == 403


# ---- intake -----------------------------------------------------------------------------------


def test_village_officer_adds_one_woman_in_her_division_only():
    officer = village_officer(SEAT)
    client = session_client(officer.user)
    seat = Division.objects.get(code=SEAT)
    songlin = Division.objects.get(code=SONGLIN)
    body = {"name": "赵桂兰", "phone": "13900001111", "division": seat.pk, "village": "前屯村"}
    added = client.post(f"{CONSOLE}candidates/new/", body)
    assert added.status_code == 302
    assert Candidate.objects.get(phone="13900001111").created_by == officer.user
    other = client.post(
        f"{CONSOLE}candidates/new/", {**body, "phone": "13900002222", "division": songlin.pk}
    )
    assert other.status_code == 200 and 'data-field-error="division"' in other.content.decode()
    again = client.post(f"{CONSOLE}candidates/new/", body)
    assert "该手机号已在名单中" in again.content.decode()
    assert Candidate.objects.count() == 1


def test_xlsx_import_previews_then_imports_all_and_never_twice():
    client = session_client(village_officer(SEAT).user)
    content = xlsx(village_rows(3))
    preview = upload(client, content)
    assert preview.status_code == 200
    assert not Candidate.objects.exists()  # a preview writes nothing
    token = preview.context["token"]
    assert len(preview.context["preview"].new) == 3
    done = client.post(f"{CONSOLE}import/confirm/", {"token": token})
    assert done.status_code == 302
    assert sorted(Candidate.objects.values_list("phone", flat=True)) == [
        "13900000001",
        "13900000002",
        "13900000003",
    ]
    # The same list with one more woman: only she is new.
    again = upload(client, xlsx(village_rows(4)))
    assert len(again.context["preview"].existing) == 3
    assert len(again.context["preview"].new) == 1
    client.post(f"{CONSOLE}import/confirm/", {"token": again.context["token"]})
    assert Candidate.objects.count() == 4
    # A token is used once.
    client.post(f"{CONSOLE}import/confirm/", {"token": again.context["token"]})
    assert Candidate.objects.count() == 4


def test_a_list_with_bad_rows_shows_each_and_imports_nothing():
    client = session_client(village_officer(SEAT).user)
    rows = village_rows(2) + [
        ["孙兰英", "12345", "青年路街道", "东村", ""],
        ["外镇人", "13900000009", "松林镇", "西村", ""],
    ]
    preview = upload(client, xlsx(rows))
    page = preview.content.decode()
    assert 'data-error-row="4"' in page and 'data-error-row="5"' in page
    assert "data-confirm-import" not in page
    assert not Candidate.objects.exists()


def test_csv_import_reuses_the_village_list_rules():
    client = session_client(federation_user())
    text = "姓名,手机号,镇街,村\n赵桂兰,13900001111,青年路街道,前屯村\n"
    preview = upload(client, text.encode("gbk"), "名单.csv")
    client.post(f"{CONSOLE}import/confirm/", {"token": preview.context["token"]})
    assert Candidate.objects.get().name == "赵桂兰"
    broken = upload(client, b"PK\x03\x04 not a workbook", "x.xlsx")
    assert broken.status_code == 400 and 'data-field-error="file"' in broken.content.decode()


def test_candidate_list_reads_a_fixed_number_of_queries(django_assert_max_num_queries):
    officer = village_officer(SEAT)
    for n in range(12):
        candidate(SEAT, f"139000010{n:02d}", f"村民{n}")
    client = session_client(officer.user)
    with django_assert_max_num_queries(16):
        assert client.get(CONSOLE).status_code == 200


# ---- an account made on her behalf, and claiming it ------------------------------------------


def test_account_on_her_behalf_records_consent_and_has_no_known_password():
    officer = village_officer(SEAT)
    target = candidate()
    client = session_client(officer.user)
    missing = client.post(f"{CONSOLE}candidates/{target.pk}/account/", {"consent_method": ""})
    assert missing.status_code == 400 and not User.objects.filter(phone="+8613900001111")
    made = client.post(
        f"{CONSOLE}candidates/{target.pk}/account/",
        {"consent_method": "signed_form", "confirmed": "on"},
    )
    assert made.status_code == 302
    target.refresh_from_db()
    user = target.worker.user
    assert not user.has_usable_password()
    assert (target.consent_method, target.consent_recorded_by) == ("signed_form", officer.user)
    assert target.consent_recorded_at is not None
    assert PhoneCode.objects.filter(user=user, purpose="claim", used_at__isnull=True).count() == 1
    page = client.get(f"{CONSOLE}candidates/{target.pk}/").content.decode()
    assert 'data-stage="registered"' in page and "data-unclaimed" in page
    assert claim_code(user) not in page  # the officer never sees her code


def test_she_claims_her_account_on_the_page_and_is_signed_in():
    officer = village_officer(SEAT)
    target = candidate()
    session_client(officer.user).post(
        f"{CONSOLE}candidates/{target.pk}/account/",
        {"consent_method": "in_person", "confirmed": "on"},
    )
    user = Candidate.objects.get(pk=target.pk).worker.user
    client = session_client()
    wrong = client.post(
        "/accounts/claim/", {"phone": "13900001111", "code": "000000", "password": "Her-0wn-pass!"}
    )
    assert wrong.status_code == 400 and "验证码错误" in wrong.content.decode()
    code = claim_code(user)
    done = client.post(
        "/accounts/claim/", {"phone": "139 0000 1111", "code": code, "password": "Her-0wn-pass!"}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Her-0wn-pass!") and user.phone_verified_at is not None
    assert client.get("/worker/profile/").status_code == 200  # signed in as her
    # The code is spent, and a claimed account cannot be claimed again.
    again = session_client().post(
        "/accounts/claim/", {"phone": "13900001111", "code": code, "password": "Other-pass-99"}
    )
    assert again.status_code == 400
    assert User.objects.get(pk=user.pk).check_password("Her-0wn-pass!")


def test_claim_api_signs_her_in_and_is_throttled(settings):
    settings.REACH = {**settings.REACH, "CLAIM_TRIES_PER_PHONE_HOUR": 3}
    target = candidate()
    session_client(federation_user()).post(
        f"{CONSOLE}candidates/{target.pk}/account/",
        {"consent_method": "phone_call", "confirmed": "on"},
    )
    user = Candidate.objects.get(pk=target.pk).worker.user
    api = APIClient()
    bad = api.post(
        "/api/v1/auth/claim/",
        {"phone": "13900001111", "code": "000000", "password": "Her-0wn-pass!"},
        format="json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "code"
    good = api.post(
        "/api/v1/auth/claim/",
        {"phone": "13900001111", "code": claim_code(user), "password": "Her-0wn-pass!"},
        format="json",
    )
    assert good.status_code == 200 and {"access", "refresh"} <= set(good.json())
    api.post(
        "/api/v1/auth/claim/",
        {"phone": "13900001111", "code": "111111", "password": "Her-0wn-pass!"},
        format="json",
    )
    throttled = api.post(
        "/api/v1/auth/claim/",
        {"phone": "13900001111", "code": "222222", "password": "Her-0wn-pass!"},
        format="json",
    )
    assert throttled.status_code == 429


# ---- courses ----------------------------------------------------------------------------------


def test_course_created_published_and_full_courses_keep_a_waiting_list():
    officer = federation_user()
    client = session_client(officer)
    today = timezone.localdate()
    created = client.post(
        f"{CONSOLE}courses/new/",
        {
            "name": "家政服务员岗前培训",
            "category": factories.category("housekeeper").pk,
            "kind": "pre_job",
            "mode": "offline",
            "division": Division.objects.get(code=SEAT).pk,
            "place": "青年路街道妇女之家",
            "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=5)).isoformat(),
            "capacity": 2,
            "teacher": "李老师",
        },
    )
    assert created.status_code == 302, created.content.decode()[:2000]
    course = Course.objects.get()
    client.post(f"{CONSOLE}courses/{course.pk}/transition/", {"to_status": "open"})
    assert Course.objects.get().status == CourseStatus.OPEN
    women = [candidate(SEAT, f"1390000100{n}", f"学员{n}") for n in range(3)]
    # A village officer enrols her women; the third waits.
    village = session_client(village_officer(SEAT).user)
    village.post(f"{CONSOLE}courses/{course.pk}/enrol/", {"candidates": [w.pk for w in women]})
    assert Enrolment.objects.filter(course=course).count() == 2
    assert list(WaitlistEntry.objects.values_list("candidate__name", flat=True)) == ["学员2"]
    # A seat frees: the waiting list takes it.
    first = Enrolment.objects.filter(course=course).order_by("pk").first()
    client.post(f"{CONSOLE}courses/{course.pk}/withdraw/", {"enrolment": first.pk})
    assert Enrolment.objects.filter(course=course, status="enrolled").count() == 2
    assert Enrolment.objects.filter(candidate=women[2], status="enrolled").exists()
    assert not WaitlistEntry.objects.exists()


def test_attendance_per_session_and_completion_writes_the_training_record():
    officer = federation_user()
    course, _ = helpers.running_course(actor=officer)
    woman = factories.WorkerFactory(credentials=False)
    enrolment = Enrolment.objects.create(
        course=course, worker=woman, enrolled_at=timezone.now(), enrolled_by=officer
    )
    Course.objects.filter(pk=course.pk).update(enrolled_count=1, status=CourseStatus.RUNNING)
    client = session_client(officer)
    day = course.starts_on.isoformat()
    saved = client.post(
        f"{CONSOLE}courses/{course.pk}/attendance/",
        {"session_on": day, f"present_{enrolment.pk}": "on"},
    )
    assert saved.status_code == 302
    assert Attendance.objects.get(enrolment=enrolment).is_present is True
    future = client.post(
        f"{CONSOLE}courses/{course.pk}/attendance/",
        {"session_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat()},
    )
    assert future.status_code == 400
    client.post(
        f"{CONSOLE}courses/{course.pk}/complete/", {"enrolment": enrolment.pk, "result": "passed"}
    )
    record = TrainingRecord.objects.get(worker=woman)
    assert record.verified_by == officer and record.kind == course.kind


# ---- exams ------------------------------------------------------------------------------------


def _exam_with_registration(officer, *, held_on=None):
    exam = helpers.exam(actor=officer, trade="housekeeper", held_on=held_on)
    woman = factories.WorkerFactory(credentials=False, phone="+8613900005555")
    registration = exam_services.exam_register(
        exam_id=exam.pk, worker=woman, actor=officer, today=exam.held_on
    )
    return exam, woman, registration


def test_exam_scores_one_by_one_issue_a_numbered_certificate_with_a_print_page():
    officer = federation_user()
    exam, woman, registration = _exam_with_registration(
        officer, held_on=timezone.localdate() - dt.timedelta(days=1)
    )
    client = session_client(officer)
    bad = client.post(
        f"{CONSOLE}exams/{exam.pk}/score/", {"registration": registration.pk, "score": "101"}
    )
    assert bad.status_code == 302 and not Certificate.objects.exists()
    client.post(
        f"{CONSOLE}exams/{exam.pk}/score/", {"registration": registration.pk, "score": "88"}
    )
    registration.refresh_from_db()
    assert registration.result == ExamResult.PASSED
    number = registration.certificate.number
    assert number.startswith("LQ-HK-")
    page = client.get(f"{CONSOLE}exams/{exam.pk}/certificates/{registration.pk}/")
    assert page.status_code == 200 and number in page.content.decode()
    assert "data-print" in page.content.decode()


def test_exam_scores_from_a_spreadsheet_are_all_or_nothing():
    officer = federation_user()
    exam, woman, registration = _exam_with_registration(
        officer, held_on=timezone.localdate() - dt.timedelta(days=1)
    )
    client = session_client(officer)
    sheet = "手机号,成绩\n13900005555,75\n13900006666,90\n".encode()
    refused = client.post(
        f"{CONSOLE}exams/{exam.pk}/scores/", {"file": SimpleUploadedFile("s.csv", sheet)}
    )
    assert refused.status_code == 400 and "第 3 行" in refused.content.decode()
    registration.refresh_from_db()
    assert registration.result == ExamResult.PENDING
    good = "手机号,成绩\n13900005555,45\n".encode()
    client.post(f"{CONSOLE}exams/{exam.pk}/scores/", {"file": SimpleUploadedFile("s.csv", good)})
    registration.refresh_from_db()
    assert (registration.score, registration.result) == (45, ExamResult.FAILED)
    assert not Certificate.objects.exists()


def test_course_and_exam_services_refuse_a_village_officer():
    officer = village_officer(SEAT)
    course = helpers.course(actor=federation_user())
    client = session_client(officer.user)
    assert (
        client.post(
            f"{CONSOLE}courses/{course.pk}/transition/", {"to_status": "running"}
        ).status_code
        == 403
    )
    with pytest.raises(Exception) as refused:
        course_services.course_transition(
            course_id=course.pk, to_status="running", actor=officer.user
        )
    assert getattr(refused.value, "status_code", None) == 403
    assert Course.objects.get(pk=course.pk).status == CourseStatus.OPEN


# ---- stages -----------------------------------------------------------------------------------


def test_each_candidate_shows_the_stage_she_reached_and_whose_step_is_next(
    django_assert_max_num_queries,
):
    course = helpers.course()
    women = [candidate(SEAT, f"1390000200{n}", f"阶段{n}") for n in range(7)]
    for n, woman in enumerate(women[1:], start=1):
        woman.worker = factories.WorkerFactory(credentials=False)
        woman.save(update_fields=["worker"])
        if n >= 2:
            Enrolment.objects.create(
                course=course,
                worker=woman.worker,
                candidate=woman,
                enrolled_at=timezone.now(),
                result="passed" if n >= 3 else "",
            )
        if n >= 4:
            factories.CertificateFactory(worker=woman.worker)
        if n >= 5:
            factories.HealthCheckFactory(worker=woman.worker)
        if n >= 6:
            factories.RosterEntryFactory(worker=woman.worker)
    # A health check without a certificate does not skip the certificate.
    factories.HealthCheckFactory(worker=women[3].worker)
    with django_assert_max_num_queries(6):
        stages = candidate_stages(women)
    codes = [stages[w.pk].code for w in women]
    assert codes == [
        "contacted",
        "registered",
        "enrolled",
        "trained",
        "certified",
        "health_checked",
        "placed",
    ]
    assert stages[women[0].pk].owner == "村网格员" and stages[women[6].pk].next_step == ""
    page = session_client(federation_user()).get(f"{CONSOLE}candidates/{women[3].pk}/")
    assert "参加资格考试" in page.content.decode()


def test_the_console_speaks_english_and_the_village_officer_has_a_home():
    officer = village_officer(SEAT)
    client = session_client(officer.user, language="en")
    page = client.get(CONSOLE).content.decode()
    assert "Village lists" in page and "Import a list" in page
    assert session_client(officer.user).get("/").headers["Location"] == CONSOLE
    me = client_for(officer.user).get("/api/v1/me/")
    assert me.status_code == 200 and me.json()["role"] == "village_officer"


def test_account_api_records_consent_in_her_divisions_only():
    ours = candidate(SEAT, "13900001111", "本镇人")
    theirs = candidate(SONGLIN, "13900002222", "外镇人")
    api = client_for(village_officer(SEAT).user)
    url = "/api/v1/programme/candidates/{}/account/"
    bad = api.post(url.format(ours.pk), {"consent_method": "nodded"}, format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "consent_method"
    other = api.post(url.format(theirs.pk), {"consent_method": "in_person"}, format="json")
    assert other.status_code == 404
    assert not User.objects.filter(phone__in=["+8613900001111", "+8613900002222"]).exists()
    made = api.post(url.format(ours.pk), {"consent_method": "in_person"}, format="json")
    assert made.status_code == 201, made.json()
    ours.refresh_from_db()
    assert ours.consent_method == "in_person" and not ours.worker.user.has_usable_password()
    again = api.post(url.format(ours.pk), {"consent_method": "in_person"}, format="json")
    assert again.status_code == 409
