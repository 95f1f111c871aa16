import datetime as dt
import io
import math

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from demo import county as demo
from demo.village import VILLAGE_ACCOUNTS
from marketplace import idcard
from marketplace.models import (
    Agency,
    AgencyStaff,
    Certificate,
    Division,
    FederationOfficerProfile,
    HealthCheck,
    HouseholdProfile,
    RosterEntry,
    TrainingRecord,
    User,
    WorkerProfile,
)
from metrics.competitions import competition_prize_counts
from metrics.models import DailyCount, DistinctMember, MonthlyCount
from metrics.reconcile import metrics_reconcile
from metrics.selectors import MetricsFilter, metrics_breakdown, metrics_summary
from orders.models import Contract, ContractSignature, Occurrence, Offer, Order, Review
from programme.candidate_stages import STAGE_CODES, candidate_stages
from programme.models import (
    Attendance,
    Competition,
    CompetitionEntry,
    CompetitionJudge,
    CompetitionRound,
    CompetitionScore,
    Course,
    Enrolment,
    Exam,
    ExamRegistration,
    HealthCheckBooking,
    JobApplication,
    JobFair,
    JobOpening,
)
from programme.selectors import candidates_visible_to
from programme.services.competition_scoring import entry_total, scores_missing

HISTORY_MODELS = [
    Order,
    Offer,
    Occurrence,
    Contract,
    ContractSignature,
    Review,
    Course,
    Enrolment,
    Exam,
    ExamRegistration,
    Competition,
    CompetitionEntry,
    CompetitionRound,
    CompetitionJudge,
    CompetitionScore,
    JobFair,
    JobOpening,
    JobApplication,
    DailyCount,
    MonthlyCount,
    DistinctMember,
]

MODELS = [
    User,
    WorkerProfile,
    HouseholdProfile,
    Agency,
    AgencyStaff,
    RosterEntry,
    Certificate,
    TrainingRecord,
    HealthCheck,
    FederationOfficerProfile,
    WorkerProfile.categories.through,
    *HISTORY_MODELS,
]


def seed(**options) -> str:
    out = io.StringIO()
    call_command(
        "seed_demo",
        "--workers",
        "120",
        "--households",
        "40",
        "--orders",
        "90",
        stdout=out,
        **options,
    )
    return out.getvalue()


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


def distance_km(lat1, lng1, lat2, lng2) -> float:
    dlat = math.radians(lat2 - lat1)
    dlng = math.radians(lng2 - lng1)
    a = (
        math.sin(dlat / 2) ** 2
        + math.cos(math.radians(lat1)) * math.cos(math.radians(lat2)) * math.sin(dlng / 2) ** 2
    )
    return 6371 * 2 * math.asin(math.sqrt(a))


@pytest.mark.django_db
def test_seed_creates_documented_accounts_and_prints_password():
    output = seed()
    today = timezone.localdate()
    assert "meijia-demo" in output
    names = ["demo-household", "demo-worker", "demo-agency", "demo-federation", "admin"]
    names += [f"demo-worker-{i}" for i in range(2, 21)]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    assert set(users) == set(names)
    for user in users.values():
        assert user.check_password("meijia-demo")
    admin = users["admin"]
    assert admin.is_staff and admin.is_superuser and admin.role == "operator"
    assert users["demo-household"].household.division.code == demo.CITY_SEAT_DIVISION
    assert users["demo-federation"].federation_officer.division is None
    staff = users["demo-agency"].agency_staff
    assert staff.staff_role == "owner"

    demo_workers = WorkerProfile.objects.filter(user__username__startswith="demo-worker")
    assert demo_workers.count() == 20
    for worker in demo_workers:
        trades = set(worker.categories.values_list("code", flat=True))
        assert {"housekeeper", "hourly_cleaning"} <= trades
        assert worker.is_verified and worker.is_accepting_offers
        assert distance_km(worker.base_latitude, worker.base_longitude, *demo.CITY_SEAT) <= 3.05
        assert worker.roster_entries.get(status="active").agency_id == staff.agency_id
        assert idcard.is_valid(worker.id_card_number)
        for certificate in worker.certificates.all():
            assert certificate.is_verified
            assert certificate.expires_on > today + dt.timedelta(days=300)
        assert worker.certificates.filter(category__code="housekeeper").exists()
        assert worker.training_records.filter(kind="pre_job", verified_at__isnull=False).exists()
        latest = worker.health_checks.order_by("-valid_until").first()  # annual checks
        assert latest.valid_until > today + dt.timedelta(days=100)
    assert any(w.categories.count() > 2 for w in demo_workers)


