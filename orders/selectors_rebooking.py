"""Reads for booking her again: a household's favourites (with the last finished order to
book from) and the households that came back to a worker."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from marketplace.models import User, WorkerProfile
from orders.models import AskedAgain, FavouriteWorker, Order
from orders.statuses import OrderStatus


def finished_orders_with(*, household_id, worker_id) -> QuerySet[Order]:
    return Order.objects.filter(
        household_id=household_id, worker_id=worker_id, status=OrderStatus.COMPLETED
    ).order_by("-completed_at", "-pk")


def favourites_of_household(*, user: User) -> QuerySet[FavouriteWorker]:
    """The household's favourites, newest first, each with `last_finished_order_id`."""
    last = finished_orders_with(
        household_id=OuterRef("household_id"), worker_id=OuterRef("worker_id")
    )
    return (
        FavouriteWorker.objects.filter(household=user)
        .select_related("worker", "worker__division")
        .annotate(last_finished_order_id=Subquery(last.values("pk")[:1]))
    )


def is_favourite(*, user: User, worker_id: int) -> bool:
    return FavouriteWorker.objects.filter(household=user, worker_id=worker_id).exists()


def asked_again_of_worker(*, worker: WorkerProfile) -> QuerySet[AskedAgain]:
    """The households that booked her again, most recent first, with their last request."""
    return AskedAgain.objects.filter(worker=worker).select_related("household", "last_request")
