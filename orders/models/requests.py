"""A household's service request and the visits (occurrences) it asks for."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orders.statuses import OccurrenceStatus, RequestKind, RequestStatus


class ServiceRequest(models.Model):
    """What a household needs. Times are aware datetimes (UTC in the database).

    One-off: `starts_at`–`ends_at` is the visit. Recurring: `starts_at`–`ends_at` is the first
    visit, repeated on `recurrence_weekdays` (Monday = 0) until `recurrence_until`. Placement:
    `starts_at`–`ends_at` is the whole term, priced per `placement_price_unit`.
    """

    class PlacementMode(models.TextChoices):
        LIVE_IN = "live_in", _("住家")
        DAILY = "daily", _("白班")

    class PriceUnit(models.TextChoices):
        DAY = "day", _("按天")
        MONTH = "month", _("按月")

    household = models.ForeignKey(
        "marketplace.User", on_delete=models.PROTECT, related_name="service_requests"
    )
    category = models.ForeignKey(
        "marketplace.Category",
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("工种"),
    )
    division = models.ForeignKey(
        "marketplace.Division",
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("区划"),
    )
    address = models.CharField(_("服务地址"), max_length=200)
    latitude = models.FloatField(_("纬度"))
    longitude = models.FloatField(_("经度"))
    is_geocoded = models.BooleanField(_("坐标由地址解析"), default=False)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    budget = models.PositiveIntegerField(_("预算（分）"))
    description = models.TextField(_("需求说明"), blank=True)
    max_distance_km = models.FloatField(
        _("最大距离（公里）"), validators=[MinValueValidator(0.5), MaxValueValidator(200)]
    )
    kind = models.CharField(
        _("类型"), max_length=20, choices=RequestKind.choices, default=RequestKind.ONE_OFF
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    recurrence_weekdays = models.JSONField(_("每周服务日"), default=list, blank=True)
    recurrence_until = models.DateField(_("周期截止日期"), null=True, blank=True)
    placement_mode = models.CharField(
        _("驻家方式"), max_length=10, choices=PlacementMode.choices, blank=True
    )
    placement_price_unit = models.CharField(
        _("计价方式"), max_length=10, choices=PriceUnit.choices, blank=True
    )
    placement_unit_price = models.PositiveIntegerField(_("单价（分）"), null=True, blank=True)
    trial_days = models.PositiveSmallIntegerField(_("试用期（天）"), default=0)
    # "再约一次": the worker a household asked for again; her offer goes out first, alone.
    preferred_worker = models.ForeignKey(
        "marketplace.WorkerProfile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("指定服务员"),
    )
    rebooked_from = models.ForeignKey(
        "orders.Order",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rebookings",
        verbose_name=_("再约自订单"),
    )
    # 抢单大厅: a worker who finds the request herself may take it at once (else she applies).
    allows_instant_accept = models.BooleanField(_("允许服务员直接抢单"), default=False)
    offer_wave = models.PositiveSmallIntegerField(_("已发出的邀约轮次"), default=0)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, editable=False)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    matched_at = models.DateTimeField(_("匹配时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("服务需求")
        verbose_name_plural = _("服务需求")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="request_idempotency_key",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="request_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(budget__gt=0), name="request_budget_positive"),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["household", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category} {self.starts_at:%Y-%m-%d}"


class Occurrence(models.Model):
    """One visit of a request: the unit that busy-time checks look at.

    A one-off request and a placement have one occurrence; a recurring request one per visit.
    `worker` and `order` are filled in when an order takes the request, so that a worker's
    busy time is one indexed look-up.
    """

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="occurrences"
    )
    order = models.ForeignKey(
        "orders.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="occurrences"
    )
    worker = models.ForeignKey(
        "marketplace.WorkerProfile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="occurrences",
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    original_starts_at = models.DateTimeField(_("原定开始时间"))
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=OccurrenceStatus.choices,
        default=OccurrenceStatus.SCHEDULED,
    )
    change_reason = models.CharField(_("变更原因"), max_length=200, blank=True)
    # Per-visit attendance: a recurring order is checked in and out visit by visit.
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    # Set when her worker took time off over this booked visit: a substitute is needed.
    worker_time_off = models.ForeignKey(
        "marketplace.TimeOff",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("服务员请假"),
    )

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("服务时段")
        verbose_name_plural = _("服务时段")
        indexes = [
            models.Index(fields=["worker", "status", "starts_at", "ends_at"]),
            models.Index(fields=["request", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"
