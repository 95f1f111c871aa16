"""A year of the programme: courses (offline in every division, online county-wide) with
enrolments, attendance and training records; exams that issue certificates; competitions.

The rows are what the programme services would have left at those times. One
`random.Random(f"{seed}-programme")` is drawn from step by step, so the steps run in order.
"""

import datetime as dt
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from demo.bulk import DemoSummary, local_at, stamps_set
from demo.county import CERTIFICATE_ISSUER
from demo.history import HISTORY_DAYS, HISTORY_MARKER
from marketplace.models import (
    Category,
    Certificate,
    Division,
    TrainingKind,
    TrainingRecord,
    User,
    WorkerProfile,
)
from programme.models import (
    Attendance,
    Competition,
    CompetitionEntry,
    CompetitionJudge,
    CompetitionRound,
    CompetitionScore,
    CompetitionStatus,
    CompletionResult,
    Course,
    CourseMode,
    CourseStatus,
    Enrolment,
    Exam,
    ExamRegistration,
    ExamResult,
    ExamStatus,
    Prize,
)
from programme.services.competition_scoring import entry_total
from programme.services.exams import certificate_number_next

OFFLINE_TRADES = [
    "housekeeper", "maternity_nurse", "elderly_carer", "infant_carer", "organiser",
    "nutritionist", "housekeeper", "maternity_nurse",
]  # fmt: skip
ONLINE_COURSES = [
    ("家政服务员岗前培训（线上班）", "housekeeper", TrainingKind.PRE_JOB),
    ("母婴护理（月嫂）线上课程", "maternity_nurse", TrainingKind.PRE_JOB),
    ("养老护理员线上课程", "elderly_carer", TrainingKind.PRE_JOB),
    ("育婴员线上课程", "infant_carer", TrainingKind.PRE_JOB),
    ("家政服务技能复训（线上）", "housekeeper", TrainingKind.REFRESHER),
    ("整理收纳师线上课程", "organiser", TrainingKind.GRADE),
    ("公共营养师线上课程", "nutritionist", TrainingKind.GRADE),
    ("养老护理员等级培训（线上）", "elderly_carer", TrainingKind.GRADE),
]
EXAM_TRADES = [
    "housekeeper", "maternity_nurse", "elderly_carer", "infant_carer", "organiser", "nutritionist"
]  # fmt: skip
TEACHERS = ["刘老师", "陈老师", "王老师", "张老师", "赵老师", "孙老师"]
# Maternal-and-infant carers and elderly carers: name, trades, entrants, (first, second, third
# prizes), days after the year's start.
COMPETITIONS = [
    ("临清市母婴护理职业技能竞赛", ["maternity_nurse", "infant_carer"], 25, (1, 3, 5), 150),
    ("临清市养老护理职业技能竞赛", ["elderly_carer"], 42, (3, 5, 7), 250),
]


@dataclass
class ProgrammeYear:
    """What every step of the programme's year shares."""

    seed: int
    rng: random.Random
    officer: User
    today: dt.date
    year_ago: dt.date
    divisions: list[Division]
    categories: dict[str, Category]
    # (worker id, division id) of the generated workers who came through a pre-job training (the
    # few without one stay so: the county's gaps must not depend on the draw), by username.
    trainees: list[tuple[int, int]]
    usernames: dict[int, str]  # worker id → username: per-trainee draws never depend on ids


def programme_year(*, seed: int, officer: User) -> ProgrammeYear:
    today = timezone.localdate()
    trained = list(
        WorkerProfile.objects.filter(
            user__username__startswith="worker-", training_records__kind=TrainingKind.PRE_JOB
        )
        .distinct()
        .order_by("user__username")
        .values_list("pk", "division_id", "user__username")
    )
    return ProgrammeYear(
        seed=seed,
        rng=random.Random(f"{seed}-programme"),
        officer=officer,
        today=today,
        year_ago=today - dt.timedelta(days=HISTORY_DAYS),
        divisions=list(Division.objects.order_by("code")),
        categories={c.code: c for c in Category.objects.all()},
        trainees=[(pk, division_id) for pk, division_id, _username in trained],
        usernames={pk: username for pk, _division_id, username in trained},
    )


