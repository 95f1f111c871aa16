"""A household's request for a formal invoice (发票) of a paid order, and the agency's answer.

One open request per order: `requested` until the order's agency issues it (with its invoice
number and date) or rejects it (with a reason). A unique constraint on the open request backs
the locked check in orders.services.invoices; a rejected request leaves room for a new one.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class InvoiceKind(models.TextChoices):
    PERSONAL = "personal", _("个人")
    COMPANY = "company", _("企业")


class InvoiceStatus(models.TextChoices):
    REQUESTED = "requested", _("待开具")
    ISSUED = "issued", _("已开具")
    REJECTED = "rejected", _("已驳回")


# The states a request can leave: issued and rejected are final.
INVOICE_TRANSITIONS = {
    InvoiceStatus.REQUESTED: (InvoiceStatus.ISSUED, InvoiceStatus.REJECTED),
    InvoiceStatus.ISSUED: (),
    InvoiceStatus.REJECTED: (),
}


class InvoiceRequest(models.Model):
    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, related_name="invoice_requests"
    )
    agency = models.ForeignKey(
        "marketplace.Agency", on_delete=models.PROTECT, related_name="invoice_requests"
    )
    requested_by = models.ForeignKey("marketplace.User", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("发票类型"), max_length=20, choices=InvoiceKind.choices)
    title = models.CharField(_("发票抬头"), max_length=100)
    tax_number = models.CharField(_("纳税人识别号"), max_length=20, blank=True)
    email = models.EmailField(_("接收邮箱"), blank=True)
    amount = models.PositiveIntegerField(_("开票金额（分）"))
    status = models.CharField(
        max_length=20, choices=InvoiceStatus.choices, default=InvoiceStatus.REQUESTED
    )
    invoice_number = models.CharField(_("发票号码"), max_length=30, blank=True)
    issued_on = models.DateField(_("开票日期"), null=True, blank=True)
    reject_reason = models.CharField(_("驳回原因"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        "marketplace.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("发票申请")
        verbose_name_plural = _("发票申请")
        constraints = [
            # One open or issued request per order: a second one waits for a rejection.
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(status__in=("requested", "issued")),
                name="invoice_request_one_open_per_order",
            ),
            # An agency's invoice numbers are its own and never repeat.
            models.UniqueConstraint(
                fields=["agency", "invoice_number"],
                condition=Q(status="issued"),
                name="invoice_number_once_per_agency",
            ),
        ]
        indexes = [models.Index(fields=["agency", "status", "created_at"])]

    def __str__(self) -> str:
        return f"invoice request of order #{self.order_id} ({self.status})"
