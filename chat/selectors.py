"""Reads for order chat: the orders a user may chat in, history pages, unread counts."""

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from backend.exceptions import NotFound
from chat.models import ChatMessage, ReadMarker
from marketplace.models import AgencyStaff, User
from orders.models import Order
from orders.parties import party_of

# The most messages one history page or one resync batch carries.
MAX_PAGE = 200


def order_for_party(*, order_id: int, user: User) -> Order:
    """The order, when `user` is one of its parties.

    Raises NotFound both when the order does not exist and when the user is not a party, so a
    stranger cannot tell the two apart.
    """
    order = Order.objects.select_related("worker").filter(pk=order_id).first()
    if order is None or party_of(user, order) is None:
        raise NotFound(gettext("订单不存在。"), code="not_found")
    return order


def orders_of_party(*, user: User) -> QuerySet[Order]:
    """Every order the user is a party of (household, worker, or staff of the order's agency)."""
    agency_ids = AgencyStaff.objects.filter(user_id=user.pk).values("agency_id")
    return Order.objects.filter(
        Q(household_id=user.pk) | Q(worker__user_id=user.pk) | Q(agency_id__in=agency_ids)
    )


def messages_after(*, order_id: int, after: int = 0, limit: int = MAX_PAGE) -> list[ChatMessage]:
    """Messages of an order with id > `after`, oldest first, at most `limit` of them."""
    limit = max(1, min(limit, MAX_PAGE))
    return list(
        ChatMessage.objects.filter(order_id=order_id, id__gt=after)
        .select_related("sender")
        .order_by("id")[:limit]
    )


def chat_unread_counts(*, user: User) -> dict[int, int]:
    """{order id: messages from others after the user's read marker}, orders with unread only."""
    marker = ReadMarker.objects.filter(order_id=OuterRef("order_id"), user_id=user.pk).values(
        "last_read_id"
    )[:1]
    rows = (
        ChatMessage.objects.filter(order__in=orders_of_party(user=user))
        .exclude(sender_id=user.pk)
        .annotate(read_up_to=Coalesce(Subquery(marker), Value(0)))
        .filter(id__gt=F("read_up_to"))
        .values("order_id")
        .annotate(unread=Count("id"))
        .order_by("order_id")
    )
    return {row["order_id"]: row["unread"] for row in rows}


def read_marker_of(*, order_id: int, user: User) -> int:
    """The id up to which the user has read the order's chat (0 when never read)."""
    return (
        ReadMarker.objects.filter(order_id=order_id, user_id=user.pk)
        .values_list("last_read_id", flat=True)
        .first()
        or 0
    )