# ---- courses ----------------------------------------------------------------------------------


def _offline_courses(year: ProgrammeYear) -> list[Course]:
    """A pre-job session in every division (16), spread over the year."""
    rng, categories, courses = year.rng, year.categories, []
    for index, division in enumerate(year.divisions):
        trade = OFFLINE_TRADES[index % len(OFFLINE_TRADES)]
        starts = year.year_ago + dt.timedelta(days=15 + index * 20 + rng.randint(0, 6))
        name = (
            HISTORY_MARKER
            if index == 0
            else f"{categories[trade].name_zh}岗前培训（{division.name_zh}第{index // 8 + 1}期）"
        )
        courses.append(
            Course(
                name=name,
                category=categories[trade],
                kind=TrainingKind.PRE_JOB,
                mode=CourseMode.OFFLINE,
                division=division,
                place=f"{division.name_zh}妇女之家",
                starts_on=starts,
                ends_on=starts + dt.timedelta(days=rng.randint(5, 12)),
                capacity=60,
                teacher=rng.choice(TEACHERS),
                status=CourseStatus.FINISHED,
                created_by=year.officer,
            )
        )
    return courses


def _online_courses(year: ProgrammeYear) -> list[Course]:
    """Eight online classes, county-wide."""
    rng, courses = year.rng, []
    for index, (name, trade, kind) in enumerate(ONLINE_COURSES):
        starts = year.year_ago + dt.timedelta(days=20 + index * 40 + rng.randint(0, 10))
        courses.append(
            Course(
                name=name,
                category=year.categories[trade],
                kind=kind,
                mode=CourseMode.ONLINE,
                place="线上（微信群直播）",
                starts_on=starts,
                ends_on=starts + dt.timedelta(days=rng.randint(14, 30)),
                capacity=800,
                teacher=rng.choice(TEACHERS),
                status=CourseStatus.FINISHED,
                created_by=year.officer,
            )
        )
    return courses


def _enrolments_plan(year: ProgrammeYear, courses: list[Course]) -> tuple[list, list]:
    """Unsaved enrolments and the matching (course, worker id, passed) choices.

    About 85 % of trainees take an online class and 20 % their division's offline session.
    """
    online = [c for c in courses if c.mode == CourseMode.ONLINE]
    offline_by_division = {c.division_id: c for c in courses if c.mode == CourseMode.OFFLINE}
    enrolments, chosen = [], []
    for worker_id, division_id in year.trainees:
        worker_rng = random.Random(f"{year.seed}-trainee-{year.usernames[worker_id]}")
        picks = []
        if worker_rng.random() < 0.85:
            picks.append(online[worker_rng.randrange(len(online))])
        if worker_rng.random() < 0.2 and division_id in offline_by_division:
            picks.append(offline_by_division[division_id])
        for course in picks:
            passed = worker_rng.random() < 0.9
            enrolled_on = course.starts_on - dt.timedelta(days=worker_rng.randint(3, 20))
            enrolments.append(
                Enrolment(
                    course=course,
                    worker_id=worker_id,
                    enrolled_at=local_at(enrolled_on, 10),
                    enrolled_by=year.officer,
                    result=CompletionResult.PASSED if passed else CompletionResult.FAILED,
                    completed_at=local_at(course.ends_on, 17),
                    completed_by=year.officer,
                )
            )
            chosen.append((course, worker_id, passed))
    return enrolments, chosen


def _training_records_create(year: ProgrammeYear, chosen: list) -> list[TrainingRecord]:
    """A verified training record for every pass."""
    return TrainingRecord.objects.bulk_create(
        [
            TrainingRecord(
                worker_id=worker_id,
                course=course.name[:100],
                kind=course.kind,
                category_id=course.category_id,
                provider=course.provider[:100],
                completed_on=course.ends_on,
                verified_by=year.officer,
                verified_at=local_at(course.ends_on, 17),
            )
            for course, worker_id, passed in chosen
            if passed
        ]
    )


