"""Who the parties of an order are: the household, the worker, and the worker's agency staff.

Every permission check and every event recipient list for an order goes through here.
"""

from marketplace.models import AgencyStaff, User
from orders.statuses import Party


def order_party_user_ids(order) -> list[int]:
    """User ids of everyone party to the order (agency staff included), sorted."""
    ids = {order.household_id, order.worker.user_id}
    if order.agency_id:
        ids.update(
            AgencyStaff.objects.filter(agency_id=order.agency_id).values_list("user_id", flat=True)
        )
    return sorted(ids)


def party_of(user: User, order) -> str | None:
    """The Party the user acts as on this order, or None when the user is not a party."""
    if not user.is_authenticated:
        return None
    if user.pk == order.household_id:
        return Party.HOUSEHOLD
    if user.pk == order.worker.user_id:
        return Party.WORKER
    if (
        order.agency_id
        and AgencyStaff.objects.filter(user=user, agency_id=order.agency_id).exists()
    ):
        return Party.AGENCY
    return None
