"""Time-based work that nobody clicks: one idempotent pass over everything due.

Every item is claimed by a conditional UPDATE (or a row lock plus a status check) so that two
copies running at once change each row once: offers past their expiry (and the next waves),
open requests whose start passed, orders awaiting confirmation for AUTO_CONFIRM_HOURS, and
review windows that closed.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from backend.periodic_jobs import run_registered_jobs
from notifications.delivery import deliveries_run_due
from notifications.presence import presence_prune
from orders.models import Offer
from orders.payments.payouts import payouts_send_due
from orders.payments.retry import payment_operations_retry_due
from orders.services.attendance import orders_auto_confirm_due
from orders.services.countersign import countersign_reminders_due
from orders.services.offer_reach import offers_awaiting_reach
from orders.services.offers import offer_expire
from orders.services.requests import requests_expire_due
from orders.services.reviews import review_windows_close
from orders.services.sos import safety_overdue_alerts_due
from orders.statuses import OfferStatus

logger = logging.getLogger(__name__)


def offers_expire_due(*, now: dt.datetime | None = None) -> int:
    """Expire pending offers past `expires_at` that have reached their worker (one still being
    delivered keeps its time: orders.services.offer_reach); returns how many this call expired."""
    now = now or timezone.now()
    due = list(
        Offer.objects.filter(status=OfferStatus.PENDING, expires_at__lte=now)
        .order_by("request_id", "pk")
        .values_list("pk", flat=True)
    )
    if due:
        waiting = offers_awaiting_reach()
        due = [offer_id for offer_id in due if offer_id not in waiting]
    return sum(1 for offer_id in due if offer_expire(offer_id=offer_id, now=now))


def run_due_work(now: dt.datetime | None = None) -> dict[str, int]:
    """Do all due work once; returns the count of each kind of item this call changed."""
    now = now or timezone.now()
    counts = {
        # First: a notification due now goes out before its offer's expiry is judged.
        "deliveries_settled": deliveries_run_due(now=now),
        "offers_expired": offers_expire_due(now=now),
        "requests_expired": requests_expire_due(now=now),
        "orders_auto_confirmed": orders_auto_confirm_due(now=now),
        "review_windows_closed": review_windows_close(now=now),
        "payment_operations_sent": payment_operations_retry_due(now=now),
        "payouts_sent": payouts_send_due(now=now),
        "safety_overdue_alerts": safety_overdue_alerts_due(now=now),
        "presences_pruned": presence_prune(now=now),
        "countersign_reminders": countersign_reminders_due(now=now),
    }
    counts.update(run_registered_jobs(now=now))  # the apps above orders (backend.periodic_jobs)
    return counts
