"""Trust and safety pages (issue 8): the public service card and the worker's own card with its
QR, start codes and SOS on the order page, blocking a household, reliability with appeals,
safety alerts and appeal decisions for agencies, and the career record (page, PDF, share)."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.exceptions import DomainError
from marketplace.apis.safety import card_photo_response, card_view_data, reliability_report
from marketplace.models import Role, WorkerProfile
from marketplace.selectors import safety as selectors
from marketplace.services import safety as services
from notifications.models import Notification
from orders import privacy
from orders import selectors as order_selectors
from orders.services import blocks, career, start_codes
from orders.services import sos as order_sos
from orders.services.sos import SAFETY_OVERDUE, SAFETY_SOS
from orders.statuses import OrderStatus, Party
from web.views.common import refused, role_required

worker_only = role_required(Role.WORKER)

BLOCKABLE_STATUSES = (
    OrderStatus.AWAITING_CONFIRMATION,
    OrderStatus.COMPLETED,
    OrderStatus.CANCELLED,
    OrderStatus.DISPUTED,
    OrderStatus.REPLACED,
)


def _order_back(order_id: int) -> str:
    return reverse("web:order", kwargs={"order_id": order_id})


def _is_staff_or_operator(user) -> bool:
    return user.is_authenticated and (user.role == Role.AGENCY_STAFF or user.is_operator)


# --- the order page's safety panel ----------------------------------------------------------


def order_safety_context(request, order, party: str | None) -> dict:
    """What the order page shows for safety: the household's start code, the worker's code
    input, SOS and block buttons. Called by web.views.orders._panel_context."""
    context = {
        "address_visible": privacy.address_visible_to(order=order, party=party),
        "start_code": None,
        "can_sos": False,
        "can_block": False,
        "is_blocked": False,
    }
    if party == Party.HOUSEHOLD and order.status in start_codes.CODE_STATUSES:
        context["start_code"] = start_codes.start_code_current(order_id=order.pk, user=request.user)
    if party == Party.WORKER:
        context["can_sos"] = order.status in order_sos.SOS_STATUSES
        context["is_blocked"] = selectors.is_blocked(
            worker_id=order.worker_id, household_id=order.household_id
        )
        context["can_block"] = order.status in BLOCKABLE_STATUSES and not context["is_blocked"]
    return context


@login_required
@require_POST
def start_code_regenerate(request, order_id: int):
    try:
        start_codes.start_code_regenerate(order_id=order_id, user=request.user)
    except DomainError as error:
        return refused(request, error, _order_back(order_id))
    messages.success(request, _("已生成新的开工码，旧码作废。"))
    return redirect(_order_back(order_id))


def _position(request) -> dict:
    values = {}
    for name in ("latitude", "longitude", "accuracy_m"):
        raw = (request.POST.get(name) or "").strip()
        try:
            values[name] = float(raw) if raw else None
        except ValueError:
            values[name] = None
    if values["latitude"] is not None and not -90 <= values["latitude"] <= 90:
        values["latitude"] = values["longitude"] = None
    if values["longitude"] is not None and not -180 <= values["longitude"] <= 180:
        values["latitude"] = values["longitude"] = None
    return values


def check_in_arguments(request) -> dict:
    """The check-in form's start code and (when the phone gave it) position."""
    position = _position(request)
    return {
        "start_code": (request.POST.get("start_code") or "").strip(),
        "latitude": position["latitude"],
        "longitude": position["longitude"],
    }


@login_required
@require_POST
def sos(request, order_id: int):
    try:
        order_sos.safety_sos_raise(order_id=order_id, actor=request.user, **_position(request))
    except DomainError as error:
        return refused(request, error, _order_back(order_id))
    messages.success(request, _("求助已发出，家政企业会马上联系您。如有危险请立即拨打110。"))
    return redirect(_order_back(order_id))


@login_required
@require_POST
def block_household(request, order_id: int):
    try:
        blocks.worker_block_household(
            order_id=order_id, actor=request.user, reason=request.POST.get("reason", "")[:200]
        )
    except DomainError as error:
        return refused(request, error, _order_back(order_id))
    messages.success(request, _("已屏蔽该雇主，今后不会再派给您她的订单。"))
    return redirect(_order_back(order_id))


