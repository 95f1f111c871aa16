"""The worker's pending-offer count for the 派单 tab badge and the page title."""

from django import template
from django.utils import timezone

from orders.models import Offer
from orders.statuses import OfferStatus

register = template.Library()


@register.simple_tag
def pending_offer_count(user) -> int:
    """Offers still open to her now (one query; 0 for anyone but a worker)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_worker", False):
        return 0
    return Offer.objects.filter(
        worker__user=user, status=OfferStatus.PENDING, expires_at__gt=timezone.now()
    ).count()
