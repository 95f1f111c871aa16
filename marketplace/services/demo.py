"""Deterministic demo data: a realistic county of agencies, workers and households.

Everything is keyed by a stable natural key (username, licence number), so running it again
creates only what is missing and never changes a row that exists. Each generated worker draws
from her own `random.Random(f"{seed}-worker-{n}")`, so worker n is the same whatever the batch
size or how many workers were asked for. Later work (orders, metrics history) adds its own
`demo_*` functions here and calls them from `demo_seed`.
"""

import datetime as dt
import math
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from marketplace import idcard, reference_data
from marketplace.geo import cell_for
from marketplace.models import (
    Agency,
    AgencyStaff,
    Category,
    Certificate,
    Division,
    FederationOfficerProfile,
    HealthCheck,
    HouseholdProfile,
    Role,
    RosterEntry,
    TrainingKind,
    TrainingRecord,
    User,
    WorkerProfile,
)
from metrics.reconcile import metrics_rebuild

DEFAULT_SEED = 2026
DEFAULT_WORKERS = 300
DEFAULT_HOUSEHOLDS = 60
BATCH_SIZE = 2000
CITY_SEAT = (36.8494, 115.7061)
CITY_SEAT_DIVISION = "371581001000"
DEMO_WORKER_COUNT = 20
REGION_CODE = "371581"
KM_PER_DEGREE = 111.32

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
GIVEN_NAMES = [
    "秀英", "桂英", "秀兰", "玉兰", "桂兰", "秀珍", "凤英", "玉珍", "淑珍", "丽娟", "红梅", "海燕",
    "春梅", "雪梅", "晓燕", "丽华", "美玲", "慧敏", "静", "敏", "艳", "娟", "霞", "芳", "丽", "萍",
]  # fmt: skip
AGENCY_NAMES = [
    "临清美家家政服务有限公司", "临清巾帼家政服务中心", "青年路阳光家政服务部",
    "新华路安心母婴护理中心", "先锋路康乐养老护理服务社", "大辛庄好帮手家政",
    "松林镇巧姐家政服务部", "康庄镇贴心月嫂之家", "魏湾镇福寿居家养老服务中心",
    "烟店镇勤嫂保洁服务部", "唐园镇育婴宝家政", "尚店镇惠民家政服务社",
]  # fmt: skip
AGENCY_DIVISION_CODES = [
    "371581001000", "371581001000", "371581001000", "371581002000", "371581003000", "371581004000",
    "371581101000", "371581103000", "371581104000", "371581109000", "371581110000", "371581113000",
]  # fmt: skip
TRADE_WEIGHTS = {
    "housekeeper": 0.5,
    "hourly_cleaning": 0.6,
    "maternity_nurse": 0.18,
    "infant_carer": 0.2,
    "elderly_carer": 0.25,
    "organiser": 0.08,
    "nutritionist": 0.08,
}
CERTIFICATE_ISSUER = "临清市人力资源和社会保障局"
TRAINING_PROVIDER = "临清市妇联"
HOSPITALS = ["临清市人民医院", "临清市妇幼保健院", "临清市中医院"]


@dataclass
class CertificateSpec:
    category_code: str
    state: str = "valid"  # valid | expired | unverified


@dataclass
class WorkerSpec:
    """Everything one worker row set needs; built from a seeded Random, then bulk-inserted."""

    number: int
    username: str
    real_name: str
    phone: str
    division_code: str
    latitude: float
    longitude: float
    radius_km: float
    trades: list[str]
    hourly_rate: int
    agency_index: int | None
    is_verified: bool = True
    is_accepting_offers: bool = True
    certificates: list[CertificateSpec] = field(default_factory=list)
    has_pre_job_training: bool = True
    health: str = "valid"  # valid | expired | missing
    completed_jobs: int = 0
    rating_count: int = 0
    rating_sum: int = 0
    availability: dict = field(default_factory=dict)


@dataclass
class DemoSummary:
    created: dict[str, int] = field(default_factory=dict)
    accounts: list[tuple[str, str]] = field(default_factory=list)

    def add(self, key: str, count: int) -> None:
        self.created[key] = self.created.get(key, 0) + count


# ---- small deterministic helpers -------------------------------------------------------------


