"""factory_boy factories for every role; the default worker is eligible for housekeeping.

Points default to the Linqing city seat (36.8494 N, 115.7061 E).
"""

import datetime as dt

import factory
from django.utils import timezone

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

CITY_SEAT = (36.8494, 115.7061)
PASSWORD = "Str0ng-pass-123"


def division(code: str = "371581001000") -> Division:
    return Division.objects.get(code=code)


def category(code: str = "housekeeper") -> Category:
    return Category.objects.get(code=code)


def today() -> dt.date:
    return timezone.localdate()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    phone = factory.Sequence(lambda n: f"+86138{n:08d}")
    role = Role.HOUSEHOLD
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseholdProfile

    user = factory.SubFactory(UserFactory, role=Role.HOUSEHOLD)
    name = factory.Sequence(lambda n: f"王家{n}")
    phone = factory.Sequence(lambda n: f"+86139{n:08d}")
    division = factory.LazyFunction(division)
    address = "临清市青年路街道幸福小区3号楼"
    latitude = CITY_SEAT[0]
    longitude = CITY_SEAT[1]


class WorkerFactory(factory.django.DjangoModelFactory):
    """An eligible worker: verified, certified, trained, health-checked, at the city seat.

    Pass `credentials=False` for a bare profile, or `trades=[codes]` to certify other trades.
    """

    class Meta:
        model = WorkerProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role=Role.WORKER)
    real_name = factory.Sequence(lambda n: f"李秀英{n}")
    phone = factory.Sequence(lambda n: f"+86137{n:08d}")
    division = factory.LazyFunction(division)
    base_latitude = CITY_SEAT[0]
    base_longitude = CITY_SEAT[1]
    geo_cell = factory.LazyAttribute(lambda o: cell_for(o.base_latitude, o.base_longitude))
    service_radius_km = 15
    hourly_rate = 3500
    is_verified = True
    verified_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def trades(obj, create, extracted, **kwargs):  # noqa: N805
        codes = extracted if extracted is not None else ["housekeeper", "hourly_cleaning"]
        obj._trade_codes = codes
        if create:
            obj.categories.set(Category.objects.filter(code__in=codes))

    @factory.post_generation
    def credentials(obj, create, extracted, **kwargs):  # noqa: N805
        if not create or extracted is False:
            return
        for trade in Category.objects.filter(code__in=obj._trade_codes, requires_certificate=True):
            CertificateFactory(worker=obj, category=trade)
        TrainingRecordFactory(worker=obj)
        HealthCheckFactory(worker=obj)


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    worker = factory.SubFactory(WorkerFactory, credentials=False)
    category = factory.LazyFunction(category)
    number = factory.Sequence(lambda n: f"LQ2026{n:06d}")
    level = "初级"
    issuer = "临清市人力资源和社会保障局"
    issued_on = factory.LazyFunction(lambda: today() - dt.timedelta(days=200))
    expires_on = factory.LazyFunction(lambda: today() + dt.timedelta(days=3 * 365))
    verified_at = factory.LazyFunction(timezone.now)


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    worker = factory.SubFactory(WorkerFactory, credentials=False)
    course = "家政服务岗前培训"
    kind = TrainingKind.PRE_JOB
    provider = "临清市妇联"
    completed_on = factory.LazyFunction(lambda: today() - dt.timedelta(days=220))
    verified_at = factory.LazyFunction(timezone.now)


class HealthCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HealthCheck

    worker = factory.SubFactory(WorkerFactory, credentials=False)
    done_on = factory.LazyFunction(lambda: today() - dt.timedelta(days=30))
    valid_until = factory.LazyFunction(lambda: today() + dt.timedelta(days=335))
    institution = "临清市人民医院"
    verified_at = factory.LazyFunction(timezone.now)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"临清美家家政服务有限公司{n}")
    licence_number = factory.Sequence(lambda n: f"91371581MA{n:08d}")
    division = factory.LazyFunction(division)


class AgencyStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyStaff

    user = factory.SubFactory(UserFactory, role=Role.AGENCY_STAFF)
    agency = factory.SubFactory(AgencyFactory)
    staff_role = AgencyStaff.StaffRole.OWNER


class RosterEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RosterEntry

    agency = factory.SubFactory(AgencyFactory)
    worker = factory.SubFactory(WorkerFactory)
    status = RosterEntry.Status.ACTIVE
    started_on = factory.LazyFunction(today)


class FederationOfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FederationOfficerProfile

    user = factory.SubFactory(UserFactory, role=Role.FEDERATION)
    name = factory.Sequence(lambda n: f"妇联干部{n}")
    title = "科员"


def operator_user(**kwargs) -> User:
    return UserFactory(role=Role.OPERATOR, is_staff=True, is_superuser=True, **kwargs)


def future(hours: float = 48) -> dt.datetime:
    """An aware datetime `hours` from now, on a whole minute."""
    return (timezone.now() + dt.timedelta(hours=hours)).replace(second=0, microsecond=0)


class ServiceRequestFactory(factory.django.DjangoModelFactory):
    """An open one-off request two days ahead, at the city seat, for housekeeping."""

    class Meta:
        model = "orders.ServiceRequest"
        skip_postgeneration_save = True

    household = factory.LazyAttribute(lambda o: HouseholdFactory().user)
    category = factory.LazyFunction(category)
    division = factory.LazyFunction(division)
    address = "临清市青年路街道幸福小区3号楼2单元"
    latitude = CITY_SEAT[0]
    longitude = CITY_SEAT[1]
    starts_at = factory.LazyFunction(lambda: future(48))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))
    budget = 15000
    max_distance_km = 20

    @factory.post_generation
    def occurrences(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted is not False:
            obj.occurrences.create(
                starts_at=obj.starts_at, ends_at=obj.ends_at, original_starts_at=obj.starts_at
            )


class OrderFactory(factory.django.DjangoModelFactory):
    """An order built directly (no offer), in `pending_contract` unless `status` is given.

    The request's occurrences are attached to the order and worker, as offer acceptance does.
    """

    class Meta:
        model = "orders.Order"
        skip_postgeneration_save = True

    request = factory.SubFactory(ServiceRequestFactory, status="matched")
    household = factory.LazyAttribute(lambda o: o.request.household)
    worker = factory.SubFactory(WorkerFactory)
    price = factory.LazyAttribute(lambda o: o.request.budget)
    starts_at = factory.LazyAttribute(lambda o: o.request.starts_at)
    ends_at = factory.LazyAttribute(lambda o: o.request.ends_at)

    @factory.post_generation
    def attach_occurrences(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.request.occurrences.update(order=obj, worker=obj.worker)
