"""Service card pages: the public card behind the QR, the worker's own card and photo, and
her agency's revoke and reissue."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.exceptions import DomainError
from marketplace.apis.service_cards import card_photo_response, card_view_data
from marketplace.models import Role, WorkerProfile
from marketplace.selectors import agencies as agency_selectors
from marketplace.selectors import service_cards as selectors
from marketplace.services import service_cards as services
from web.views.common import refused, role_required

worker_only = role_required(Role.WORKER)


def card_public(request, token: str):
    """Anyone who scans the QR (no sign-in): name, photo, agency, colour — or plainly invalid."""
    card = selectors.card_from_token(token)
    if card is None:
        return render(request, "web/safety/card_public.html", {"valid": False}, status=404)
    url = request.build_absolute_uri(reverse("web:card", args=[token]))
    context = {"valid": True, "card": card_view_data(card, request), "qr_svg": _qr_svg(url)}
    return render(request, "web/safety/card_public.html", context)


def card_photo(request, token: str):
    card = selectors.card_from_token(token)
    if card is None or not card.photo:
        raise Http404
    return card_photo_response(card)


def _qr_svg(url: str) -> str:
    # A viewBox and no fixed size: the SVG scales down whole under the max-width rule (a fixed
    # width and height was cropped at 360 px, finder patterns cut off). Quiet zone of 4.
    return segno.make(url, error="m").svg_inline(scale=8, dark="#1f1f24", border=4, omitsize=True)


@worker_only
def card_own(request):
    worker = request.user.worker
    card = services.service_card_ensure(worker=worker)
    token = selectors.card_token(card)
    url = request.build_absolute_uri(reverse("web:card", args=[token]))
    context = {
        "card": card_view_data(card, request),
        "service_card": card,
        "url": url,
        "qr_svg": None if card.is_revoked else _qr_svg(url),
    }
    return render(request, "web/safety/card_own.html", context)


@worker_only
@require_POST
def card_photo_upload(request):
    try:
        services.service_card_photo_set(
            worker=request.user.worker, upload=request.FILES.get("photo")
        )
    except DomainError as error:
        return refused(request, error, reverse("web:card-own"))
    messages.success(request, _("照片已更新。"))
    return redirect("web:card-own")


def _managed_worker(request, worker_id: int) -> WorkerProfile:
    worker = WorkerProfile.objects.filter(pk=worker_id).first()
    if worker is None or not agency_selectors.manages_worker(user=request.user, worker=worker):
        raise Http404
    return worker


@login_required
def card_manage(request, worker_id: int):
    """Her agency (or an operator): the card's state, revoke and reissue."""
    worker = _managed_worker(request, worker_id)
    card = services.service_card_ensure(worker=worker)
    context = {"worker": worker, "service_card": card, "card": card_view_data(card, request)}
    return render(request, "web/safety/card_manage.html", context)


@login_required
@require_POST
def card_revoke(request, worker_id: int):
    _managed_worker(request, worker_id)
    back = reverse("web:card-manage", args=[worker_id])
    try:
        services.service_card_revoke(
            worker_id=worker_id, actor=request.user, reason=request.POST.get("reason", "")
        )
    except DomainError as error:
        return refused(request, error, back)
    messages.success(request, _("服务证已吊销，所有旧二维码立即失效。"))
    return redirect(back)


@login_required
@require_POST
def card_reissue(request, worker_id: int):
    _managed_worker(request, worker_id)
    back = reverse("web:card-manage", args=[worker_id])
    try:
        services.service_card_reissue(worker_id=worker_id, actor=request.user)
    except DomainError as error:
        return refused(request, error, back)
    messages.success(request, _("已重新签发服务证，旧二维码失效。"))
    return redirect(back)
