from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from orders.statuses import Party


class Review(models.Model):
    """A rating of the other side; hidden until both sides reviewed or the window closed."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="reviews")
    author = models.ForeignKey("marketplace.User", on_delete=models.PROTECT, related_name="+")
    author_party = models.CharField(max_length=20, choices=Party.choices)
    rating = models.PositiveSmallIntegerField(
        _("评分"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("评价"), blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)

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