@pytest.mark.django_db
def test_seed_spreads_workers_with_gaps_in_credentials():
    seed()
    generated = WorkerProfile.objects.filter(user__username__startswith="worker-")
    assert generated.count() == 120
    assert generated.values("division").distinct().count() >= 12
    assert generated.filter(is_verified=False).exists()
    assert generated.exclude(health_checks__isnull=False).exists()
    assert generated.exclude(training_records__kind="pre_job").exists()
    today = timezone.localdate()
    assert Certificate.objects.filter(worker__in=generated, expires_on__lt=today).exists()
    assert Certificate.objects.filter(worker__in=generated, verified_at=None).exists()
    assert HealthCheck.objects.filter(worker__in=generated, valid_until__lt=today).exists()
    assert Agency.objects.count() == 12
    assert Agency.objects.values("division").distinct().count() >= 8
    divisions = {d.pk: d for d in Division.objects.all()}
    for worker in generated[:40]:
        home = divisions[worker.division_id]
        assert (
            distance_km(worker.base_latitude, worker.base_longitude, home.latitude, home.longitude)
            <= 3.05
        )
    # Accounts an officer made for village women have no ID number until she gives it.
    digests = list(
        WorkerProfile.objects.exclude(id_card_digest=None).values_list("id_card_digest", flat=True)
    )
    assert len(digests) == 120 + 20
    assert len(digests) == len(set(digests))


@pytest.mark.django_db
def test_seed_is_idempotent():
    seed()
    before = counts()
    sample = {
        w.user.username: (w.real_name, w.base_latitude, w.hourly_rate, w.id_card_digest)
        for w in WorkerProfile.objects.select_related("user").order_by("pk")[:30]
    }
    worker = WorkerProfile.objects.get(user__username="demo-worker")
    worker.hourly_rate = 9900  # a change made since the first run must survive the second
    worker.save()

    output = seed()
    assert "Nothing new" in output
    assert counts() == before
    after = {
        w.user.username: (w.real_name, w.base_latitude, w.hourly_rate, w.id_card_digest)
        for w in WorkerProfile.objects.select_related("user").filter(user__username__in=sample)
    }
    sample["demo-worker"] = (*sample["demo-worker"][:2], 9900, sample["demo-worker"][3])
    assert after == sample


@pytest.mark.django_db
def test_more_workers_later_adds_only_the_new_ones():
    call_command(
        "seed_demo", "--workers", "10", "--households", "0", "--orders", "20", stdout=io.StringIO()
    )
    first = {w.user.username: w.real_name for w in WorkerProfile.objects.select_related("user")}
    call_command(
        "seed_demo", "--workers", "25", "--households", "0", "--orders", "20", stdout=io.StringIO()
    )
    # 25 demo workers (20 named demo-worker…) and the accounts made for demo-officer's women.
    assert WorkerProfile.objects.count() == 20 + 25 + VILLAGE_ACCOUNTS
    for worker in WorkerProfile.objects.select_related("user").filter(user__username__in=first):
        assert first[worker.user.username] == worker.real_name


def test_same_seed_same_worker_different_seed_differs():
    divisions = [
        Division(code=str(i), name_zh="d", latitude=36.8, longitude=115.7) for i in range(16)
    ]
    one = demo.demo_worker_spec(7, seed=1, divisions=divisions)
    assert one == demo.demo_worker_spec(7, seed=1, divisions=divisions)
    others = [demo.demo_worker_spec(7, seed=s, divisions=divisions) for s in range(2, 6)]
    assert any(o.real_name != one.real_name or o.latitude != one.latitude for o in others)