def point_near(rng: random.Random, latitude: float, longitude: float, max_km: float):
    """A point uniformly spread within `max_km` of the given one (flat-earth is fine at 3 km)."""
    distance = max_km * math.sqrt(rng.random())
    bearing = rng.random() * 2 * math.pi
    dlat = distance * math.cos(bearing) / KM_PER_DEGREE
    dlng = distance * math.sin(bearing) / (KM_PER_DEGREE * math.cos(math.radians(latitude)))
    return round(latitude + dlat, 6), round(longitude + dlng, 6)


def id_card_number_for(number: int) -> str:
    """A valid, female, unique-per-`number` ID number (birth 1968-1992) for demo workers."""
    born = dt.date(1968, 1, 1) + dt.timedelta(days=number % 9000)
    sequence = ((number // 9000) % 500) * 2  # an even last digit: a woman
    first17 = f"{REGION_CODE}{born:%Y%m%d}{sequence:03d}"
    return first17 + idcard.check_character(first17)


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


def batched(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# ---- reference data, operators, agencies ----------------------------------------------------


def demo_reference_data_ensure() -> None:
    if Division.objects.count() < 16 or Category.objects.count() < len(reference_data.CATEGORIES):
        reference_data.load(Division, Category)


def _user_ensure(username: str, summary: DemoSummary, password_hash: str, **fields) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create(username=username, password=password_hash, **fields)
        summary.add("users", 1)
    return user


def demo_staff_accounts_ensure(*, password_hash: str, summary: DemoSummary) -> User:
    """The operator `admin` and the federation officer `demo-federation`; returns the operator."""
    admin = _user_ensure(
        "admin",
        summary,
        password_hash,
        role=Role.OPERATOR,
        display_name="平台管理员",
        is_staff=True,
        is_superuser=True,
    )
    officer = _user_ensure(
        "demo-federation",
        summary,
        password_hash,
        role=Role.FEDERATION,
        display_name="临清市妇联",
        phone="13900009001",
    )
    _, created = FederationOfficerProfile.objects.get_or_create(
        user=officer, defaults={"name": "张主任", "title": "临清市妇联 家政美家项目负责人"}
    )
    summary.add("federation_officers", int(created))
    summary.accounts += [("admin", "operator"), ("demo-federation", "federation")]
    return admin


def demo_agencies_ensure(*, password_hash: str, summary: DemoSummary) -> list[Agency]:
    """Twelve agencies over the divisions, each with an owner; agency 0's owner is demo-agency."""
    divisions = {d.code: d for d in Division.objects.all()}
    agencies = []
    for index, (name, code) in enumerate(zip(AGENCY_NAMES, AGENCY_DIVISION_CODES, strict=True)):
        agency, created = Agency.objects.get_or_create(
            licence_number=f"91371581DEMO{index:06d}",
            defaults={
                "name": name,
                "division": divisions[code],
                "address": f"{divisions[code].name_zh}人民路{10 + index}号",
                "phone": f"0635{2300000 + index:07d}",
            },
        )
        summary.add("agencies", int(created))
        username = "demo-agency" if index == 0 else f"agency-{index:02d}"
        owner = _user_ensure(
            username,
            summary,
            password_hash,
            role=Role.AGENCY_STAFF,
            display_name=f"{name}负责人",
            phone=f"1390001{index:04d}",
        )
        _, created = AgencyStaff.objects.get_or_create(
            user=owner, defaults={"agency": agency, "staff_role": AgencyStaff.StaffRole.OWNER}
        )
        summary.add("agency_staff", int(created))
        agencies.append(agency)
    summary.accounts.append(("demo-agency", "agency_staff"))
    return agencies


# ---- workers ----------------------------------------------------------------------------------


def demo_worker_spec(number: int, *, seed: int, divisions: list[Division]) -> WorkerSpec:
    """Generated worker n: spread over the divisions, with realistic gaps in her credentials."""
    rng = random.Random(f"{seed}-worker-{number}")
    division = divisions[rng.randrange(len(divisions))]
    latitude, longitude = point_near(rng, division.latitude, division.longitude, 3.0)
    trades = [code for code, weight in TRADE_WEIGHTS.items() if rng.random() < weight]
    if not trades:
        trades = [rng.choice(["housekeeper", "hourly_cleaning", "elderly_carer"])]
    certificates = []
    for code in trades:
        if code == "hourly_cleaning":
            continue
        roll = rng.random()
        state = "expired" if roll < 0.10 else "unverified" if roll < 0.14 else "valid"
        certificates.append(CertificateSpec(code, state))
    health_roll = rng.random()
    completed = int(rng.expovariate(1 / 12))
    rating_count = int(completed * rng.uniform(0.4, 0.9))
    division_index = divisions.index(division)
    availability = {}
    if rng.random() < 0.3:
        days = sorted(rng.sample(range(7), rng.randint(3, 6)))
        availability = {str(day): [["08:00", "18:00"]] for day in days}
    return WorkerSpec(
        number=number,
        username=f"worker-{number:06d}",
        real_name=person_name(rng),
        phone=f"15{number:09d}",
        division_code=division.code,
        latitude=latitude,
        longitude=longitude,
        radius_km=rng.choice([5, 8, 10, 15, 20, 30]),
        trades=trades,
        hourly_rate=rng.randrange(2500, 6001, 100),
        agency_index=(division_index % len(AGENCY_NAMES)) if rng.random() < 0.7 else None,
        is_verified=rng.random() >= 0.08,
        is_accepting_offers=rng.random() >= 0.05,
        certificates=certificates,
        has_pre_job_training=rng.random() >= 0.06,
        health="missing" if health_roll < 0.06 else "expired" if health_roll < 0.11 else "valid",
        completed_jobs=completed,
        rating_count=rating_count,
        rating_sum=sum(rng.choice([4, 5, 5, 5, 3]) for _ in range(rating_count)),
        availability=availability,
    )


def demo_account_worker_spec(index: int) -> WorkerSpec:
    """demo-worker (index 1) … demo-worker-20: eligible, within 3 km of the city seat."""
    rng = random.Random(f"demo-worker-{index}")
    latitude, longitude = point_near(rng, *CITY_SEAT, 3.0)
    trades = ["housekeeper", "hourly_cleaning"]
    if index % 3 == 0:
        trades.append("elderly_carer")
    if index % 4 == 0:
        trades.append("maternity_nurse")
    if index % 5 == 0:
        trades.append("infant_carer")
    if index % 7 == 0:
        trades.append("organiser")
    return WorkerSpec(
        number=4_400_000 + index,
        username="demo-worker" if index == 1 else f"demo-worker-{index}",
        real_name="李秀英" if index == 1 else person_name(rng),
        phone=f"1390000{index:04d}",
        division_code=CITY_SEAT_DIVISION,
        latitude=latitude,
        longitude=longitude,
        radius_km=20,
        trades=trades,
        hourly_rate=3500 + 100 * (index % 6),
        agency_index=0,
        certificates=[CertificateSpec(code) for code in trades if code != "hourly_cleaning"],
        completed_jobs=5 + index,
        rating_count=3 + index // 2,
        rating_sum=(3 + index // 2) * 5 - index % 3,
    )


def _worker_rows_create(
    specs: list[WorkerSpec],
    *,
    password_hash: str,
    today: dt.date,
    lookups: dict,
    summary: DemoSummary,
) -> int:
    """Insert users, profiles, trades, credentials and roster rows for the missing specs."""
    existing = set(
        User.objects.filter(username__in=[s.username for s in specs]).values_list(
            "username", flat=True
        )
    )
    specs = [s for s in specs if s.username not in existing]
    if not specs:
        return 0
    now = timezone.now()
    divisions, categories, agencies, verifiers = (
        lookups["divisions"],
        lookups["categories"],
        lookups["agencies"],
        lookups["verifiers"],
    )
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(
                    username=s.username,
                    password=password_hash,
                    role=Role.WORKER,
                    display_name=s.real_name,
                    phone=s.phone,
                )
                for s in specs
            ]
        )
        profiles = []
        for spec, user in zip(specs, users, strict=True):
            profile = WorkerProfile(
                user_id=user.pk,
                real_name=spec.real_name,
                phone=spec.phone,
                division_id=divisions[spec.division_code],
                base_latitude=spec.latitude,
                base_longitude=spec.longitude,
                geo_cell=cell_for(spec.latitude, spec.longitude),
                service_radius_km=spec.radius_km,
                hourly_rate=spec.hourly_rate,
                availability=spec.availability,
                is_accepting_offers=spec.is_accepting_offers,
                is_verified=spec.is_verified,
                verified_at=now if spec.is_verified else None,
                completed_jobs=spec.completed_jobs,
                rating_count=spec.rating_count,
                rating_sum=spec.rating_sum,
            )
            profile.set_id_card_number(id_card_number_for(spec.number))
            profiles.append(profile)
        profiles = WorkerProfile.objects.bulk_create(profiles)

        trades, certificates, trainings, checks, roster = [], [], [], [], []
        for spec, profile in zip(specs, profiles, strict=True):
            rng = random.Random(f"credentials-{spec.number}")
            verifier = verifiers.get(spec.agency_index, verifiers[None])
            trades += [
                WorkerProfile.categories.through(
                    workerprofile_id=profile.pk, category_id=categories[code]
                )
                for code in spec.trades
            ]
            issued = today - dt.timedelta(days=rng.randint(90, 1400))
            for position, certificate in enumerate(spec.certificates):
                expires = (
                    today - dt.timedelta(days=rng.randint(1, 300))
                    if certificate.state == "expired"
                    else max(issued + dt.timedelta(days=5 * 365), today + dt.timedelta(days=400))
                )
                verified = certificate.state != "unverified"
                certificates.append(
                    Certificate(
                        worker_id=profile.pk,
                        category_id=categories[certificate.category_code],
                        number=f"LQ{spec.number:07d}{position}",
                        level=rng.choice(["初级", "初级", "中级", "高级"]),
                        issuer=CERTIFICATE_ISSUER,
                        issued_on=min(issued, expires - dt.timedelta(days=365)),
                        expires_on=expires,
                        verified_by_id=verifier if verified else None,
                        verified_at=now if verified else None,
                    )
                )
            first_trade = spec.trades[0]
            trained_on = issued - dt.timedelta(days=30)
            if spec.has_pre_job_training:
                trainings.append(
                    TrainingRecord(
                        worker_id=profile.pk,
                        course=f"{lookups['category_names'][first_trade]}岗前培训",
                        kind=TrainingKind.PRE_JOB,
                        category_id=categories[first_trade],
                        provider=TRAINING_PROVIDER,
                        completed_on=trained_on,
                        verified_by_id=verifier,
                        verified_at=now,
                    )
                )
            if rng.random() < 0.3:
                trainings.append(
                    TrainingRecord(
                        worker_id=profile.pk,
                        course="家政服务技能复训",
                        kind=TrainingKind.REFRESHER,
                        provider=TRAINING_PROVIDER,
                        completed_on=today - dt.timedelta(days=rng.randint(10, 80)),
                        verified_by_id=verifier,
                        verified_at=now,
                    )
                )
            if spec.health != "missing":
                done = today - dt.timedelta(
                    days=rng.randint(400, 700) if spec.health == "expired" else rng.randint(5, 200)
                )
                checks.append(
                    HealthCheck(
                        worker_id=profile.pk,
                        done_on=done,
                        valid_until=done + dt.timedelta(days=365),
                        institution=rng.choice(HOSPITALS),
                        verified_by_id=verifier,
                        verified_at=now,
                    )
                )
            if spec.agency_index is not None:
                roster.append(
                    RosterEntry(
                        agency_id=agencies[spec.agency_index],
                        worker_id=profile.pk,
                        status=RosterEntry.Status.ACTIVE,
                        started_on=trained_on + dt.timedelta(days=rng.randint(20, 60)),
                        created_by_id=verifier,
                    )
                )
        WorkerProfile.categories.through.objects.bulk_create(trades)
        Certificate.objects.bulk_create(certificates)
        TrainingRecord.objects.bulk_create(trainings)
        HealthCheck.objects.bulk_create(checks)
        RosterEntry.objects.bulk_create(roster)
    summary.add("users", len(users))
    summary.add("workers", len(profiles))
    summary.add("certificates", len(certificates))
    summary.add("training_records", len(trainings))
    summary.add("health_checks", len(checks))
    summary.add("roster_entries", len(roster))
    return len(profiles)


def _worker_lookups(agencies: list[Agency], operator: User) -> dict:
    owners = dict(
        AgencyStaff.objects.filter(
            agency__in=agencies, staff_role=AgencyStaff.StaffRole.OWNER
        ).values_list("agency_id", "user_id")
    )
    verifiers: dict = {index: owners.get(a.pk, operator.pk) for index, a in enumerate(agencies)}
    verifiers[None] = operator.pk
    return {
        "divisions": dict(Division.objects.values_list("code", "pk")),
        "categories": dict(Category.objects.values_list("code", "pk")),
        "category_names": dict(Category.objects.values_list("code", "name_zh")),
        "agencies": [a.pk for a in agencies],
        "verifiers": verifiers,
    }


def demo_workers_ensure(
    *,
    count: int,
    seed: int,
    agencies: list[Agency],
    operator: User,
    password_hash: str,
    summary: DemoSummary,
    progress: bool = False,
) -> None:
    """The 20 demo-worker accounts and `count` generated workers, in batches."""
    today = timezone.localdate()
    lookups = _worker_lookups(agencies, operator)
    divisions = list(Division.objects.order_by("code"))
    demo_specs = [demo_account_worker_spec(i) for i in range(1, DEMO_WORKER_COUNT + 1)]
    _worker_rows_create(
        demo_specs, password_hash=password_hash, today=today, lookups=lookups, summary=summary
    )
    summary.accounts.append(("demo-worker, demo-worker-2 … demo-worker-20", "worker"))

    specs = (
        demo_worker_spec(number, seed=seed, divisions=divisions) for number in range(1, count + 1)
    )
    with tqdm(total=count, unit="worker", disable=not progress, desc="workers") as bar:
        for batch in batched(specs, BATCH_SIZE):
            _worker_rows_create(
                batch, password_hash=password_hash, today=today, lookups=lookups, summary=summary
            )
            bar.update(len(batch))


# ---- households -------------------------------------------------------------------------------


def demo_households_ensure(
    *, count: int, seed: int, password_hash: str, summary: DemoSummary
) -> None:
    """demo-household at the city seat and `count` generated households over the divisions."""
    divisions = list(Division.objects.order_by("code"))
    seat_division = next(d for d in divisions if d.code == CITY_SEAT_DIVISION)
    rows = [("demo-household", "王女士", "13900009002", seat_division, CITY_SEAT, "幸福小区3号楼")]
    for number in range(1, count + 1):
        rng = random.Random(f"{seed}-household-{number}")
        division = divisions[rng.randrange(len(divisions))]
        point = point_near(rng, division.latitude, division.longitude, 3.0)
        name = rng.choice(SURNAMES) + rng.choice(["女士", "先生"])
        address = f"{rng.randint(1, 30)}号院{rng.randint(1, 6)}号楼"
        rows.append((f"household-{number:05d}", name, f"186{number:08d}", division, point, address))

    existing = set(
        User.objects.filter(username__in=[r[0] for r in rows]).values_list("username", flat=True)
    )
    missing = [r for r in rows if r[0] not in existing]
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(
                    username=username,
                    password=password_hash,
                    role=Role.HOUSEHOLD,
                    display_name=name,
                    phone=phone,
                )
                for username, name, phone, *_ in missing
            ]
        )
        HouseholdProfile.objects.bulk_create(
            [
                HouseholdProfile(
                    user_id=user.pk,
                    name=name,
                    phone=phone,
                    division=division,
                    address=f"临清市{division.name_zh}{address}",
                    latitude=point[0],
                    longitude=point[1],
                )
                for user, (_, name, phone, division, point, address) in zip(
                    users, missing, strict=True
                )
            ]
        )
    summary.add("users", len(users))
    summary.add("households", len(users))
    summary.accounts.insert(0, ("demo-household", "household"))


# ---- the whole county ---------------------------------------------------------------------------


def demo_seed(
    *,
    seed: int = DEFAULT_SEED,
    workers: int = DEFAULT_WORKERS,
    households: int = DEFAULT_HOUSEHOLDS,
    progress: bool = False,
) -> DemoSummary:
    """Create whatever of the demo county is missing; returns what was created.

    Callers must refuse production settings first (the demo password is public).
    """
    summary = DemoSummary()
    password_hash = make_password(settings.MEIJIA["DEMO_PASSWORD"])
    demo_reference_data_ensure()
    operator = demo_staff_accounts_ensure(password_hash=password_hash, summary=summary)
    agencies = demo_agencies_ensure(password_hash=password_hash, summary=summary)
    demo_households_ensure(
        count=households, seed=seed, password_hash=password_hash, summary=summary
    )
    demo_workers_ensure(
        count=workers,
        seed=seed,
        agencies=agencies,
        operator=operator,
        password_hash=password_hash,
        summary=summary,
        progress=progress,
    )
    metrics_rebuild()  # credentials were bulk-written: the dashboard counts them from here on
    return summary