def _attendance_create(year: ProgrammeYear, enrolments: list[Enrolment]) -> None:
    """Every day of every offline session; those who passed were there."""
    attendance = []
    for enrolment in enrolments:
        course = enrolment.course
        if course.mode != CourseMode.OFFLINE:
            continue
        day = course.starts_on
        while day <= course.ends_on:
            attendance.append(
                Attendance(
                    enrolment=enrolment,
                    session_on=day,
                    is_present=enrolment.result == CompletionResult.PASSED
                    or year.rng.random() < 0.5,
                    recorded_by=year.officer,
                )
            )
            day += dt.timedelta(days=1)
    Attendance.objects.bulk_create(attendance, batch_size=1000)


def demo_courses_ensure(*, year: ProgrammeYear, summary: DemoSummary) -> list[tuple]:
    """The year's courses with their enrolments; returns the (course, worker id, passed) list."""
    courses = Course.objects.bulk_create(_offline_courses(year) + _online_courses(year))
    enrolments, chosen = _enrolments_plan(year, courses)
    records = _training_records_create(year, chosen)
    passed_records = iter(records)
    for enrolment, (_course, _worker, passed) in zip(enrolments, chosen, strict=True):
        if passed:
            enrolment.training_record = next(passed_records)
    enrolments = Enrolment.objects.bulk_create(enrolments)
    _attendance_create(year, enrolments)
    counts = Counter(course.pk for course, _w, _p in chosen)
    for course in courses:
        course.enrolled_count = counts[course.pk]
    Course.objects.bulk_update(courses, ["enrolled_count"])
    created = [local_at(c.starts_on - dt.timedelta(days=30), 9) for c in courses]
    stamps_set(courses, created_at=created)
    summary.add("courses", len(courses))
    summary.add("enrolments", len(enrolments))
    summary.add("training_records", len(records))
    return chosen


# ---- exams and competitions -------------------------------------------------------------------


def _exam_sit(year: ProgrammeYear, exam: Exam, worker_id: int) -> ExamRegistration:
    """One candidate's result; a pass carries its (unsaved) certificate."""
    held = exam.held_on
    score = year.rng.randint(48, 98)
    passed = score >= exam.pass_mark
    certificate = None
    if passed:
        certificate = Certificate(
            worker_id=worker_id,
            category=exam.category,
            number=certificate_number_next(category=exam.category, year=held.year),
            level=exam.level,
            issuer=exam.issuer,
            issued_on=held,
            expires_on=held.replace(year=held.year + 3),
            verified_by=year.officer,
            verified_at=local_at(held, 16),
        )
    return ExamRegistration(
        exam=exam,
        worker_id=worker_id,
        registered_by=year.officer,
        score=score,
        result=ExamResult.PASSED if passed else ExamResult.FAILED,
        result_recorded_at=local_at(held + dt.timedelta(days=7), 10),
        result_recorded_by=year.officer,
        certificate=certificate,
    )


def demo_exams_ensure(*, year: ProgrammeYear, chosen: list[tuple], summary: DemoSummary) -> None:
    """One exam per certified trade after its courses, sat by up to 60 women trained in it."""
    trained_in: dict[int, set[int]] = defaultdict(set)
    for course, worker_id, passed in chosen:
        if passed and course.category_id:
            trained_in[course.category_id].add(worker_id)
    exams, registrations = [], []
    for index, code in enumerate(EXAM_TRADES):
        trade = year.categories[code]
        held = year.year_ago + dt.timedelta(days=120 + index * 35)
        exam = Exam.objects.create(
            name=f"{trade.name_zh}职业技能等级认定（{held:%Y年%m月}）",
            category=trade,
            held_on=held,
            place="临清市职业教育中心",
            level="初级",
            issuer=CERTIFICATE_ISSUER,
            status=ExamStatus.CLOSED,
            created_by=year.officer,
        )
        exams.append(exam)
        registrations += [_exam_sit(year, exam, w) for w in sorted(trained_in[trade.pk])[:60]]
    certificates = [r.certificate for r in registrations if r.certificate is not None]
    Certificate.objects.bulk_create(certificates)
    for registration in registrations:
        if registration.certificate is not None:
            registration.certificate_id = registration.certificate.pk
    registrations = ExamRegistration.objects.bulk_create(registrations)
    registered = [local_at(r.exam.held_on - dt.timedelta(days=14), 9) for r in registrations]
    stamps_set(registrations, registered_at=registered)
    stamps_set(exams, created_at=[local_at(e.held_on - dt.timedelta(days=40), 9) for e in exams])
    summary.add("exams", len(exams))
    summary.add("certificates", len(certificates))


