"""The agency's contracts awaiting its signature (one tap each) and its standing authorisation
to countersign (电子签章授权): give it, read who gave it and when, revoke it."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.exceptions import DomainError
from orders import selectors as order_selectors
from orders.services.contracts import contract_sign
from orders.services.countersign import AUTHORISATION_STATEMENT, authorisation_in_force
from orders.services.countersign_authorisations import countersign_authorise, countersign_revoke
from web.views.agency.console import Console, console_page, console_refused, console_view


@console_view
def countersign(request, console: Console):
    context = {
        "authorisation": authorisation_in_force(agency_id=console.agency.pk),
        "history": order_selectors.countersign_authorisations_of_agency(agency=console.agency)[:20],
        "statement": AUTHORISATION_STATEMENT,
        "awaiting": list(
            order_selectors.contracts_awaiting_agency(agency_id=console.agency.pk)[:100]
        ),
    }
    return console_page(request, console, "countersign.html", context)


@console_view
@require_POST
def countersign_grant(request, console: Console):
    if request.POST.get("agree") != "1":
        messages.error(request, _("请先勾选同意授权内容。"))
        return redirect(console.url("countersign/"))
    try:
        countersign_authorise(agency=console.agency, actor=request.user)
    except DomainError as error:
        return console_refused(request, error, console.url("countersign/"))
    messages.success(request, _("已授权：雇主和服务员签署后，系统将以贵司名义自动签署标准合同。"))
    return redirect(console.url("countersign/"))


@console_view
@require_POST
def countersign_withdraw(request, console: Console):
    try:
        countersign_revoke(agency=console.agency, actor=request.user)
    except DomainError as error:
        return console_refused(request, error, console.url("countersign/"))
    messages.success(request, _("授权已撤销，此后的合同需由员工逐份签署。"))
    return redirect(console.url("countersign/"))


@console_view
@require_POST
def contract_countersign(request, console: Console, order_id: int):
    """One tap: sign, as the agency, the version the list showed (its hash is posted)."""
    if not order_selectors.orders_of_agency(agency=console.agency).filter(pk=order_id).exists():
        raise Http404
    back = request.POST.get("next") or console.base
    if back not in (console.base, console.url("countersign/")):
        back = console.base
    try:
        contract_sign(
            order_id=order_id,
            user=request.user,
            ip_address=request.META.get("REMOTE_ADDR"),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            text_sha256=request.POST.get("text_sha256") or "",
        )
    except DomainError as error:
        return console_refused(request, error, back)
    messages.success(request, _("已签署订单 #%(order)s 的合同。") % {"order": order_id})
    return redirect(back)
