from .agencies import Agency, AgencyStaff, RosterEntry
from .appeals import AppealStatus, IncidentKind, ReliabilityAppeal
from .blocks import HouseholdBlock
from .catalog import Category, Division, ReviewTag
from .consents import Consent, ConsentKind
from .credentials import Certificate, HealthCheck, TrainingKind, TrainingRecord
from .identity import IdentityChange, IdentityField
from .people import (
    FederationOfficerProfile,
    HouseholdProfile,
    Role,
    User,
    VillageOfficerProfile,
    WorkerProfile,
)
from .phone_codes import CodePurpose, PhoneCode, ResetLink
from .service_cards import ServiceCard
from .time_off import TimeOff

__all__ = [
    "Agency",
    "AppealStatus",
    "AgencyStaff",
    "Category",
    "CodePurpose",
    "Consent",
    "ConsentKind",
    "Certificate",
    "Division",
    "FederationOfficerProfile",
    "HealthCheck",
    "HouseholdBlock",
    "HouseholdProfile",
    "IdentityChange",
    "IdentityField",
    "IncidentKind",
    "PhoneCode",
    "ReliabilityAppeal",
    "ResetLink",
    "ReviewTag",
    "Role",
    "RosterEntry",
    "ServiceCard",
    "TimeOff",
    "TrainingKind",
    "TrainingRecord",
    "User",
    "VillageOfficerProfile",
    "WorkerProfile",
]
