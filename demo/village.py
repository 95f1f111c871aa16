"""The village side of the programme for `demo-officer`, a village officer (网格员) for two
towns: women on her lists in every stage (contacted → … → placed), a course in progress with
attendance, and an upcoming exam with registered candidates.

Everything goes through the programme services, keyed by usernames and phones; dates are
relative to today. Skipped once demo-officer's lists exist.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from demo.bulk import DemoSummary
from marketplace.models import (
    AgencyStaff,
    Category,
    Division,
    HealthCheck,
    Role,
    RosterEntry,
    User,
    VillageOfficerProfile,
)
from marketplace.services.credentials import worker_identity_verify
from programme.models import Candidate, Course, CourseMode, CourseStatus
from programme.services import candidate_accounts, candidates, courses, exams

TOWNS = ("371581101000", "371581102000")  # 松林镇, 老赵庄镇
TRADE = "housekeeper"
# (name, town index, village, stage) — phones +86 139 0002 00NN in this order.
WOMEN = [
    ("刘春燕", 0, "东街村", "contacted"),
    ("陈秀梅", 1, "前赵村", "contacted"),
    ("王丽娟", 0, "西街村", "registered"),
    ("张桂芝", 0, "东街村", "enrolled"),
    ("李红霞", 1, "后赵村", "enrolled"),
    ("赵玉兰", 1, "前赵村", "trained"),
    ("孙美玲", 0, "南街村", "trained"),
    ("周淑芬", 1, "后赵村", "certified"),
    ("吴秀云", 0, "西街村", "health_checked"),
    ("郑丽萍", 1, "前赵村", "placed"),
]
STAGE_ORDER = ["contacted", "registered", "enrolled", "trained", "certified", "health_checked"]
VILLAGE_ACCOUNTS = sum(1 for *_rest, stage in WOMEN if stage != "contacted")


def _phone(index: int) -> str:
    return f"139000200{index:02d}"


def _reached(stage: str, wanted: str) -> bool:
    order = [*STAGE_ORDER, "placed"]
    return order.index(stage) >= order.index(wanted)


def _officer_ensure(password_hash: str, summary: DemoSummary) -> User:
    user = User.objects.filter(username="demo-officer").first()
    if user is None:
        user = User.objects.create(
            username="demo-officer",
            password=password_hash,
            role=Role.VILLAGE_OFFICER,
            display_name="松林镇·老赵庄镇网格员",
            phone="+8613900029001",
        )
        summary.add("users", 1)
    profile, created = VillageOfficerProfile.objects.get_or_create(
        user=user, defaults={"name": "刘网格"}
    )
    profile.divisions.set(Division.objects.filter(code__in=TOWNS))
    summary.add("village_officers", int(created))
    summary.accounts.append(("demo-officer", "village officer"))
    return user


def _course(federation: User, *, name: str, starts: int, ends: int, town: Division) -> Course:
    today = timezone.localdate()
    course = courses.course_create(
        actor=federation,
        name=name,
        category=Category.objects.get(code=TRADE),
        kind="pre_job",
        mode=CourseMode.OFFLINE,
        starts_on=today + dt.timedelta(days=starts),
        ends_on=today + dt.timedelta(days=ends),
        capacity=20,
        division=town,
        place=f"{town.name_zh}妇女之家",
        teacher="李老师",
        status=CourseStatus.OPEN,
    )
    return course


def _women_ensure(officer: User) -> list[Candidate]:
    towns = [Division.objects.get(code=code) for code in TOWNS]
    wanted = [Category.objects.get(code=TRADE)]
    women = []
    for index, (name, town, village, stage) in enumerate(WOMEN):
        woman = candidates.candidate_create(
            actor=officer,
            name=name,
            phone=_phone(index),
            division=towns[town],
            village=village,
            grid_officer="刘网格",
            wanted_categories=wanted,
        )
        if stage != "contacted":
            candidate_accounts.candidate_account_create(
                candidate_id=woman.pk, actor=officer, consent_method="in_person"
            )
            woman.refresh_from_db()
        women.append(woman)
    return women


def _earlier_course(federation: User, officer: User, women: list[Candidate]) -> None:
    """Last month's course: the women past "enrolled" passed it (their training records)."""
    town = Division.objects.get(code=TOWNS[1])
    course = _course(
        federation, name="家政服务员岗前培训（老赵庄镇·上期）", starts=-40, ends=-33, town=town
    )
    trained = [
        w for w, (*_r, stage) in zip(women, WOMEN, strict=True) if _reached(stage, "trained")
    ]
    enrolments = [
        courses.course_enrol(
            course_id=course.pk, actor=officer, candidate=w, today=course.starts_on
        )
        for w in trained
    ]
    courses.course_transition(course_id=course.pk, to_status=CourseStatus.RUNNING, actor=federation)
    for enrolment in enrolments:
        courses.enrolment_complete(enrolment_id=enrolment.pk, result="passed", actor=federation)
    courses.course_transition(
        course_id=course.pk, to_status=CourseStatus.FINISHED, actor=federation
    )


