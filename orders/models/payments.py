"""Payments: one Payment per order, the provider operations it sent, the ledger, webhooks.

Every remote call (Stripe) is first written as a PaymentOperation in state `pending` with its
idempotency key, committed, then sent outside any transaction, then its result recorded. The
ledger (LedgerEntry) is signed double entry: the lines of one movement sum to zero (see
orders/payments/ledger.py for the accounts).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PaymentProvider(models.TextChoices):
    OFFLINE = "offline", _("线下支付")
    STRIPE = "stripe", _("在线支付（Stripe）")


class PaymentStatus(models.TextChoices):
    UNPAID = "unpaid", _("未支付")
    AWAITING_AUTHORIZATION = "awaiting_authorization", _("等待授权")
    AUTHORIZED = "authorized", _("已授权冻结")
    METHOD_SAVED = "method_saved", _("已绑定支付方式")
    PAID = "paid", _("已付款")
    RELEASED = "released", _("已释放")
    REFUNDED = "refunded", _("已退款")
    FAILED = "failed", _("支付失败")


class PaymentMode(models.TextChoices):
    HOLD = "hold", _("授权冻结，完成后扣款")
    SAVED_METHOD = "saved_method", _("保存支付方式，完成后扣款")


class Payment(models.Model):
    """The money state of one order (amounts in fen, currency CNY)."""

    order = models.OneToOneField("orders.Order", on_delete=models.CASCADE, related_name="payment")
    provider = models.CharField(
        max_length=20, choices=PaymentProvider.choices, default=PaymentProvider.OFFLINE
    )
    status = models.CharField(
        max_length=30, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID
    )
    mode = models.CharField(max_length=20, choices=PaymentMode.choices, blank=True)
    currency = models.CharField(max_length=3, default="CNY")
    # Holds currently on the household's card, money captured or charged, money refunded.
    amount_authorized = models.PositiveIntegerField(default=0)
    amount_captured = models.PositiveIntegerField(default=0)
    amount_refunded = models.PositiveIntegerField(default=0)
    authorize_attempt = models.PositiveIntegerField(default=0)
    stripe_customer_id = models.CharField(max_length=100, blank=True)
    stripe_payment_intent_id = models.CharField(max_length=100, blank=True, db_index=True)
    stripe_setup_intent_id = models.CharField(max_length=100, blank=True, db_index=True)
    stripe_payment_method_id = models.CharField(max_length=100, blank=True)
    # The PaymentIntent that holds captured money (the hold's, or the off-session charge's).
    stripe_charge_intent_id = models.CharField(max_length=100, blank=True, db_index=True)
    stripe_charge_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("支付")
        verbose_name_plural = _("支付")

    def __str__(self) -> str:
        return f"payment of order #{self.order_id} ({self.provider}, {self.status})"


class OperationKind(models.TextChoices):
    AUTHORIZE = "authorize", _("授权")
    SETUP = "setup", _("保存支付方式")
    CAPTURE = "capture", _("扣款")
    CANCEL = "cancel", _("释放授权")
    CHARGE = "charge", _("离线扣款")
    REFUND = "refund", _("退款")
    TRANSFER = "transfer", _("分账转账")
    OFFLINE = "offline", _("线下收款")


class OperationStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    SUCCEEDED = "succeeded", _("成功")
    FAILED = "failed", _("失败")


class OfflineMethod(models.TextChoices):
    CASH = "cash", _("现金")
    BANK_TRANSFER = "bank_transfer", _("银行转账")
    OTHER = "other", _("其他")


class PaymentOperation(models.Model):
    """One money operation: written `pending` before any remote call, then recorded."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="operations")
    kind = models.CharField(max_length=20, choices=OperationKind.choices)
    status = models.CharField(
        max_length=20, choices=OperationStatus.choices, default=OperationStatus.PENDING
    )
    amount = models.PositiveIntegerField(default=0)
    idempotency_key = models.CharField(max_length=150, unique=True)
    # transfer: who receives it; offline: how it was paid and the agency's reference.
    payout_account = models.ForeignKey(
        "orders.PayoutAccount", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payee = models.CharField(max_length=20, blank=True)
    method = models.CharField(max_length=20, choices=OfflineMethod.choices, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        "marketplace.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    stripe_object_id = models.CharField(max_length=100, blank=True)
    error = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("支付操作")
        verbose_name_plural = _("支付操作")
        indexes = [models.Index(fields=["status", "last_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} ({self.status}) [{self.idempotency_key}]"


class PayoutAccount(models.Model):
    """A Stripe Connect account that receives payouts for an agency or a worker."""

    agency = models.OneToOneField(
        "marketplace.Agency",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="payout_account",
    )
    worker = models.OneToOneField(
        "marketplace.WorkerProfile",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="payout_account",
    )
    stripe_account_id = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("收款账户")
        verbose_name_plural = _("收款账户")
        constraints = [
            models.CheckConstraint(
                condition=(Q(agency__isnull=False, worker__isnull=True))
                | (Q(agency__isnull=True, worker__isnull=False)),
                name="payout_account_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.stripe_account_id


class LedgerAccount(models.TextChoices):
    CARD_HOLD = "card_hold", _("银行卡授权冻结")
    CARD_HOLD_OFFSET = "card_hold_offset", _("授权冻结对方科目")
    STRIPE_BALANCE = "stripe_balance", _("平台Stripe余额")
    PLATFORM_COMMISSION = "platform_commission", _("平台佣金")
    AGENCY_PAYABLE = "agency_payable", _("应付企业")
    WORKER_PAYABLE = "worker_payable", _("应付服务员")


class LedgerKind(models.TextChoices):
    AUTHORISED = "authorised", _("授权")
    RELEASED = "released", _("释放授权")
    CAPTURED = "captured", _("扣款")
    FEE = "fee", _("取消费")
    REFUNDED = "refunded", _("退款")
    OFFLINE_RECEIVED = "offline_received", _("线下收款")
    COMMISSION = "commission", _("佣金")
    EARNINGS = "earnings", _("收入")
    PAYOUT = "payout", _("结算转账")


class LedgerEntry(models.Model):
    """One signed line (debit +, credit −) of a money movement; a movement sums to zero."""

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="ledger")
    movement = models.CharField(max_length=150, db_index=True)
    account = models.CharField(max_length=30, choices=LedgerAccount.choices)
    kind = models.CharField(max_length=20, choices=LedgerKind.choices)
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3, default="CNY")
    operation = models.ForeignKey(
        PaymentOperation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("账目")
        verbose_name_plural = _("账目")
        constraints = [
            # A movement is posted once: reposting the same line is refused by the database.
            models.UniqueConstraint(
                fields=["movement", "account", "kind"], name="ledger_line_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.movement} {self.account} {self.amount:+d}"


class WebhookEvent(models.Model):
    """A provider event, stored once per event id (the unique constraint de-duplicates)."""

    provider = models.CharField(max_length=20, default=PaymentProvider.STRIPE)
    event_id = models.CharField(max_length=100)
    event_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=100, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("支付回调")
        verbose_name_plural = _("支付回调")
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"
