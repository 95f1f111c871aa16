from .alerts import SafetyAlert, SafetyAlertKind
from .applications import RequestApplication
from .contracts import Contract, ContractSignature
from .countersign import CountersignAuthorisation
from .invoices import InvoiceKind, InvoiceRequest, InvoiceStatus
from .offers import Offer
from .orders import Dispute, Order, OrderEvent
from .payments import (
    LedgerEntry,
    Payment,
    PaymentOperation,
    PayoutAccount,
    WebhookEvent,
)
from .rebooking import AskedAgain, FavouriteWorker
from .request_events import RequestEvent, RequestEventKind
from .requests import Occurrence, ServiceRequest
from .reviews import Review, ReviewReport
from .start_codes import StartCode

__all__ = [
    "AskedAgain",
    "Contract",
    "ContractSignature",
    "CountersignAuthorisation",
    "Dispute",
    "FavouriteWorker",
    "InvoiceKind",
    "InvoiceRequest",
    "InvoiceStatus",
    "LedgerEntry",
    "Occurrence",
    "Offer",
    "Order",
    "OrderEvent",
    "Payment",
    "PaymentOperation",
    "PayoutAccount",
    "RequestApplication",
    "RequestEvent",
    "RequestEventKind",
    "Review",
    "ReviewReport",
    "SafetyAlert",
    "SafetyAlertKind",
    "ServiceRequest",
    "StartCode",
    "WebhookEvent",
]
