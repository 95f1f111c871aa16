"""The order page's "book her again" line: `{% rebooking_actions order %}` (收藏 and 再约一次,
for the household of a finished order)."""

from django import template

from orders.selectors_rebooking import is_favourite
from orders.statuses import OrderStatus

register = template.Library()


@register.inclusion_tag("web/rebooking/_order_actions.html", takes_context=True)
def rebooking_actions(context, order):
    user = context["request"].user
    if order.household_id != user.pk or order.status != OrderStatus.COMPLETED:
        return {"show": False}
    return {
        "show": True,
        "order": order,
        "is_favourite": is_favourite(user=user, worker_id=order.worker_id),
        "csrf_token": context.get("csrf_token"),
    }
