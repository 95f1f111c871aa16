from .agencies import Agency, AgencyStaff, RosterEntry
from .catalog import Category, Division
from .credentials import Certificate, HealthCheck, TrainingKind, TrainingRecord
from .people import FederationOfficerProfile, HouseholdProfile, Role, User, WorkerProfile

__all__ = [
    "Agency",
    "AgencyStaff",
    "Category",
    "Certificate",
    "Division",
    "FederationOfficerProfile",
    "HealthCheck",
    "HouseholdProfile",
    "Role",
    "RosterEntry",
    "TrainingKind",
    "TrainingRecord",
    "User",
    "WorkerProfile",
]
