"""Reads the web pages need beyond the apps' own selectors (all scoped to the signed-in user)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chat.models import ChatMessage
from marketplace.models import Category, WorkerProfile
from marketplace.selectors import eligibility as rules
from marketplace.selectors.eligibility import worker_eligibility
from orders.models import Occurrence, Offer, Review, ServiceRequest
from orders.selectors import match_cards_prefetch
from orders.services.offers import request_matches
from orders.statuses import ACTIVE_ORDER_STATUSES, OccurrenceStatus
from orders.visits import request_slots

MATCHES_SHOWN = 20
CHAT_MESSAGES_SHOWN = 100

# What a worker reads when she is not matchable (eligibility reason code → friendly text).
REASON_TEXT = {
    rules.INACTIVE: _("账号已停用，请联系平台。"),
    rules.NOT_VERIFIED: _("还未完成实名认证：请到家政企业或妇联核验身份证。"),
    rules.NOT_ACCEPTING_OFFERS: _("您已暂停接单：在“编辑资料”里打开“接单中”。"),
    rules.TRADE_NOT_HELD: _("资料里还没有选择这个工种。"),
    rules.NO_CERTIFICATE: _("缺少该工种的资格证书。"),
    rules.CERTIFICATE_UNVERIFIED: _("资格证书还在等待核验。"),
    rules.CERTIFICATE_REVOKED: _("资格证书已被吊销。"),
    rules.CERTIFICATE_NOT_YET_VALID: _("资格证书尚未生效。"),
    rules.CERTIFICATE_EXPIRED: _("资格证书已过期，请重新取证。"),
    rules.NO_PRE_JOB_TRAINING: _("还没有完成岗前培训。"),
    rules.NO_HEALTH_CHECK: _("还没有有效的健康体检记录。"),
    rules.HEALTH_CHECK_EXPIRED: _("健康体检已过期，请重新体检。"),
    rules.BUSY: _("该时间段已有订单。"),
    rules.OUTSIDE_AVAILABILITY: _("不在您设置的可服务时间内。"),
    rules.ON_LEAVE: _("这段时间您请假了。"),
}


def reason_texts(reasons) -> list[str]:
    return [str(REASON_TEXT.get(reason, reason)) for reason in reasons]


def request_match_cards(*, service_request: ServiceRequest, limit: int = MATCHES_SHOWN) -> list:
    """Ranked matches with each worker's valid certificates, health check and offer status.

    Each candidate's worker gets `valid_certificates`, `valid_health_checks` and
    `offer_status` (None when she has no offer for this request yet).
    """
    candidates = list(request_matches(service_request=service_request, limit=limit))
    if not candidates:
        return []
    workers = [candidate.worker for candidate in candidates]
    offer_status = match_cards_prefetch(
        service_request=service_request, workers=workers, slots=request_slots(service_request)
    )
    for worker in workers:
        worker.offer_status = offer_status.get(worker.pk)
    return candidates


def request_offers(*, service_request: ServiceRequest) -> QuerySet[Offer]:
    return Offer.objects.filter(request=service_request).select_related("worker")


def worker_schedule(*, worker: WorkerProfile, now: dt.datetime | None = None):
    """Her upcoming (and current) visits of live orders, soonest first."""
    now = now or timezone.now()
    return (
        Occurrence.objects.filter(
            worker=worker,
            status=OccurrenceStatus.SCHEDULED,
            ends_at__gte=now,
            order__status__in=ACTIVE_ORDER_STATUSES,
        )
        .select_related("order", "request__category", "request__division")
        .order_by("starts_at", "pk")
    )


@dataclass(frozen=True)
class TradeStanding:
    category: Category
    is_held: bool
    is_eligible: bool
    reasons: list[str]


def worker_standing(*, worker: WorkerProfile) -> tuple[list[str], list[TradeStanding]]:
    """What keeps her from being matchable today: general reasons, and per trade she holds."""
    general = worker_eligibility(worker=worker, category=None)
    held = set(worker.categories.values_list("pk", flat=True))
    trades = []
    for category in Category.objects.filter(pk__in=held).order_by("sort_order", "code"):
        standing = worker_eligibility(worker=worker, category=category)
        specific = [r for r in standing.reasons if r not in general.reasons]
        trades.append(
            TradeStanding(
                category=category,
                is_held=True,
                is_eligible=standing.is_eligible,
                reasons=reason_texts(specific),
            )
        )
    return reason_texts(general.reasons), trades


def worker_credentials(*, worker: WorkerProfile) -> dict:
    return {
        "certificates": list(
            worker.certificates.select_related("category").order_by("-issued_on", "-pk")
        ),
        "trainings": list(worker.training_records.order_by("-completed_on", "-pk")),
        "health_checks": list(worker.health_checks.order_by("-done_on", "-pk")),
    }


def chat_recent(*, order_id: int, limit: int = CHAT_MESSAGES_SHOWN) -> list[ChatMessage]:
    """The last `limit` messages of an order's chat, oldest first (callers checked the party)."""
    newest = list(
        ChatMessage.objects.filter(order_id=order_id)
        .select_related("sender")
        .order_by("-id")[:limit]
    )
    return newest[::-1]


def own_review(*, order_id: int, user) -> Review | None:
    return Review.objects.filter(order_id=order_id, author=user).first()
