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
from collections import Counter, defaultdict
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
DEFAULT_HOUSEHOLDS = 300
DEFAULT_HISTORY_ORDERS = 360  # orders over the last 12 months (see the history section)
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
    orders: int = DEFAULT_HISTORY_ORDERS,
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
    demo_history_ensure(seed=seed, orders=orders, operator=operator, summary=summary)
    # Credentials and the year's history were bulk-written: the dashboard counts them from here.
    metrics_rebuild()
    return summary


# ---- a year of the programme and the marketplace (the dashboard's story) --------------------
#
# Scale: about a quarter of Linqing's year (PRODUCT.md §1: ~1,500 contracts, ~3,680 households
# served, 5,400 online + 1,000 offline trainees, 15+ offline sessions, 125 + 210 competitors with
# 4/8/12 prizes, 15 job fairs): `DEFAULT_HISTORY_ORDERS` orders over the last 12 months, the
# generated workers as trainees (~85 % online, ~20 % offline), 16 offline sessions, 8 online
# classes, 6 exams, 2 competitions (25 + 42 entrants, 4/8/12 prizes), 15 job fairs. Rows are
# bulk-written (consistent with what the services would have written at those times) and the
# rollups rebuilt once at the end. The block is all-or-nothing: it is skipped when its marker
# course exists.

HISTORY_MARKER = "2026年度家政美家岗前培训（城区第1期）"  # the first offline course's name
HISTORY_DAYS = 365


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _stamp(objects: list, **fields_by_object) -> None:
    """Set auto_now(_add) columns after bulk_create (which stamps them with the present)."""
    if not objects:
        return
    model = type(objects[0])
    names = list(fields_by_object)
    for obj_index, obj in enumerate(objects):
        for name in names:
            setattr(obj, name, fields_by_object[name][obj_index])
    model.objects.bulk_update(objects, names, batch_size=500)


def _history_workers(today: dt.date) -> list[dict]:
    """Workers who could have served: verified, pre-job trained, with a health check.

    Each: id, user id, agency id, division id, trades, ready (first day she could serve),
    checks [(done, until)].
    """
    from marketplace.models import RosterEntry as Roster

    workers = {}
    rows = WorkerProfile.objects.filter(is_verified=True).values_list(
        "pk", "user_id", "division_id", "user__username"
    )
    for pk, user_id, division_id, username in rows:
        workers[pk] = {
            "id": pk,
            "user_id": user_id,
            "division_id": division_id,
            "is_demo": username.startswith("demo-worker"),
            "trades": set(),
            "pre_job": None,
            "checks": [],
            "agency_id": None,
        }
    for worker_id, code in WorkerProfile.categories.through.objects.filter(
        workerprofile_id__in=workers
    ).values_list("workerprofile_id", "category__code"):
        workers[worker_id]["trades"].add(code)
    for worker_id, day in TrainingRecord.objects.filter(
        worker_id__in=workers, kind=TrainingKind.PRE_JOB
    ).values_list("worker_id", "completed_on"):
        first = workers[worker_id]["pre_job"]
        workers[worker_id]["pre_job"] = day if first is None else min(first, day)
    for worker_id, done, until in HealthCheck.objects.filter(worker_id__in=workers).values_list(
        "worker_id", "done_on", "valid_until"
    ):
        workers[worker_id]["checks"].append((done, until))
    for worker_id, agency_id in Roster.objects.filter(
        worker_id__in=workers, status=Roster.Status.ACTIVE
    ).values_list("worker_id", "agency_id"):
        workers[worker_id]["agency_id"] = agency_id
    _ = today
    return [w for w in workers.values() if w["pre_job"] is not None and w["checks"]]


def _earlier_health_checks(workers: list[dict], since: dt.date, verifier_id: int) -> list:
    """Annual checks before each worker's current one, back to `since` (she served then too)."""
    rows = []
    for worker in workers:
        done = min(d for d, _u in worker["checks"])
        while done > since:
            previous = done - dt.timedelta(days=365)
            rows.append(
                HealthCheck(
                    worker_id=worker["id"],
                    done_on=previous,
                    valid_until=done - dt.timedelta(days=1),
                    institution=HOSPITALS[worker["id"] % len(HOSPITALS)],
                    verified_by_id=verifier_id,
                    verified_at=_at(previous, 12),
                )
            )
            worker["checks"].append((previous, done - dt.timedelta(days=1)))
            done = previous
    return rows


