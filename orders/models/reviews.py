from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from orders.statuses import Party

MAX_REPLY_LENGTH = 500
MAX_REPORT_NOTE_LENGTH = 500
MAX_HIDDEN_REASON_LENGTH = 200


class Review(models.Model):
    """A rating of the other side; hidden until both sides reviewed or the window closed.

    The reviewed side may answer once (`reply`); an operator may hide a published review
    (`hidden_at`, with the reason its author sees), after which it counts nowhere.
    """

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="reviews")
    author = models.ForeignKey("marketplace.User", on_delete=models.PROTECT, related_name="+")
    author_party = models.CharField(max_length=20, choices=Party.choices)
    rating = models.PositiveSmallIntegerField(
        _("评分"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("评价"), blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    tags = models.ManyToManyField(
        "marketplace.ReviewTag", blank=True, related_name="reviews", verbose_name=_("标签")
    )
    reply = models.TextField(_("回复"), blank=True, max_length=MAX_REPLY_LENGTH)
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("隐藏时间"), null=True, blank=True)
    hidden_reason = models.CharField(_("隐藏原因"), max_length=MAX_HIDDEN_REASON_LENGTH, blank=True)
    hidden_by = models.ForeignKey(
        "marketplace.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        constraints = [
            models.UniqueConstraint(fields=["order", "author_party"], name="one_review_per_side"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="review_rating_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_party} rated order #{self.order_id}: {self.rating}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class ReviewReport(models.Model):
    """A party's report of a review to the operator, who hides the review or dismisses this."""

    class Reason(models.TextChoices):
        ABUSE = "abuse", _("辱骂或人身攻击")
        PERSONAL_DATA = "personal_data", _("泄露个人信息")
        NOT_ABOUT_SERVICE = "not_about_service", _("与服务无关")

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        UPHELD = "upheld", _("评价已隐藏")
        DISMISSED = "dismissed", _("已驳回")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey("marketplace.User", on_delete=models.PROTECT, related_name="+")
    reporter_party = models.CharField(max_length=20, choices=Party.choices)
    reason = models.CharField(_("举报原因"), max_length=30, choices=Reason.choices)
    note = models.TextField(_("补充说明"), blank=True, max_length=MAX_REPORT_NOTE_LENGTH)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        "marketplace.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution_note = models.CharField(
        _("处理说明"), max_length=MAX_HIDDEN_REASON_LENGTH, blank=True
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("评价举报")
        verbose_name_plural = _("评价举报")
        constraints = [
            models.UniqueConstraint(fields=["review", "reporter"], name="one_report_per_user"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="review_report_queue")]

    def __str__(self) -> str:
        return f"report of review #{self.review_id}: {self.reason} ({self.status})"
