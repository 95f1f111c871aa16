from .agencies import Agency, AgencyStaff, RosterEntry
from .catalog import Category, Division
from .credentials import Certificate, HealthCheck, TrainingKind, TrainingRecord
from .people import FederationOfficerProfile, HouseholdProfile, Role, User, WorkerProfile
from .safety import (
    AppealStatus,
    HouseholdBlock,
    IncidentKind,
    ReliabilityAppeal,
    ServiceCard,
)

__all__ = [
    "Agency",
    "AppealStatus",
    "AgencyStaff",
    "Category",
    "Certificate",
    "Division",
    "FederationOfficerProfile",
    "HealthCheck",
    "HouseholdBlock",
    "HouseholdProfile",
    "IncidentKind",
    "ReliabilityAppeal",
    "Role",
    "RosterEntry",
    "ServiceCard",
    "TrainingKind",
    "TrainingRecord",
    "User",
    "WorkerProfile",
]
