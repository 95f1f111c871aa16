"""What each party of an order may see (docs/privacy.md): the exact address only once the
contract is signed (the household always), phone numbers of the household and the worker
never; contract texts are shown with those parts redacted."""

from __future__ import annotations

from marketplace.models import User
from orders.models import Order
from orders.parties import party_of
from orders.statuses import OrderStatus, Party

# The statuses an order reaches only after every party signed its contract.
SIGNED_ORDER_STATUSES = (
    OrderStatus.CONFIRMED,
    OrderStatus.IN_PROGRESS,
    OrderStatus.AWAITING_CONFIRMATION,
    OrderStatus.COMPLETED,
    OrderStatus.DISPUTED,
    OrderStatus.REPLACED,
)


def address_visible_to(*, order: Order, party: str | None) -> bool:
    """The household always sees its own address; the worker side (worker, agency) only once
    the contract is signed (docs/privacy.md). A cancelled order hides it again."""
    if party == Party.HOUSEHOLD:
        return True
    return party is not None and order.status in SIGNED_ORDER_STATUSES


ADDRESS_HIDDEN = "（详细地址在合同签署后可见）"
PHONE_HIDDEN = "（请通过订单聊天联系）"


def contract_display(*, contract, user: User) -> tuple[str, dict, bool]:
    """The contract text and terms as this party may see them: (text, terms, is_redacted).

    Phone numbers of the household and the worker never show (older versions carried them);
    the exact address shows to the worker side only once the contract is signed. The stored
    text, and the SHA-256 every party signs, are those of the full text.
    """
    order = contract.order
    party = party_of(user, order)
    text = contract.text
    terms = dict(contract.terms or {})
    redacted = False
    parties = {key: dict(value or {}) for key, value in (terms.get("parties") or {}).items()}
    for side in ("household", "worker"):
        phone = (parties.get(side) or {}).pop("phone", "")
        if phone:
            text = text.replace(phone, PHONE_HIDDEN)
            redacted = True
    if parties:
        terms["parties"] = {key: value or None for key, value in parties.items()}
    address = terms.get("address") or ""
    if address and not address_visible_to(order=order, party=party):
        text = text.replace(address, ADDRESS_HIDDEN)
        terms["address"] = None
        redacted = True
    return text, terms, redacted
