"""A receipt as an A4 PDF, drawn through backend.pdf (every string escaped, the Chinese font
embedded and subset, nothing fetched)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from backend import pdf
from backend.money import yuan
from orders.models import InvoiceStatus
from orders.receipts.labels import METHOD_LABELS, MOVEMENT_LABELS, SHARE_LABELS
from orders.receipts.selectors import Receipt


def _moment(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


def _head(receipt: Receipt) -> list:
    order = receipt.order
    parties = receipt.parties
    return [
        pdf.para(_("家政美家 收据"), "title"),
        pdf.para(_("收据编号") + "：" + receipt.number),
        pdf.para(_("订单") + f"：#{order.pk} {order.request.category.name}"),
        pdf.para(_("服务时间") + "：" + _moment(order.starts_at) + " — " + _moment(order.ends_at)),
        pdf.para(_("付款日期") + "：" + _moment(receipt.issued_at)),
        pdf.para(_("支付方式") + "：" + str(METHOD_LABELS.get(receipt.provider, receipt.provider))),
        pdf.para(_("雇主") + "：" + parties["household"]),
        pdf.para(_("服务员") + "：" + parties["worker"]),
        pdf.para(_("家政企业") + "：" + (parties["agency"] or _("无（个人服务员）"))),
    ]


def _tables(receipt: Receipt) -> list:
    charges = [[_("项目"), _("金额")]] + [
        [line.label, yuan(line.amount)] for line in receipt.charges
    ]
    charges.append([_("应付合计"), yuan(receipt.amount_due)])
    movements = [[_("日期"), _("类型"), _("方式"), _("金额")]] + [
        [
            _moment(m.at),
            str(MOVEMENT_LABELS.get(m.kind, m.kind)),
            str(METHOD_LABELS.get(m.method, m.method)) + (f" {m.reference}" if m.reference else ""),
            yuan(m.amount),
        ]
        for m in receipt.movements
    ]
    totals = [
        [_("合计"), _("金额")],
        [_("已付"), yuan(receipt.amount_paid)],
        [_("已退款"), yuan(receipt.amount_refunded)],
        [_("实收"), yuan(receipt.amount_net)],
    ]
    story = [
        pdf.para(_("费用明细"), "heading"),
        pdf.table(charges),
        pdf.para(_("收款与退款"), "heading"),
        pdf.table(movements, empty=_("暂无")),
        pdf.para(_("合计"), "heading"),
        pdf.table(totals),
    ]
    if receipt.shares:
        rows = [[_("分账"), _("金额")]] + [
            [str(SHARE_LABELS[account]), yuan(amount)] for account, amount in receipt.shares.items()
        ]
        story += [pdf.para(_("分账明细"), "heading"), pdf.table(rows)]
    return story


def receipt_pdf(receipt: Receipt, *, compress: bool = True) -> bytes:
    """The receipt as PDF bytes; `compress=False` leaves the text readable (tests)."""
    story = _head(receipt) + _tables(receipt)
    invoice = receipt.invoice
    if invoice is not None and invoice.status == InvoiceStatus.ISSUED:
        story.append(
            pdf.para(
                _("已开具发票") + f"：{invoice.invoice_number}（{invoice.issued_on:%Y-%m-%d}）"
            )
        )
    story += [
        pdf.spacer(6),
        pdf.para(_("本收据由家政美家平台根据付款记录生成，不是税务发票；不含手机号和住址。")),
    ]
    return pdf.render_pdf(story, title=_("收据") + " " + receipt.number, compress=compress)