def _can_serve(worker: dict, day: dt.date) -> bool:
    return worker["pre_job"] <= day and any(d <= day <= u for d, u in worker["checks"])


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


def demo_programme_history_ensure(*, seed: int, officer: User, summary: DemoSummary) -> None:
    """Courses (online and offline), completions, exams and certificates, two competitions and
    fifteen job fairs over the last 12 months, as the programme services would have left them.
    Call inside demo_history_ensure's transaction."""
    from programme.models import ApplicationStatus as AppStatus
    from programme.models import (
        Attendance,
        Competition,
        CompetitionEntry,
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
        FairMode,
        FairStatus,
        JobApplication,
        JobFair,
        JobOpening,
        OpeningStatus,
        Prize,
    )
    from programme.services.exams import certificate_number_next

    rng = random.Random(f"{seed}-programme")
    today = timezone.localdate()
    year_ago = today - dt.timedelta(days=HISTORY_DAYS)
    divisions = list(Division.objects.order_by("code"))
    categories = {c.code: c for c in Category.objects.all()}
    trainees = list(
        WorkerProfile.objects.filter(user__username__startswith="worker-")
        .order_by("pk")
        .values_list("pk", "division_id")
    )

    # Courses: an offline session in every division (16), eight online classes county-wide.
    courses = []
    for index, division in enumerate(divisions):
        trade = OFFLINE_TRADES[index % len(OFFLINE_TRADES)]
        starts = year_ago + dt.timedelta(days=15 + index * 20 + rng.randint(0, 6))
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
                created_by=officer,
            )
        )
    for index, (name, trade, kind) in enumerate(ONLINE_COURSES):
        starts = year_ago + dt.timedelta(days=20 + index * 40 + rng.randint(0, 10))
        courses.append(
            Course(
                name=name,
                category=categories[trade],
                kind=kind,
                mode=CourseMode.ONLINE,
                place="线上（微信群直播）",
                starts_on=starts,
                ends_on=starts + dt.timedelta(days=rng.randint(14, 30)),
                capacity=800,
                teacher=rng.choice(TEACHERS),
                status=CourseStatus.FINISHED,
                created_by=officer,
            )
        )
    courses = Course.objects.bulk_create(courses)
    offline = [c for c in courses if c.mode == CourseMode.OFFLINE]
    online = [c for c in courses if c.mode == CourseMode.ONLINE]
    offline_by_division = {c.division_id: c for c in offline}

    enrolments, chosen = [], []
    for worker_id, division_id in trainees:
        worker_rng = random.Random(f"{seed}-trainee-{worker_id}")
        picks = []
        if worker_rng.random() < 0.85:
            picks.append(online[worker_rng.randrange(len(online))])
        if worker_rng.random() < 0.2 and division_id in offline_by_division:
            picks.append(offline_by_division[division_id])
        for course in picks:
            passed = worker_rng.random() < 0.9
            enrolled_at = _at(course.starts_on - dt.timedelta(days=worker_rng.randint(3, 20)), 10)
            enrolments.append(
                Enrolment(
                    course=course,
                    worker_id=worker_id,
                    enrolled_at=enrolled_at,
                    enrolled_by=officer,
                    result=CompletionResult.PASSED if passed else CompletionResult.FAILED,
                    completed_at=_at(course.ends_on, 17),
                    completed_by=officer,
                )
            )
            chosen.append((course, worker_id, passed))
    records = TrainingRecord.objects.bulk_create(
        [
            TrainingRecord(
                worker_id=worker_id,
                course=course.name[:100],
                kind=course.kind,
                category_id=course.category_id,
                provider=course.provider[:100],
                completed_on=course.ends_on,
                verified_by=officer,
                verified_at=_at(course.ends_on, 17),
            )
            for course, worker_id, passed in chosen
            if passed
        ]
    )
    passed_records = iter(records)
    for enrolment, (_course, _worker, passed) in zip(enrolments, chosen, strict=True):
        if passed:
            enrolment.training_record = next(passed_records)
    enrolments = Enrolment.objects.bulk_create(enrolments)
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
                    is_present=enrolment.result == CompletionResult.PASSED or rng.random() < 0.5,
                    recorded_by=officer,
                )
            )
            day += dt.timedelta(days=1)
    Attendance.objects.bulk_create(attendance, batch_size=1000)
    counts = Counter(course.pk for course, _w, _p in chosen)
    for course in courses:
        course.enrolled_count = counts[course.pk]
    Course.objects.bulk_update(courses, ["enrolled_count"])
    _stamp(courses, created_at=[_at(c.starts_on - dt.timedelta(days=30), 9) for c in courses])
    summary.add("courses", len(courses))
    summary.add("enrolments", len(enrolments))
    summary.add("training_records", len(records))

    # Exams: one per certified trade after its courses; a pass issues the certificate.
    trained_in: dict[int, set[int]] = defaultdict(set)
    for course, worker_id, passed in chosen:
        if passed and course.category_id:
            trained_in[course.category_id].add(worker_id)
    exams, registrations, certificates = [], [], []
    for index, code in enumerate(EXAM_TRADES):
        trade = categories[code]
        held = year_ago + dt.timedelta(days=120 + index * 35)
        exam = Exam.objects.create(
            name=f"{trade.name_zh}职业技能等级认定（{held:%Y年%m月}）",
            category=trade,
            held_on=held,
            place="临清市职业教育中心",
            level="初级",
            issuer=CERTIFICATE_ISSUER,
            status=ExamStatus.CLOSED,
            created_by=officer,
        )
        exams.append(exam)
        for worker_id in sorted(trained_in[trade.pk])[:60]:
            score = rng.randint(48, 98)
            passed = score >= exam.pass_mark
            certificate = None
            if passed:
                certificate = Certificate(
                    worker_id=worker_id,
                    category=trade,
                    number=certificate_number_next(category=trade, year=held.year),
                    level=exam.level,
                    issuer=exam.issuer,
                    issued_on=held,
                    expires_on=held.replace(year=held.year + 3),
                    verified_by=officer,
                    verified_at=_at(held, 16),
                )
                certificates.append(certificate)
            registrations.append(
                ExamRegistration(
                    exam=exam,
                    worker_id=worker_id,
                    registered_by=officer,
                    score=score,
                    result=ExamResult.PASSED if passed else ExamResult.FAILED,
                    result_recorded_at=_at(held + dt.timedelta(days=7), 10),
                    result_recorded_by=officer,
                    certificate=certificate,
                )
            )
    Certificate.objects.bulk_create(certificates)
    for registration in registrations:
        if registration.certificate is not None:
            registration.certificate_id = registration.certificate.pk
    registrations = ExamRegistration.objects.bulk_create(registrations)
    _stamp(
        registrations,
        registered_at=[_at(r.exam.held_on - dt.timedelta(days=14), 9) for r in registrations],
    )
    _stamp(exams, created_at=[_at(e.held_on - dt.timedelta(days=40), 9) for e in exams])
    summary.add("exams", len(exams))
    summary.add("certificates", len(certificates))

    # Competitions: maternal-and-infant carers and elderly carers; 4 first, 8 second, 12 third.
    competitions = [
        ("临清市母婴护理职业技能竞赛", ["maternity_nurse", "infant_carer"], 25, (1, 3, 5), 150),
        ("临清市养老护理职业技能竞赛", ["elderly_carer"], 42, (3, 5, 7), 250),
    ]
    entries = []
    pool = [worker_id for worker_id, _division in trainees]
    for name, codes, size, (first, second, third), offset in competitions:
        held = year_ago + dt.timedelta(days=offset)
        competition = Competition.objects.create(
            name=name,
            held_on=held,
            place="临清市妇女儿童活动中心",
            first_prizes=first,
            second_prizes=second,
            third_prizes=third,
            status=CompetitionStatus.AWARDED,
            awarded_at=_at(held, 17),
            created_by=officer,
        )
        competition.categories.set([categories[code] for code in codes])
        entrants = rng.sample(pool, min(size, len(pool)))
        scores = sorted((rng.randint(6000, 9900) for _ in entrants), reverse=True)
        for rank, (worker_id, score) in enumerate(zip(entrants, scores, strict=True), start=1):
            prize = (
                Prize.FIRST
                if rank <= first
                else Prize.SECOND
                if rank <= first + second
                else Prize.THIRD
                if rank <= first + second + third
                else ""
            )
            entries.append(
                CompetitionEntry(
                    competition=competition,
                    worker_id=worker_id,
                    score=score / 100,
                    rank=rank,
                    prize=prize,
                )
            )
    CompetitionEntry.objects.bulk_create(entries)
    summary.add("competitions", len(competitions))
    summary.add("competition_entries", len(entries))

    # Job fairs: fifteen, on-site and online; agencies post openings, women apply, some hired.
    agencies = list(Agency.objects.order_by("pk"))
    owners = dict(
        AgencyStaff.objects.filter(staff_role=AgencyStaff.StaffRole.OWNER).values_list(
            "agency_id", "user_id"
        )
    )
    rostered = set(
        RosterEntry.objects.filter(status=RosterEntry.Status.ACTIVE).values_list(
            "worker_id", flat=True
        )
    )
    free = [worker_id for worker_id, _division in trainees if worker_id not in rostered]
    rng.shuffle(free)
    fairs = []
    for index in range(15):
        held = year_ago + dt.timedelta(days=10 + index * 23)
        division = divisions[(index * 5) % len(divisions)]
        mode = FairMode.ONLINE if index % 3 == 2 else FairMode.ONSITE
        fairs.append(
            JobFair(
                name=f"家政美家专场招聘会（第{index + 1}场）",
                mode=mode,
                held_on=held,
                place="线上" if mode == FairMode.ONLINE else f"{division.name_zh}文化广场",
                division=division,
                status=FairStatus.CLOSED if held < today else FairStatus.OPEN,
                created_by=officer,
            )
        )
    fairs = JobFair.objects.bulk_create(fairs)
    _stamp(fairs, created_at=[_at(f.held_on - dt.timedelta(days=20), 9) for f in fairs])
    openings = []
    for fair in fairs:
        for agency in rng.sample(agencies, 3):
            code = rng.choice(["housekeeper", "maternity_nurse", "elderly_carer", "infant_carer"])
            low = rng.randrange(300000, 500001, 50000)
            openings.append(
                JobOpening(
                    fair=fair,
                    agency=agency,
                    title=f"{categories[code].name_zh}",
                    category=categories[code],
                    positions=rng.randint(2, 6),
                    salary_min=low,
                    salary_max=low + 200000,
                    division=agency.division,
                    status=OpeningStatus.CLOSED if fair.held_on < today else OpeningStatus.OPEN,
                    created_by_id=owners.get(agency.pk),
                )
            )
    openings = JobOpening.objects.bulk_create(openings)
    _stamp(openings, created_at=[_at(o.fair.held_on - dt.timedelta(days=10), 9) for o in openings])
    applications, roster, hired_at = [], [], []
    free_iter = iter(free)
    applicants = [w for w, _d in trainees]
    for opening in openings:
        held = opening.fair.held_on
        hires = min(opening.positions, rng.randint(0, 2))
        for _ in range(hires):
            worker_id = next(free_iter, None)
            if worker_id is None:
                break
            entry = RosterEntry(
                agency_id=opening.agency_id,
                worker_id=worker_id,
                status=RosterEntry.Status.ACTIVE,
                started_on=held + dt.timedelta(days=3),
                created_by_id=owners.get(opening.agency_id),
            )
            roster.append(entry)
            applications.append(
                JobApplication(
                    opening=opening,
                    worker_id=worker_id,
                    status=AppStatus.HIRED,
                    decided_at=_at(held + dt.timedelta(days=3), 11),
                    decided_by_id=owners.get(opening.agency_id),
                    hired_at=_at(held + dt.timedelta(days=3), 11),
                    roster_entry=entry,
                )
            )
            hired_at.append(held)
            opening.hired_count += 1
        taken = {a.worker_id for a in applications if a.opening is opening}
        others = [w for w in rng.sample(applicants, 6) if w not in taken][: rng.randint(1, 4)]
        for worker_id in others:
            applications.append(
                JobApplication(
                    opening=opening,
                    worker_id=worker_id,
                    status=AppStatus.REJECTED if held < today else AppStatus.APPLIED,
                    decided_at=_at(held + dt.timedelta(days=3), 11) if held < today else None,
                    decided_by_id=owners.get(opening.agency_id) if held < today else None,
                )
            )
            hired_at.append(held)
    RosterEntry.objects.bulk_create(roster)
    for application in applications:
        if application.roster_entry is not None:
            application.roster_entry_id = application.roster_entry.pk
    applications = JobApplication.objects.bulk_create(applications)
    _stamp(applications, applied_at=[_at(day, 10) for day in hired_at])
    JobOpening.objects.bulk_update(openings, ["hired_count"])
    summary.add("job_fairs", len(fairs))
    summary.add("job_openings", len(openings))
    summary.add("job_applications", len(applications))
    summary.add("roster_entries", len(roster))


