"""The federation's organised health checks: sessions with a place, a day and a capacity,
the women booked on them, and the result an officer enters (a pass writes her HealthCheck)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

DEFAULT_INSTITUTION = "临清市妇幼保健院"


class HealthCheckSessionStatus(models.TextChoices):
    OPEN = "open", _("预约中")
    CLOSED = "closed", _("已结束")
    CANCELLED = "cancelled", _("已取消")


class HealthCheckSession(models.Model):
    """One organised health check. `booked_count` moves with conditional UPDATEs (capacity)."""

    name = models.CharField(_("体检场次"), max_length=100)
    division = models.ForeignKey(
        "marketplace.Division", on_delete=models.PROTECT, related_name="+", verbose_name=_("镇街")
    )
    place = models.CharField(_("体检地点"), max_length=200)
    institution = models.CharField(_("体检机构"), max_length=100, default=DEFAULT_INSTITUTION)
    held_on = models.DateField(_("体检日期"))
    capacity = models.PositiveIntegerField(_("名额"))
    booked_count = models.PositiveIntegerField(_("已预约"), default=0, editable=False)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=HealthCheckSessionStatus.choices,
        default=HealthCheckSessionStatus.OPEN,
    )
    created_by = models.ForeignKey(
        "marketplace.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = _("体检场次")
        verbose_name_plural = _("体检场次")
        constraints = [
            models.CheckConstraint(
                condition=Q(booked_count__lte=F("capacity")), name="health_session_within_capacity"
            ),
        ]
        indexes = [models.Index(fields=["status", "held_on"])]

    def __str__(self) -> str:
        return self.name

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.booked_count)


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("已预约")
    CANCELLED = "cancelled", _("已取消")
    PASSED = "passed", _("体检合格")
    FAILED = "failed", _("体检不合格")
    ABSENT = "absent", _("未到场")


class HealthCheckBooking(models.Model):
    session = models.ForeignKey(
        HealthCheckSession, on_delete=models.CASCADE, related_name="bookings"
    )
    worker = models.ForeignKey(
        "marketplace.WorkerProfile", on_delete=models.CASCADE, related_name="health_bookings"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    booked_at = models.DateTimeField(_("预约时间"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    result_recorded_at = models.DateTimeField(_("结果登记时间"), null=True, blank=True)
    result_recorded_by = models.ForeignKey(
        "marketplace.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # One credential per passed booking: the one-to-one is the database's guarantee.
    health_check = models.OneToOneField(
        "marketplace.HealthCheck",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="booking",
    )

    class Meta:
        ordering = ["session", "id"]
        verbose_name = _("体检预约")
        verbose_name_plural = _("体检预约")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "worker"], name="one_booking_per_health_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker} @ {self.session}"
