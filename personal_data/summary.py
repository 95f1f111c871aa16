"""The readable summary of what the platform holds about her: how many records of each kind,
labelled for people, with the same scope as the archive (personal_data.records)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from chat.models import ChatMessage
from marketplace.models import Certificate, Consent, HealthCheck, TrainingRecord, User
from notifications.models import Notification, PushSubscription
from orders.models import Contract, Payment, Review, ServiceRequest
from personal_data.records import her_orders


@dataclass(frozen=True)
class SummaryLine:
    key: str
    label: str
    count: int


def data_summary(*, user: User) -> list[SummaryLine]:
    """One line per kind of record, with its count (one query per line)."""
    orders = her_orders(user)
    workers = Q(worker__user=user)
    lines = [
        ("requests", _("服务需求"), ServiceRequest.objects.filter(household=user)),
        ("orders", _("订单"), orders),
        ("contracts", _("合同"), Contract.objects.filter(order__in=orders)),
        ("payments", _("付款记录"), Payment.objects.filter(order__in=orders)),
        ("reviews_written", _("我写的评价"), Review.objects.filter(author=user)),
        (
            "reviews_received",
            _("我收到的评价"),
            Review.objects.filter(order__in=orders, published_at__isnull=False).exclude(
                author=user
            ),
        ),
        ("chat_messages", _("我发送的聊天消息"), ChatMessage.objects.filter(sender=user)),
        ("notifications", _("通知"), Notification.objects.filter(user=user)),
        ("certificates", _("资格证书"), Certificate.objects.filter(workers)),
        ("training", _("培训记录"), TrainingRecord.objects.filter(workers)),
        ("health_checks", _("体检记录"), HealthCheck.objects.filter(workers)),
        ("sign_ins", _("登录记录"), OutstandingToken.objects.filter(user=user)),
        ("push_subscriptions", _("推送订阅"), PushSubscription.objects.filter(user=user)),
        ("consents", _("同意记录"), Consent.objects.filter(user=user)),
    ]
    return [
        SummaryLine(key=key, label=str(label), count=queryset.count())
        for key, label, queryset in lines
    ]
