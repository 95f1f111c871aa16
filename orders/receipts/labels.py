"""How a receipt names its methods, movements, shares and invoice states (web, API, PDF)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from orders.models.payments import LedgerAccount, LedgerKind, OfflineMethod, PaymentProvider

METHOD_LABELS = {
    PaymentProvider.STRIPE: _("银行卡（Stripe在线支付）"),
    PaymentProvider.OFFLINE: _("线下支付"),
    **dict(OfflineMethod.choices),
}

MOVEMENT_LABELS = {
    LedgerKind.CAPTURED: _("扣款"),
    LedgerKind.FEE: _("取消费扣款"),
    LedgerKind.OFFLINE_RECEIVED: _("线下收款"),
    LedgerKind.REFUNDED: _("退款"),
}

SHARE_LABELS = {
    LedgerAccount.PLATFORM_COMMISSION: _("平台佣金"),
    LedgerAccount.AGENCY_PAYABLE: _("家政企业所得"),
    LedgerAccount.WORKER_PAYABLE: _("服务员所得"),
}
