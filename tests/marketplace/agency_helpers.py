"""A small world for the agency tests: agency A (owner, plain staff, one active roster worker
with credentials of each kind) and agency B (its owner), plus a snapshot of everything the
agency endpoints can change, to prove a refused call changed nothing."""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.models import (
    Agency,
    AgencyStaff,
    Certificate,
    HealthCheck,
    RosterEntry,
    TrainingRecord,
    User,
    WorkerProfile,
)
from notifications.models import Notification
from orders.models import Offer
from tests import factories

PREFIX = "/api/v1/agencies/me/"


@dataclass
class World:
    agency: Agency
    owner: AgencyStaff
    staff: AgencyStaff
    other_agency: Agency
    other_owner: AgencyStaff
    worker: WorkerProfile
    entry: RosterEntry
    certificate: Certificate
    training: TrainingRecord
    health_check: HealthCheck


def make_world() -> World:
    agency = factories.AgencyFactory()
    owner = factories.AgencyStaffFactory(agency=agency)
    staff = factories.AgencyStaffFactory(agency=agency, staff_role=AgencyStaff.StaffRole.STAFF)
    other_owner = factories.AgencyStaffFactory()
    worker = factories.WorkerFactory()
    entry = factories.RosterEntryFactory(agency=agency, worker=worker)
    return World(
        agency=agency,
        owner=owner,
        staff=staff,
        other_agency=other_owner.agency,
        other_owner=other_owner,
        worker=worker,
        entry=entry,
        certificate=worker.certificates.get(),
        training=worker.training_records.get(),
        health_check=worker.health_checks.get(),
    )


def snapshot() -> dict:
    """Everything the agency endpoints write, as comparable values."""
    return {
        "agencies": list(Agency.objects.order_by("pk").values("pk", "phone", "address")),
        "staff": list(AgencyStaff.objects.order_by("pk").values("pk", "staff_role", "agency_id")),
        "users": list(
            User.objects.order_by("pk").values("pk", "is_active", "display_name", "phone")
        ),
        "roster": list(
            RosterEntry.objects.order_by("pk").values("pk", "status", "ended_on", "end_reason")
        ),
        "workers": list(
            WorkerProfile.objects.order_by("pk").values("pk", "is_verified", "verified_by")
        ),
        "certificates": list(
            Certificate.objects.order_by("pk").values("pk", "verified_at", "is_revoked")
        ),
        "trainings": list(TrainingRecord.objects.order_by("pk").values("pk", "verified_at")),
        "checks": list(HealthCheck.objects.order_by("pk").values("pk", "verified_at")),
        "offers": Offer.objects.count(),
        "notifications": Notification.objects.count(),
    }
