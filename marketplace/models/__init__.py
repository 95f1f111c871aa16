from .agencies import Agency, AgencyStaff, RosterEntry
from .appeals import AppealStatus, IncidentKind, ReliabilityAppeal
from .blocks import HouseholdBlock
from .catalog import Category, Division
from .credentials import Certificate, HealthCheck, TrainingKind, TrainingRecord
from .identity import IdentityChange, IdentityField
from .people import FederationOfficerProfile, HouseholdProfile, Role, User, WorkerProfile
from .service_cards import ServiceCard
from .time_off import TimeOff

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
    "IdentityChange",
    "IdentityField",
    "IncidentKind",
    "ReliabilityAppeal",
    "Role",
    "RosterEntry",
    "ServiceCard",
    "TimeOff",
    "TrainingKind",
    "TrainingRecord",
    "User",
    "WorkerProfile",
]