def _running_course(federation: User, officer: User, women: list[Candidate]) -> None:
    """This week's course, in progress: the enrolled women, with attendance so far."""
    town = Division.objects.get(code=TOWNS[0])
    course = _course(federation, name="家政服务员岗前培训（松林镇）", starts=-3, ends=4, town=town)
    enrolled = [w for w, (*_r, stage) in zip(women, WOMEN, strict=True) if stage == "enrolled"]
    enrolments = [
        courses.course_enrol(course_id=course.pk, actor=officer, candidate=w) for w in enrolled
    ]
    courses.course_transition(course_id=course.pk, to_status=CourseStatus.RUNNING, actor=federation)
    for days_ago in (3, 2, 1):
        day = timezone.localdate() - dt.timedelta(days=days_ago)
        entries = [(e.pk, not (days_ago == 2 and i == 1)) for i, e in enumerate(enrolments)]
        courses.attendance_record(
            course_id=course.pk, session_on=day, entries=entries, actor=federation
        )


def _exams(federation: User, women: list[Candidate]) -> None:
    """A past exam the certified women passed, and an upcoming one the trained have booked."""
    trade = Category.objects.get(code=TRADE)
    today = timezone.localdate()
    past = exams.exam_create(
        actor=federation,
        name="家政服务员资格考试（上期）",
        category=trade,
        held_on=today - dt.timedelta(days=20),
        place="临清市职业中专",
    )
    upcoming = exams.exam_create(
        actor=federation,
        name="家政服务员资格考试",
        category=trade,
        held_on=today + dt.timedelta(days=10),
        place="临清市职业中专",
    )
    for woman, (*_rest, stage) in zip(women, WOMEN, strict=True):
        if stage == "trained":
            exams.exam_register(exam_id=upcoming.pk, worker=woman.worker, actor=federation)
        elif _reached(stage, "certified"):
            registration = exams.exam_register(
                exam_id=past.pk, worker=woman.worker, actor=federation, today=past.held_on
            )
            exams.exam_result_record(registration_id=registration.pk, score=85, actor=federation)


def _checked_and_placed(federation: User, women: list[Candidate]) -> None:
    today = timezone.localdate()
    agency = AgencyStaff.objects.get(user__username="demo-agency").agency
    for woman, (*_rest, stage) in zip(women, WOMEN, strict=True):
        if not _reached(stage, "health_checked"):
            continue
        worker = woman.worker
        worker_identity_verify(worker=worker, actor=federation)
        HealthCheck.objects.create(
            worker=worker,
            done_on=today - dt.timedelta(days=15),
            valid_until=today + dt.timedelta(days=350),
            institution="临清市妇幼保健院",
            verified_by=federation,
            verified_at=timezone.now(),
        )
        if stage == "placed":
            RosterEntry.objects.create(
                agency=agency, worker=worker, started_on=today - dt.timedelta(days=5)
            )


def demo_village_ensure(*, password_hash: str, summary: DemoSummary) -> None:
    officer = _officer_ensure(password_hash, summary)
    if Candidate.objects.filter(phone=_phone(0)).exists():
        return
    federation = User.objects.get(username="demo-federation")
    women = _women_ensure(officer)
    _earlier_course(federation, officer, women)
    _running_course(federation, officer, women)
    _exams(federation, women)
    _checked_and_placed(federation, women)
    summary.add("village_candidates", len(women))
