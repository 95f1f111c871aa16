"""The people of the demo county: operators, agencies and their owners, households, workers.

Everything is keyed by a stable natural key (username, licence number), so running it again
creates only what is missing and never changes a row that exists.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from demo.bulk import DemoSummary, batched
from demo.county import (
    AGENCY_DIVISION_CODES,
    AGENCY_NAMES,
    CITY_SEAT,
    CITY_SEAT_DIVISION,
    DEMO_WORKER_COUNT,
    SURNAMES,
    WorkerSpec,
    demo_account_worker_spec,
    demo_worker_spec,
    id_card_number_for,
    point_near,
)
from demo.credentials import CredentialContext, CredentialRows, worker_credentials_add
from marketplace import reference_data
from marketplace.geo import cell_for
from marketplace.models import (
    Agency,
    AgencyStaff,
    Category,
    Division,
    FederationOfficerProfile,
    HouseholdProfile,
    Role,
    User,
    WorkerProfile,
)

BATCH_SIZE = 2000


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
        phone="+8613900009001",
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
            phone=f"+861390001{index:04d}",
        )
        _, created = AgencyStaff.objects.get_or_create(
            user=owner, defaults={"agency": agency, "staff_role": AgencyStaff.StaffRole.OWNER}
        )
        summary.add("agency_staff", int(created))
        agencies.append(agency)
    summary.accounts.append(("demo-agency", "agency_staff"))
    return agencies


# ---- households -------------------------------------------------------------------------------


def _household_rows(*, count: int, seed: int) -> list[tuple]:
    """(username, name, phone, division, point, address) for demo-household and `count` more."""
    divisions = list(Division.objects.order_by("code"))
    seat_division = next(d for d in divisions if d.code == CITY_SEAT_DIVISION)
    rows = [
        ("demo-household", "王女士", "+8613900009002", seat_division, CITY_SEAT, "幸福小区3号楼")
    ]
    for number in range(1, count + 1):
        rng = random.Random(f"{seed}-household-{number}")
        division = divisions[rng.randrange(len(divisions))]
        point = point_near(rng, division.latitude, division.longitude, 3.0)
        name = rng.choice(SURNAMES) + rng.choice(["女士", "先生"])
        address = f"{rng.randint(1, 30)}号院{rng.randint(1, 6)}号楼"
        rows.append(
            (f"household-{number:05d}", name, f"+86186{number:08d}", division, point, address)
        )
    return rows


def demo_households_ensure(
    *, count: int, seed: int, password_hash: str, summary: DemoSummary
) -> None:
    """demo-household at the city seat and `count` generated households over the divisions."""
    rows = _household_rows(count=count, seed=seed)
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


# ---- workers ----------------------------------------------------------------------------------


def _worker_profile(spec: WorkerSpec, user_id: int, *, division_id: int, now) -> WorkerProfile:
    profile = WorkerProfile(
        user_id=user_id,
        real_name=spec.real_name,
        phone=spec.phone,
        division_id=division_id,
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
    return profile


def _worker_rows_create(
    specs: list[WorkerSpec],
    *,
    password_hash: str,
    today: dt.date,
    lookups: dict,
    summary: DemoSummary,
) -> int:
    """Insert users, profiles, trades, credentials and roster rows for the missing specs."""
    usernames = [s.username for s in specs]
    existing = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    specs = [s for s in specs if s.username not in existing]
    if not specs:
        return 0
    context = CredentialContext(today=today, now=timezone.now(), lookups=lookups)
    divisions = lookups["divisions"]
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
        profiles = WorkerProfile.objects.bulk_create(
            [
                _worker_profile(s, u.pk, division_id=divisions[s.division_code], now=context.now)
                for s, u in zip(specs, users, strict=True)
            ]
        )
        rows = CredentialRows()
        for spec, profile in zip(specs, profiles, strict=True):
            worker_credentials_add(rows, spec=spec, profile_id=profile.pk, context=context)
        rows.save()
    summary.add("users", len(users))
    summary.add("workers", len(profiles))
    summary.add("certificates", len(rows.certificates))
    summary.add("training_records", len(rows.trainings))
    summary.add("health_checks", len(rows.checks))
    summary.add("roster_entries", len(rows.roster))
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
    write = {"password_hash": password_hash, "today": today, "lookups": lookups, "summary": summary}
    _worker_rows_create(demo_specs, **write)
    summary.accounts.append(("demo-worker, demo-worker-2 … demo-worker-20", "worker"))

    specs = (
        demo_worker_spec(number, seed=seed, divisions=divisions) for number in range(1, count + 1)
    )
    with tqdm(total=count, unit="worker", disable=not progress, desc="workers") as bar:
        for batch in batched(specs, BATCH_SIZE):
            _worker_rows_create(batch, **write)
            bar.update(len(batch))