def _prize(rank: int, first: int, second: int, third: int) -> str:
    if rank <= first:
        return Prize.FIRST
    if rank <= first + second:
        return Prize.SECOND
    if rank <= first + second + third:
        return Prize.THIRD
    return ""


ROUNDS = [("理论", Decimal(40)), ("实操", Decimal(60))]
JUDGES = ["demo-federation", "admin"]


def _judged(rng: random.Random, rounds, judges, count: int) -> list[tuple[Decimal, list]]:
    """`count` sets of unsaved judges' scores (each judge, each round, 60–99.xx), with the
    total they give, best first — the order the ranks and prizes follow."""
    sets = []
    for _ in range(count):
        scores = [
            CompetitionScore(stage=stage, judge=judge, score=Decimal(rng.randint(6000, 9990)) / 100)
            for stage in rounds
            for judge in judges
        ]
        sets.append((entry_total(rounds, scores), scores))
    return sorted(sets, key=lambda pair: -pair[0])


def demo_competitions_ensure(*, year: ProgrammeYear, summary: DemoSummary) -> None:
    """Two awarded competitions with 4 first, 8 second and 12 third prizes between them, each
    scored in two rounds (理论 40 %, 实操 60 %) by two judges (demo-federation and admin); the
    ranks follow the weighted totals, ties to the earlier entry, as awarding ranks them."""
    rng, entries, scores = year.rng, [], []
    pool = [worker_id for worker_id, _division in year.trainees]
    judge_users = list(User.objects.filter(username__in=JUDGES).order_by("username"))
    for name, codes, size, (first, second, third), offset in COMPETITIONS:
        held = year.year_ago + dt.timedelta(days=offset)
        competition = Competition.objects.create(
            name=name,
            held_on=held,
            place="临清市妇女儿童活动中心",
            first_prizes=first,
            second_prizes=second,
            third_prizes=third,
            status=CompetitionStatus.AWARDED,
            awarded_at=local_at(held, 17),
            created_by=year.officer,
        )
        competition.categories.set([year.categories[code] for code in codes])
        rounds = [
            CompetitionRound.objects.create(
                competition=competition, name=label, weight=weight, position=position
            )
            for position, (label, weight) in enumerate(ROUNDS, start=1)
        ]
        judges = [
            CompetitionJudge.objects.create(competition=competition, user=u) for u in judge_users
        ]
        entrants = rng.sample(pool, min(size, len(pool)))
        judged = _judged(rng, rounds, judges, len(entrants))
        for rank, (worker_id, (total, given)) in enumerate(zip(entrants, judged, strict=True), 1):
            entry = CompetitionEntry(
                competition=competition,
                worker_id=worker_id,
                score=total,
                rank=rank,
                prize=_prize(rank, first, second, third),
            )
            entries.append(entry)
            scores.extend((entry, score) for score in given)
    CompetitionEntry.objects.bulk_create(entries)
    for entry, score in scores:
        score.entry = entry
    CompetitionScore.objects.bulk_create([score for _entry, score in scores])
    summary.add("competitions", len(COMPETITIONS))
    summary.add("competition_entries", len(entries))
    summary.add("competition_scores", len(scores))
