"""A user's request to delete her account: asked (password re-entered), cooled off, carried out.

`pending` → `cancelled` (she changed her mind during the cooling-off period) | `completed`
(the periodic job erased and anonymised her data) | `refused` (at the due time an order was
still in progress or money still owed; the reason is kept and she may ask again later).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DeletionStatus(models.TextChoices):
    PENDING = "pending", _("冷静期中")
    CANCELLED = "cancelled", _("已撤销")
    COMPLETED = "completed", _("已注销")
    REFUSED = "refused", _("未能注销")


class DeletionRequest(models.Model):
    # The user row stays (anonymised): contracts, payments and reviews still point at it.
    user = models.ForeignKey(
        "marketplace.User", on_delete=models.PROTECT, related_name="deletion_requests"
    )
    role = models.CharField(_("角色"), max_length=20)
    status = models.CharField(
        _("状态"), max_length=20, choices=DeletionStatus.choices, default=DeletionStatus.PENDING
    )
    requested_at = models.DateTimeField(_("申请时间"))
    erase_after = models.DateTimeField(_("冷静期结束"))
    cancelled_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("注销完成时间"), null=True, blank=True)
    refused_reason = models.CharField(_("未能注销的原因"), max_length=200, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("注销申请")
        verbose_name_plural = _("注销申请")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="pending"),
                name="one_pending_deletion_per_user",
            )
        ]
        indexes = [models.Index(fields=["status", "erase_after"], name="deletion_due")]

    def __str__(self) -> str:
        return f"deletion of user #{self.user_id} ({self.status})"