@pytest.mark.django_db
def test_demo_accounts_can_sign_in():
    seed()
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "demo-worker", "password": "meijia-demo"}
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_seed_refuses_production_settings():
    with override_settings(IS_PRODUCTION=True), pytest.raises(CommandError, match="production"):
        seed()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_load_reference_data_restores_names():
    Division.objects.filter(code="371581001000").update(name_en="changed")
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert "16 divisions, 7 categories" in out.getvalue()
    assert Division.objects.get(code="371581001000").name_en == "Qingnianlu Subdistrict"


@pytest.mark.django_db
def test_demo_workers_are_eligible_and_the_county_has_every_gap():
    from marketplace.models import Category
    from marketplace.selectors import eligibility

    seed()
    today = timezone.localdate()
    for code in ["housekeeper", "hourly_cleaning"]:
        eligible = eligibility.eligible_workers(
            category=Category.objects.get(code=code),
            starts_on=today + dt.timedelta(days=1),
            ends_on=today + dt.timedelta(days=30),
        )
        usernames = set(eligible.values_list("user__username", flat=True))
        assert {"demo-worker", *(f"demo-worker-{i}" for i in range(2, 21))} <= usernames

    reasons = set()
    housekeeper = Category.objects.get(code="housekeeper")
    for worker in WorkerProfile.objects.filter(
        user__username__startswith="worker-", categories=housekeeper
    ).select_related("user"):
        reasons.update(eligibility.worker_eligibility(worker=worker, category=housekeeper).reasons)
    assert {
        eligibility.NOT_VERIFIED,
        eligibility.CERTIFICATE_EXPIRED,
        eligibility.NO_PRE_JOB_TRAINING,
        eligibility.NO_HEALTH_CHECK,
    } <= reasons


def last_twelve_months() -> MetricsFilter:
    today = timezone.localdate()
    first = today.replace(day=1)
    for _ in range(11):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return MetricsFilter(start=first, end=today)


@pytest.mark.django_db
def test_the_dashboard_of_a_fresh_install_tells_the_year_and_reconciles():
    seed()
    summary = metrics_summary(filters=last_twelve_months())
    for key in (
        "signed_contracts",
        "served_households",
        "employed_workers",
        "trained_women",
        "certified_workers",
    ):
        assert summary[key] > 0, key
    for key in ("pre_job_training_rate", "health_check_rate", "cancellation_rate"):
        assert 0 <= summary[key] <= 1, key
    assert 1 <= summary["average_rating"] <= 5
    statuses = {k for k, v in summary["orders_by_status"].items() if v}
    assert {"completed", "cancelled", "confirmed", "in_progress", "pending_contract"} <= statuses
    by_month = metrics_breakdown(filters=last_twelve_months(), by="month")
    assert len(by_month) == 12
    assert sum(1 for m in by_month.values() if m["signed_contracts"]) >= 10
    report = metrics_reconcile()
    assert report.is_clean, report.lines()

    # The programme's year: online and offline courses, exams, two competitions with 4/8/12
    # prizes, fifteen job fairs with hires.
    assert Course.objects.filter(mode="online").exists()
    assert Course.objects.filter(mode="offline").count() >= 15
    assert Enrolment.objects.filter(training_record__isnull=False).exists()
    assert ExamRegistration.objects.filter(certificate__isnull=False).exists()
    prizes = dict(
        CompetitionEntry.objects.exclude(prize="").values_list("prize").annotate(n=Count("id"))
    )
    assert prizes == {"first": 4, "second": 8, "third": 12}
    assert competition_prize_counts(last_twelve_months()) == {
        "competitions": 2,
        "first": 4,
        "second": 8,
        "third": 12,
    }
    for competition in Competition.objects.all():
        # two rounds, two judges, every score in: the ranks follow the judges' weighted totals
        rounds = list(competition.rounds.all())
        assert [(r.name, r.weight) for r in rounds] == [("理论", 40), ("实操", 60)]
        assert competition.judges.count() == 2 and scores_missing(competition) == []
        entries = list(competition.entries.prefetch_related("scores"))
        for entry in entries:
            assert entry.score == entry_total(rounds, entry.scores.all())
        ranked = sorted(entries, key=lambda e: (-e.score, e.pk))
        assert [e.rank for e in ranked] == list(range(1, len(entries) + 1))
    assert JobFair.objects.count() == 15
    assert JobApplication.objects.filter(status="hired", roster_entry__isnull=False).exists()
    # Applications in every state, an unanswered hire being a roster invitation; health-check
    # sessions past (with results) and coming (with bookings); every funnel stage filled.
    states = set(JobApplication.objects.values_list("status", flat=True))
    assert states == {
        "applied",
        "shortlisted",
        "interview",
        "offered",
        "hired",
        "rejected",
        "declined",
        "withdrawn",
    }
    assert (
        not JobApplication.objects.filter(status="offered")
        .exclude(roster_entry__status="invited")
        .exists()
    )
    bookings = set(HealthCheckBooking.objects.values_list("status", flat=True))
    assert {"passed", "failed", "absent", "booked", "cancelled"} <= bookings
    assert not HealthCheckBooking.objects.filter(status="passed", health_check=None).exists()
    funnel = summary["funnel"]
    assert all(funnel[stage] > 0 for stage in funnel), funnel

    # demo-officer's two towns: a woman in every stage, a running course with attendance, an
    # upcoming exam with registered candidates.
    officer = User.objects.get(username="demo-officer")
    assert sorted(officer.village_officer.divisions.values_list("code", flat=True)) == [
        "371581101000",
        "371581102000",
    ]
    theirs = list(candidates_visible_to(user=officer))
    assert {stage.code for stage in candidate_stages(theirs).values()} == set(STAGE_CODES)
    running = Course.objects.get(name="家政服务员岗前培训（松林镇）", status="running")
    assert Attendance.objects.filter(enrolment__course=running).exists()
    upcoming = Exam.objects.get(name="家政服务员资格考试", held_on__gt=timezone.localdate())
    assert upcoming.registrations.count() == 2


