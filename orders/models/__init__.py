from .contracts import Contract, ContractSignature
from .offers import Offer
from .orders import Dispute, Order, OrderEvent
from .requests import Occurrence, ServiceRequest
from .reviews import Review

__all__ = [
    "Contract",
    "ContractSignature",
    "Dispute",
    "Occurrence",
    "Offer",
    "Order",
    "OrderEvent",
    "Review",
    "ServiceRequest",
]