def _rating(rng: random.Random) -> int:
    return rng.choices([5, 4, 3, 2], weights=[62, 28, 8, 2])[0]


HOUSEHOLD_COMMENTS = [
    "干活细致，很满意",
    "准时到达，态度很好",
    "专业负责，推荐",
    "还可以",
    "非常耐心",
]
WORKER_COMMENTS = ["雇主很客气", "沟通顺畅", "家里很好找", "按时结算"]
CANCEL_REASONS = ["行程有变", "家里临时有事", "时间冲突"]


def demo_orders_history_ensure(
    *, seed: int, count: int, workers: list[dict], summary: DemoSummary
) -> None:
    """`count` orders over the last 12 months in every state, with contracts, signatures,
    visits, events, reviews and disputes. The demo accounts get a few finished orders of their
    own; orders now in progress or still to come go to generated workers only, so demo-worker
    stays free for the live demo. Call inside demo_history_ensure's transaction."""
    from orders.models import (
        Contract,
        ContractSignature,
        Dispute,
        Occurrence,
        Offer,
        Order,
        OrderEvent,
        Review,
        ServiceRequest,
    )
    from orders.services.contracts import (
        contract_render,
        contract_terms,
        required_parties_of,
        text_digest,
    )
    from orders.statuses import (
        ContractStatus,
        DisputeStatus,
        OccurrenceStatus,
        OfferSource,
        OfferStatus,
        OrderStatus,
        Party,
        RequestStatus,
    )

    now = timezone.now().replace(second=0, microsecond=0)
    today = timezone.localdate(now)
    categories = {c.pk: c for c in Category.objects.all()}
    code_to_id = {c.code: c.pk for c in categories.values()}
    households = list(
        HouseholdProfile.objects.select_related("user", "division").order_by("user_id")
    )
    demo_household = next(h for h in households if h.user.username == "demo-household")
    others = [h for h in households if h is not demo_household] or [demo_household]
    owners = dict(
        AgencyStaff.objects.filter(staff_role=AgencyStaff.StaffRole.OWNER).values_list(
            "agency_id", "user_id"
        )
    )
    demo_workers = sorted((w for w in workers if w["is_demo"]), key=lambda w: w["id"])
    generated = [w for w in workers if not w["is_demo"]]
    profiles = WorkerProfile.objects.in_bulk([w["id"] for w in workers])
    users = User.objects.in_bulk(
        [w["user_id"] for w in workers] + [h.user_id for h in households] + list(owners.values())
    )
    busy_later: set[int] = set()  # generated workers given an order now or to come

    specs = []
    live_plan = (
        [OrderStatus.IN_PROGRESS] * 2
        + [OrderStatus.AWAITING_CONFIRMATION] * 2
        + [OrderStatus.CONFIRMED] * 5
        + [OrderStatus.PENDING_CONTRACT] * 3
    )
    live_from = max(0, count - len(live_plan))
    for n in range(count):
        rng = random.Random(f"{seed}-order-{n}")
        demo_case = n < 6
        live = None if n < live_from else live_plan[n - live_from]
        if demo_case:
            household = demo_household
            pool = demo_workers[:1] if n < 4 else demo_workers[1:3]
        else:
            household = others[rng.randrange(len(others))]
            pool = [w for w in generated if w["id"] not in busy_later] if live else generated
        if not pool:
            continue
        if live in (OrderStatus.IN_PROGRESS, OrderStatus.AWAITING_CONFIRMATION):
            starts_at = now - dt.timedelta(
                hours=rng.randint(1, 2) + (3 if live != "in_progress" else 0)
            )
            matched = starts_at - dt.timedelta(days=rng.randint(1, 4), hours=rng.randint(1, 8))
        elif live:
            starts_at = _at(today + dt.timedelta(days=rng.randint(3, 12)), rng.choice([8, 9, 14]))
            matched = now - dt.timedelta(hours=rng.randint(2, 40))
        else:
            # More orders in recent months: the programme grows over the year.
            back = 12 + (HISTORY_DAYS - 14) * (1 - math.sqrt(rng.random()))
            matched = now - dt.timedelta(days=back, minutes=rng.randrange(24 * 60))
            start_day = timezone.localdate(matched) + dt.timedelta(days=rng.randint(1, 6))
            starts_at = _at(start_day, rng.choice([8, 9, 10, 14]))
        start_day = timezone.localdate(starts_at)
        candidates = [w for w in pool if _can_serve(w, start_day)] or pool
        worker = candidates[rng.randrange(len(candidates))]
        trades = sorted(worker["trades"]) or ["housekeeper"]
        code = "hourly_cleaning" if "hourly_cleaning" in trades and rng.random() < 0.4 else None
        code = code or rng.choice(trades)
        if live:
            busy_later.add(worker["id"])
        wait = dt.timedelta(minutes=min(2880, int(rng.expovariate(1 / 150)) + 2))
        if live is not None:
            outcome = live
        elif demo_case:
            outcome = OrderStatus.CANCELLED if n == 4 else OrderStatus.COMPLETED
        else:
            roll = rng.random()
            recent = now - matched < dt.timedelta(days=40)
            outcome = (
                OrderStatus.CANCELLED
                if roll < 0.12
                else OrderStatus.DISPUTED
                if roll < 0.15 and recent
                else OrderStatus.COMPLETED
            )
        hours = rng.choice([2, 3, 3, 4])
        specs.append(
            {
                "n": n,
                "rng": rng,
                "household": household,
                "worker": worker,
                "category_id": code_to_id[code],
                "requested": matched - wait,
                "matched": matched,
                "starts_at": starts_at,
                "ends_at": starts_at + dt.timedelta(hours=hours),
                "status": outcome,
                "price": hours * profiles[worker["id"]].hourly_rate,
            }
        )

    requests = ServiceRequest.objects.bulk_create(
        [
            ServiceRequest(
                household_id=s["household"].user_id,
                category_id=s["category_id"],
                division_id=s["household"].division_id,
                address=s["household"].address,
                latitude=s["household"].latitude,
                longitude=s["household"].longitude,
                starts_at=s["starts_at"],
                ends_at=s["ends_at"],
                budget=s["price"],
                max_distance_km=settings.MEIJIA["DEFAULT_MAX_DISTANCE_KM"],
                description=f"{categories[s['category_id']].name_zh}服务，请准时到达。",
                status=RequestStatus.CANCELLED
                if s["status"] == OrderStatus.CANCELLED
                else RequestStatus.MATCHED,
                matched_at=s["matched"],
            )
            for s in specs
        ]
    )
    _stamp(requests, created_at=[s["requested"] for s in specs])
    offers = Offer.objects.bulk_create(
        [
            Offer(
                request=request,
                worker_id=s["worker"]["id"],
                status=OfferStatus.ACCEPTED,
                source=OfferSource.MATCHING,
                rank=1,
                score=round(s["rng"].uniform(0.6, 0.95), 3),
                distance_km=round(s["rng"].uniform(0.5, 12), 1),
                expires_at=s["requested"] + dt.timedelta(minutes=15),
                responded_at=s["matched"],
            )
            for s, request in zip(specs, requests, strict=True)
        ]
    )
    _stamp(offers, created_at=[s["requested"] for s in specs])

    orders, timelines = [], []
    for s, request, offer in zip(specs, requests, offers, strict=True):
        rng, status = s["rng"], s["status"]
        t = {"signed": None, "in": None, "finished": None, "completed": None, "cancelled": None}
        if status != OrderStatus.PENDING_CONTRACT:
            t["signed"] = min(s["matched"] + dt.timedelta(hours=rng.randint(1, 12)), now)
        if status == OrderStatus.CANCELLED:
            t["cancelled"] = s["matched"] + dt.timedelta(hours=rng.randint(2, 30))
            if rng.random() < 0.5:
                t["signed"] = None
            elif t["signed"] >= t["cancelled"]:
                t["signed"] = t["cancelled"] - dt.timedelta(minutes=30)
        if status in (
            OrderStatus.IN_PROGRESS,
            OrderStatus.AWAITING_CONFIRMATION,
            OrderStatus.COMPLETED,
            OrderStatus.DISPUTED,
        ):
            t["in"] = s["starts_at"] + dt.timedelta(minutes=rng.randint(-10, 10))
        if status in (
            OrderStatus.AWAITING_CONFIRMATION,
            OrderStatus.COMPLETED,
            OrderStatus.DISPUTED,
        ):
            t["finished"] = min(s["ends_at"] + dt.timedelta(minutes=rng.randint(-5, 20)), now)
        if status == OrderStatus.COMPLETED:
            t["completed"] = t["finished"] + dt.timedelta(hours=rng.choice([1, 2, 5, 20, 48]))
        request.category = categories[s["category_id"]]
        orders.append(
            Order(
                request=request,
                offer_id=offer.pk,
                household_id=s["household"].user_id,
                worker_id=s["worker"]["id"],
                agency_id=s["worker"]["agency_id"],
                status=status,
                price=s["price"],
                starts_at=s["starts_at"],
                ends_at=s["ends_at"],
                checked_in_at=t["in"],
                worker_finished_at=t["finished"],
                completed_at=t["completed"],
                cancelled_at=t["cancelled"],
                cancelled_by_party=(
                    rng.choice([Party.HOUSEHOLD, Party.HOUSEHOLD, Party.WORKER])
                    if t["cancelled"]
                    else ""
                ),
            )
        )
        timelines.append(t)
    orders = Order.objects.bulk_create(orders)
    last_change = [
        max(v for v in (s["matched"], *t.values()) if v is not None)
        for s, t in zip(specs, timelines, strict=True)
    ]
    _stamp(orders, created_at=[s["matched"] for s in specs], updated_at=last_change)

    occurrences, events, contracts, disputes, reviews = [], [], [], [], []
    for s, order, t in zip(specs, orders, timelines, strict=True):
        rng = s["rng"]
        household_user, worker_user = users[order.household_id], users[s["worker"]["user_id"]]
        order.worker = profiles[order.worker_id]
        order.household = household_user
        occurrences.append(
            Occurrence(
                request_id=order.request_id,
                order=order,
                worker_id=order.worker_id,
                starts_at=order.starts_at,
                ends_at=order.ends_at,
                original_starts_at=order.starts_at,
                status=OccurrenceStatus.CANCELLED if t["cancelled"] else OccurrenceStatus.SCHEDULED,
                checked_in_at=t["in"],
                checked_out_at=t["finished"],
            )
        )

        def event(when, actor, before, after, reason, _order=order):
            events.append(
                (
                    OrderEvent(
                        order=_order,
                        actor=actor,
                        from_status=before,
                        to_status=after,
                        reason=reason,
                    ),
                    when,
                )
            )

        event(s["matched"], worker_user, "", OrderStatus.PENDING_CONTRACT, "服务员接受邀约")
        current = OrderStatus.PENDING_CONTRACT
        if t["signed"]:
            event(t["signed"], household_user, current, OrderStatus.CONFIRMED, "各方已签署合同")
            current = OrderStatus.CONFIRMED
        if t["cancelled"]:
            actor = household_user if order.cancelled_by_party == Party.HOUSEHOLD else worker_user
            event(t["cancelled"], actor, current, OrderStatus.CANCELLED, rng.choice(CANCEL_REASONS))
        if t["in"]:
            event(t["in"], worker_user, current, OrderStatus.IN_PROGRESS, "服务员签到")
            current = OrderStatus.IN_PROGRESS
        if t["finished"]:
            event(
                t["finished"], worker_user, current, OrderStatus.AWAITING_CONFIRMATION, "服务员完工"
            )
            current = OrderStatus.AWAITING_CONFIRMATION
        if t["completed"]:
            late = t["completed"] - t["finished"] >= dt.timedelta(hours=48)
            event(
                t["completed"],
                None if late else household_user,
                current,
                OrderStatus.COMPLETED,
                "48小时未确认，自动确认完成" if late else "雇主确认完成",
            )
        if order.status == OrderStatus.DISPUTED:
            opened = t["finished"] + dt.timedelta(hours=rng.randint(1, 20))
            event(opened, household_user, current, OrderStatus.DISPUTED, "服务质量有争议")
            disputes.append(
                (
                    Dispute(
                        order=order,
                        opened_by=household_user,
                        previous_status=current,
                        reason="部分房间没有打扫干净，要求返工或部分退款。",
                        status=DisputeStatus.OPEN,
                    ),
                    opened,
                )
            )

        # Contract v1 as drafted at acceptance; signed by every party when signed.
        terms = contract_terms(order=order, version=1)
        text = contract_render(terms=terms)
        contracts.append(
            (
                Contract(
                    order=order,
                    version=1,
                    text=text,
                    text_sha256=text_digest(text),
                    terms=terms,
                    required_parties=required_parties_of(order),
                    status=ContractStatus.SIGNED
                    if t["signed"]
                    else ContractStatus.AWAITING_SIGNATURES,
                    signed_at=t["signed"],
                ),
                s,
                t,
            )
        )

        if t["completed"]:
            window_closes = t["completed"] + dt.timedelta(days=14)
            written = []
            if rng.random() < 0.75:
                written.append((Party.HOUSEHOLD, household_user, HOUSEHOLD_COMMENTS))
            if rng.random() < 0.55:
                written.append((Party.WORKER, worker_user, WORKER_COMMENTS))
            times = [t["completed"] + dt.timedelta(hours=rng.randint(1, 200)) for _ in written]
            times = [min(moment, now) for moment in times]
            if len(written) == 2:
                published = max(times)
            else:
                published = window_closes if window_closes <= now else None
            for (party, author, comments), moment in zip(written, times, strict=True):
                reviews.append(
                    (
                        Review(
                            order=order,
                            author=author,
                            author_party=party,
                            rating=_rating(rng),
                            comment=rng.choice(comments),
                            published_at=published,
                        ),
                        moment,
                    )
                )

    Occurrence.objects.bulk_create(occurrences)
    created = OrderEvent.objects.bulk_create([e for e, _w in events], batch_size=1000)
    _stamp(created, created_at=[w for _e, w in events])
    created = Contract.objects.bulk_create([c for c, _s, _t in contracts])
    _stamp(created, created_at=[s["matched"] for _c, s, _t in contracts])
    signatures, signed_times = [], []
    for contract, s, t in contracts:
        if not t["signed"]:
            continue
        signers = {
            Party.HOUSEHOLD: s["household"].user_id,
            Party.WORKER: s["worker"]["user_id"],
            Party.AGENCY: owners.get(s["worker"]["agency_id"]),
        }
        parties = contract.required_parties
        for index, party in enumerate(parties):
            signatures.append(
                ContractSignature(
                    contract=contract,
                    party=party,
                    signer_id=signers[party],
                    text_sha256=contract.text_sha256,
                    user_agent="Mozilla/5.0 (Linux; Android 10) 家政美家演示",
                )
            )
            step = (t["signed"] - s["matched"]) * (index + 1) / len(parties)
            signed_times.append(s["matched"] + step)
    signatures = ContractSignature.objects.bulk_create(signatures, batch_size=1000)
    _stamp(signatures, signed_at=signed_times)
    created = Dispute.objects.bulk_create([d for d, _w in disputes])
    _stamp(created, opened_at=[w for _d, w in disputes])
    created = Review.objects.bulk_create([r for r, _w in reviews])
    _stamp(created, created_at=[w for _r, w in reviews])
    summary.add("requests", len(requests))
    summary.add("orders", len(orders))
    summary.add("contracts", len(contracts))
    summary.add("reviews", len(reviews))


def demo_history_ensure(*, seed: int, orders: int, operator: User, summary: DemoSummary) -> None:
    """The last 12 months of programme and marketplace, once (skipped when it exists)."""
    from programme.models import Course

    if Course.objects.filter(name=HISTORY_MARKER).exists():
        return
    officer = User.objects.get(username="demo-federation")
    today = timezone.localdate()
    with transaction.atomic():
        demo_programme_history_ensure(seed=seed, officer=officer, summary=summary)
        workers = _history_workers(today)
        checks = _earlier_health_checks(
            workers, today - dt.timedelta(days=HISTORY_DAYS + 14), operator.pk
        )
        HealthCheck.objects.bulk_create(checks)
        summary.add("health_checks", len(checks))
        if orders and workers:
            demo_orders_history_ensure(seed=seed, count=orders, workers=workers, summary=summary)
