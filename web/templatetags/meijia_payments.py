"""The order page's payment section: `{% order_payment_section order %}` (status, what was
received, the ledger lines the viewer may see, and the actions open to her)."""

from django import template

from orders.models.payments import LedgerAccount, LedgerKind, OfflineMethod, PaymentStatus
from orders.parties import party_of
from orders.payments.authorisation import AUTHORIZABLE_STATUSES
from orders.receipts.selectors import RECEIPT_STATUSES
from orders.statuses import Party
from web.selectors_agency import order_payment

register = template.Library()

CARD_PAYABLE = (PaymentStatus.UNPAID, PaymentStatus.AWAITING_AUTHORIZATION)


@register.inclusion_tag("web/payments/_order_payment.html", takes_context=True)
def order_payment_section(context, order):
    request = context["request"]
    party = party_of(request.user, order)
    if party is None:
        return {"show": False}
    payment = order_payment(order=order, party=party)
    return {
        "show": True,
        "order": order,
        "party": party,
        "payment": payment,
        "csrf_token": context.get("csrf_token"),
        "is_household": party == Party.HOUSEHOLD,
        "has_receipt": payment.status in RECEIPT_STATUSES,
        "can_record": party == Party.AGENCY and payment.amount_outstanding > 0,
        "can_pay_card": party == Party.HOUSEHOLD
        and payment.is_online_available
        and order.status in AUTHORIZABLE_STATUSES
        and payment.status in CARD_PAYABLE,
        "payment_statuses": PaymentStatus.choices,
        "methods": OfflineMethod.choices,
        "accounts": LedgerAccount.choices,
        "ledger_kinds": LedgerKind.choices,
    }