@pytest.mark.django_db
def test_seeding_twice_changes_no_count_and_keeps_the_rollups():
    seed()
    before = counts()
    summary = metrics_summary(filters=last_twelve_months())
    seed()
    assert counts() == before
    assert metrics_summary(filters=last_twelve_months()) == summary
    assert metrics_reconcile().is_clean


@pytest.mark.django_db
def test_demo_accounts_have_a_history_and_demo_workers_stay_free_for_the_live_demo():
    from orders.services.offers import offer_invite
    from orders.services.requests import RequestInput, request_create

    seed()
    household = User.objects.get(username="demo-household")
    worker = WorkerProfile.objects.get(user__username="demo-worker")
    history = Order.objects.filter(household=household)
    assert history.filter(status="completed", worker=worker).count() >= 2
    assert Contract.objects.filter(order__in=history, status="signed").exists()
    assert Review.objects.filter(order__in=history).exists()
    # No demo worker is booked from now on but for the standing orders (demo-worker's weekly
    # evening visits, demo-worker-3's live-in placement): the live demo books them by day.
    booked = Order.objects.filter(
        worker__user__username__startswith="demo-worker", ends_at__gte=timezone.now()
    )
    assert set(booked.values_list("worker__user__username", "request__kind")) == {
        ("demo-worker", "recurring"),
        ("demo-worker-3", "placement"),
    }

    starts_at = dt.datetime.combine(
        timezone.localdate() + dt.timedelta(days=2),
        dt.time(9),
        tzinfo=timezone.get_current_timezone(),
    )
    data = RequestInput(
        category=demo_category("housekeeper"),
        division=Division.objects.get(code=demo.CITY_SEAT_DIVISION),
        address="幸福小区3号楼",
        latitude=demo.CITY_SEAT[0],
        longitude=demo.CITY_SEAT[1],
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=3),
        budget=15000,
    )
    service_request, _ = request_create(household=household, data=data)
    offer = Offer.objects.filter(request=service_request, worker=worker).first()
    if offer is None:
        offer, _ = offer_invite(
            request_id=service_request.pk, household=household, worker_id=worker.pk
        )
    assert offer.status == "pending"


def demo_category(code):
    from marketplace.models import Category

    return Category.objects.get(code=code)
