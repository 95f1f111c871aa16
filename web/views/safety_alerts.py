"""Safety alerts (SOS, overdue check-outs) in a staff member's or operator's inbox."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from notifications.models import Notification
from orders.services.sos import SAFETY_OVERDUE, SAFETY_SOS
from web.views.common import is_staff_or_operator


@login_required
def alerts(request):
    """Safety alerts in this staff member's (or operator's) inbox, newest first."""
    if not is_staff_or_operator(request.user):
        raise Http404
    items = list(
        Notification.objects.filter(
            user=request.user, type__in=[SAFETY_SOS, SAFETY_OVERDUE]
        ).order_by("-id")[:100]
    )
    return render(request, "web/safety/alerts.html", {"alerts": items})