# --- service card ---------------------------------------------------------------------------


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
    return segno.make(url, error="m").svg_inline(scale=8, dark="#1f1f24", border=2)


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
    if worker is None or not selectors.manages_worker(user=request.user, worker=worker):
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


# --- reliability and appeals ----------------------------------------------------------------


@worker_only
def reliability(request):
    worker = WorkerProfile.objects.get(pk=request.user.worker.pk)
    report = reliability_report(worker)
    return render(request, "web/safety/reliability.html", {"report": report, "worker": worker})


@worker_only
@require_POST
def appeal_create(request):
    worker = request.user.worker
    try:
        order_id = int(request.POST.get("order", ""))
    except ValueError:
        raise Http404 from None
    try:
        services.appeal_create(
            worker=worker,
            order_id=order_id,
            incident=request.POST.get("incident", ""),
            reason=request.POST.get("reason", ""),
            incidents=order_selectors.worker_incidents(worker_id=worker.pk),
        )
    except DomainError as error:
        return refused(request, error, reverse("web:reliability"))
    messages.success(request, _("申诉已提交，家政企业处理后会通知您。"))
    return redirect("web:reliability")


@login_required
def appeals(request):
    if not _is_staff_or_operator(request.user):
        raise Http404
    items = list(selectors.appeals_to_decide(user=request.user)[:100])
    return render(request, "web/safety/appeals.html", {"appeals": items})


@login_required
@require_POST
def appeal_decide(request, appeal_id: int):
    if not _is_staff_or_operator(request.user):
        raise Http404
    try:
        services.appeal_decide(
            appeal_id=appeal_id,
            actor=request.user,
            upheld=request.POST.get("decision") == "upheld",
            note=request.POST.get("note", ""),
        )
    except DomainError as error:
        return refused(request, error, reverse("web:appeals"))
    messages.success(request, _("已记录处理结果。"))
    return redirect("web:appeals")


@login_required
def alerts(request):
    """Safety alerts in this staff member's (or operator's) inbox, newest first."""
    if not _is_staff_or_operator(request.user):
        raise Http404
    items = list(
        Notification.objects.filter(
            user=request.user, type__in=[SAFETY_SOS, SAFETY_OVERDUE]
        ).order_by("-id")[:100]
    )
    return render(request, "web/safety/alerts.html", {"alerts": items})


# --- career record --------------------------------------------------------------------------


def _pdf_response(record, filename: str) -> HttpResponse:
    response = HttpResponse(career.career_pdf(record), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@worker_only
def career_own(request):
    record = career.career_record(worker=request.user.worker)
    share = None
    if request.method == "POST":
        token, expires_at = career.career_share_token(worker=request.user.worker)
        share = {
            "url": request.build_absolute_uri(reverse("web:career-shared", args=[token])),
            "expires_at": expires_at,
        }
    context = {"record": record, "data": career.career_as_dict(record), "share": share}
    return render(request, "web/safety/career.html", context)


@worker_only
def career_own_pdf(request):
    return _pdf_response(career.career_record(worker=request.user.worker), "career.pdf")


def _shared_worker(request, token: str):
    if not _is_staff_or_operator(request.user):
        raise Http404
    worker, problem = career.career_worker_from_token(token)
    return worker, problem


@login_required
def career_shared(request, token: str):
    worker, problem = _shared_worker(request, token)
    if worker is None:
        status = 410 if problem == "expired" else 404
        return render(
            request, "web/safety/career_invalid.html", {"problem": problem}, status=status
        )
    record = career.career_record(worker=worker)
    context = {"record": record, "data": career.career_as_dict(record), "shared_token": token}
    return render(request, "web/safety/career.html", context)


@login_required
def career_shared_pdf(request, token: str):
    worker, _problem = _shared_worker(request, token)
    if worker is None:
        raise Http404
    return _pdf_response(career.career_record(worker=worker), "career.pdf")
