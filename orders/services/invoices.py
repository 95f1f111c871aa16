"""Invoices (发票): a household asks for one on a paid order, the order's agency issues it
with its invoice number and date, or rejects it with a reason.

Lock order (orders/locks.py): the order, then the invoice request. A request is created under
the order's lock and the partial unique constraint `invoice_request_one_open_per_order` backs
it; issuing and rejecting are a conditional UPDATE on `status = 'requested'`, so of two
simultaneous answers exactly one wins and the other gets 409 `invalid_transition`.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDeniedError,
    ValidationFailed,
)
from marketplace.models import AgencyStaff, User
from notifications.events import NOTIFICATION, send_event_on_commit
from orders.locks import lock_order
from orders.models import InvoiceKind, InvoiceRequest, InvoiceStatus, Order
from orders.parties import party_of
from orders.payments.amounts import order_received_total
from orders.receipts.selectors import RECEIPT_STATUSES
from orders.statuses import Party

# 统一社会信用代码 (18), older 税号 (15 or 20): uppercase letters and digits only.
TAX_NUMBER = re.compile(r"[0-9A-Z]{15}|[0-9A-Z]{18}|[0-9A-Z]{20}")
# 发票号码: 8 digits (paper), 20 digits (全电发票); some agencies prefix letters.
INVOICE_NUMBER = re.compile(r"[0-9A-Z]{8,20}")


def tax_number_clean(value: str) -> str:
    """The tax number without spaces, upper-cased; raises ValidationFailed `tax_number`."""
    cleaned = re.sub(r"\s+", "", value or "").upper()
    if cleaned and not TAX_NUMBER.fullmatch(cleaned):
        raise ValidationFailed(
            _("纳税人识别号应为15、18或20位大写字母和数字。"),
            field="tax_number",
            code="tax_number_invalid",
        )
    return cleaned


def _request_fields(*, kind: str, title: str, tax_number: str, email: str) -> dict:
    if kind not in InvoiceKind.values:
        raise ValidationFailed(_("请选择发票类型。"), field="kind")
    title = (title or "").strip()
    if not title:
        raise ValidationFailed(_("请填写发票抬头。"), field="title", code="required")
    if len(title) > 100:
        raise ValidationFailed(_("发票抬头不能超过100个字。"), field="title", code="too_long")
    tax_number = tax_number_clean(tax_number)
    if kind == InvoiceKind.COMPANY and not tax_number:
        raise ValidationFailed(
            _("企业发票须填写纳税人识别号。"), field="tax_number", code="required"
        )
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except DjangoValidationError as error:
            raise ValidationFailed(_("邮箱格式不正确。"), field="email") from error
    return {"kind": kind, "title": title, "tax_number": tax_number, "email": email}


def invoice_request_create(
    *, order_id: int, actor: User, kind: str, title: str, tax_number: str = "", email: str = ""
) -> InvoiceRequest:
    """The household asks for an invoice of its paid order (from the order's agency).

    Raises NotFound (not a party), PermissionDeniedError (a party but not the household),
    ValidationFailed (the fields), Conflict `receipt_not_ready` (not paid), `no_agency` (no
    agency issues invoices for it), `invoice_open` (one is already requested or issued).
    Locks the order.
    """
    order = Order.objects.select_related("worker").filter(pk=order_id).first()
    party = party_of(actor, order) if order is not None else None
    if party is None:
        raise NotFound(_("订单不存在。"))
    if party != Party.HOUSEHOLD:
        raise PermissionDeniedError(_("只有雇主可以申请发票。"), code="wrong_party")
    fields = _request_fields(kind=kind, title=title, tax_number=tax_number, email=email)
    if not order.agency_id:
        raise Conflict(_("该订单没有家政企业，无法开具发票。"), code="no_agency")
    with transaction.atomic():
        order = lock_order(order_id, related=("payment",))
        payment = getattr(order, "payment", None)
        if payment is None or payment.status not in RECEIPT_STATUSES:
            raise Conflict(_("订单付款完成后才能申请发票。"), code="receipt_not_ready")
        open_request = InvoiceRequest.objects.filter(
            order=order, status__in=(InvoiceStatus.REQUESTED, InvoiceStatus.ISSUED)
        ).exists()
        if open_request:
            raise Conflict(_("该订单已有发票申请。"), code="invoice_open")
        try:
            with transaction.atomic():
                invoice = InvoiceRequest.objects.create(
                    order=order,
                    agency_id=order.agency_id,
                    requested_by=actor,
                    amount=order_received_total(order.pk),
                    **fields,
                )
        except IntegrityError as error:
            raise Conflict(_("该订单已有发票申请。"), code="invoice_open") from error
        staff = AgencyStaff.objects.filter(agency_id=order.agency_id).values_list(
            "user_id", flat=True
        )
        _notify(invoice, recipients=list(staff), message=_("雇主申请开具发票。"))
    return invoice


def _notify(invoice: InvoiceRequest, *, recipients: list[int], message: str) -> None:
    """An inbox row for each recipient (inside the caller's transaction), pushed after commit."""
    send_event_on_commit(
        event_type=NOTIFICATION,
        recipients=recipients,
        payload={
            "kind": f"invoice.{invoice.status}",
            "order": invoice.order_id,
            "invoice_request": invoice.pk,
            "message": message,
        },
    )


def _invoice_of_agency_staff(*, invoice_request_id: int, actor: User) -> InvoiceRequest:
    invoice = (
        InvoiceRequest.objects.select_related("order__worker").filter(pk=invoice_request_id).first()
    )
    if invoice is None:
        raise NotFound(_("发票申请不存在。"))
    if AgencyStaff.objects.filter(user=actor, agency_id=invoice.agency_id).exists():
        return invoice
    if party_of(actor, invoice.order) is not None:
        raise PermissionDeniedError(_("只有订单所属家政企业可以处理发票申请。"), code="wrong_party")
    raise NotFound(_("发票申请不存在。"))


def _decide(invoice: InvoiceRequest, *, to: str, actor: User, now, **fields) -> InvoiceRequest:
    """Move a requested invoice to `to`: one conditional UPDATE decides a race."""
    try:
        with transaction.atomic():
            moved = InvoiceRequest.objects.filter(
                pk=invoice.pk, status=InvoiceStatus.REQUESTED
            ).update(status=to, decided_by=actor, decided_at=now, **fields)
            invoice.refresh_from_db()
            if moved:
                message = (
                    _("您申请的发票已开具。")
                    if to == InvoiceStatus.ISSUED
                    else _("您的发票申请被驳回。")
                )
                _notify(invoice, recipients=[invoice.requested_by_id], message=message)
    except IntegrityError as error:
        raise ValidationFailed(
            _("该发票号码已经用过。"), field="invoice_number", code="duplicate"
        ) from error
    if not moved:
        raise InvalidTransition(
            entity="invoice_request",
            current=invoice.status,
            target=to,
            detail=_("该发票申请已处理。"),
        )
    return invoice


def invoice_request_issue(
    *,
    invoice_request_id: int,
    actor: User,
    invoice_number: str,
    issued_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> InvoiceRequest:
    """Staff of the order's agency mark the request issued with the invoice's number and date.

    Raises NotFound, PermissionDeniedError, ValidationFailed (`invoice_number`, `issued_on`,
    a number the agency already used), InvalidTransition (already answered).
    """
    now = now or timezone.now()
    invoice = _invoice_of_agency_staff(invoice_request_id=invoice_request_id, actor=actor)
    number = re.sub(r"\s+", "", invoice_number or "").upper()
    if not INVOICE_NUMBER.fullmatch(number):
        raise ValidationFailed(
            _("发票号码应为8到20位字母或数字。"), field="invoice_number", code="invalid"
        )
    today = timezone.localdate(now)
    issued_on = issued_on or today
    if issued_on > today or issued_on < timezone.localdate(invoice.created_at):
        raise ValidationFailed(
            _("开票日期应在申请日期和今天之间。"), field="issued_on", code="out_of_range"
        )
    return _decide(
        invoice,
        to=InvoiceStatus.ISSUED,
        actor=actor,
        now=now,
        invoice_number=number,
        issued_on=issued_on,
    )


def invoice_request_reject(
    *, invoice_request_id: int, actor: User, reason: str, now: dt.datetime | None = None
) -> InvoiceRequest:
    """Staff of the order's agency reject the request, saying why (the household may ask again).

    Raises NotFound, PermissionDeniedError, ValidationFailed `reason`, InvalidTransition.
    """
    invoice = _invoice_of_agency_staff(invoice_request_id=invoice_request_id, actor=actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("请填写驳回原因。"), field="reason", code="required")
    if len(reason) > 300:
        raise ValidationFailed(_("驳回原因不能超过300个字。"), field="reason", code="too_long")
    return _decide(
        invoice,
        to=InvoiceStatus.REJECTED,
        actor=actor,
        now=now or timezone.now(),
        reject_reason=reason,
    )
