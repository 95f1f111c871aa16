from .alerts import SafetyAlert, SafetyAlertKind
from .contracts import Contract, ContractSignature
from .countersign import CountersignAuthorisation
from .offers import Offer
from .orders import Dispute, Order, OrderEvent
from .payments import (
    LedgerEntry,
    Payment,
    PaymentOperation,
    PayoutAccount,
    WebhookEvent,
)
from .request_events import RequestEvent, RequestEventKind
from .requests import Occurrence, ServiceRequest
from .reviews import Review
from .start_codes import StartCode

__all__ = [
    "Contract",
    "ContractSignature",
    "CountersignAuthorisation",
    "Dispute",
    "LedgerEntry",
    "Occurrence",
    "Offer",
    "Order",
    "OrderEvent",
    "Payment",
    "PaymentOperation",
    "PayoutAccount",
    "RequestEvent",
    "RequestEventKind",
    "Review",
    "SafetyAlert",
    "SafetyAlertKind",
    "ServiceRequest",
    "StartCode",
    "WebhookEvent",
]
