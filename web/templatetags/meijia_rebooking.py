"""The order page's weekly-use lines: `{% rebooking_actions order %}` (收藏 and 再约一次,
for the household of a finished order) and `{% substitute_flags order %}` (visits whose worker
is on leave then)."""

from django import template

from orders.selectors_rebooking import is_favourite
from orders.selectors_time_off import substitutes_needed_of_order
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


@register.inclusion_tag("web/time_off/_order_flags.html", takes_context=True)
def substitute_flags(context, order):
    """The order's booked visits whose worker is on leave then (every party sees them)."""
    return {"visits": substitutes_needed_of_order(order_id=order.pk), "order": order}
