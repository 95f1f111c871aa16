"""Contracts: drafted from an order's terms, signed by every party, amended only as a new version.

Rules (PRODUCT.md §3):
- The text is rendered from the version's terms (orders.services.contract_terms): same terms
  → identical bytes; `text_sha256` is the SHA-256 of the UTF-8 canonical text.
- No service ever changes the `text`, `terms` or `text_sha256` of an existing version.
- Amendment (household or agency, before the service starts): version n+1 is drafted from the
  current terms plus the changes and awaits every party's signature again; signatures of
  version n do not count for it. An unsigned current version becomes `superseded` at once.
  A *signed* current version stays `signed` (and the order stays `confirmed` on its terms)
  until version n+1 is fully signed; then the older signed version becomes `superseded` and
  the new price/times are applied to the order. The order never moves back to
  `pending_contract` (ORDER_TRANSITIONS has no such edge).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.exceptions import Conflict, NotFound, PermissionDeniedError, ValidationFailed
from backend.fact_changes import order_facts_changed
from marketplace.models import User
from notifications.events import NOTIFICATION, send_event_on_commit
from orders.locks import lock_current_contract, lock_order
from orders.models import Contract, ContractSignature, Occurrence, Order
from orders.parties import order_party_user_ids, party_of
from orders.selectors import is_worker_busy
from orders.services import countersign
from orders.services.contract_terms import (
    contract_render,
    contract_terms,
    required_parties_of,
    text_digest,
)
from orders.services.orders import order_transition
from orders.statuses import (
    ContractStatus,
    OccurrenceStatus,
    OrderStatus,
    Party,
    RequestKind,
)

AMENDABLE_FIELDS = ("price", "starts_at", "ends_at", "notes")
AMENDABLE_ORDER_STATUSES = (OrderStatus.PENDING_CONTRACT, OrderStatus.CONFIRMED)
SIGNABLE_ORDER_STATUSES = (OrderStatus.PENDING_CONTRACT, OrderStatus.CONFIRMED)
MAX_NOTES_LENGTH = 500

PARTY_LABELS = {
    Party.HOUSEHOLD: gettext_lazy("甲方（雇主）"),
    Party.WORKER: gettext_lazy("乙方（服务员）"),
    Party.AGENCY: gettext_lazy("丙方（家政企业）"),
}


def _contract_create(*, order: Order, terms: dict) -> Contract:
    text = contract_render(terms=terms)
    return Contract.objects.create(
        order=order,
        version=terms["version"],
        text=text,
        text_sha256=text_digest(text),
        terms=terms,
        required_parties=required_parties_of(order),
        status=ContractStatus.AWAITING_SIGNATURES,
    )


def _next_version(order: Order) -> int:
    latest = Contract.objects.filter(order=order).order_by("-version").first()
    return latest.version + 1 if latest else 1


def contract_draft(*, order: Order) -> Contract:
    """Draft the next contract version from the order as it stands (v1 at offer acceptance).

    Call inside the caller's transaction. Earlier unsigned versions become superseded.
    """
    version = _next_version(order)
    Contract.objects.filter(order=order, status=ContractStatus.AWAITING_SIGNATURES).update(
        status=ContractStatus.SUPERSEDED
    )
    return _contract_create(order=order, terms=contract_terms(order=order, version=version))


# --- reading ---------------------------------------------------------------------------------


def _party_order(*, order_id: int, user: User, lock: bool = False) -> tuple[Order, str]:
    """The order and the user's party on it; NotFound for a non-party (hides existence)."""
    related = ("worker", "request__category", "request__division", "household", "agency")
    if lock:
        order = lock_order(order_id, related=related)
    else:
        order = Order.objects.select_related(*related).filter(pk=order_id).first()
    party = party_of(user, order) if order is not None else None
    if party is None:
        raise NotFound(_("订单不存在。"))
    return order, party


def contract_current(*, order: Order, version: int | None = None) -> Contract:
    """The latest version (or the given one) of the order's contract; NotFound if none."""
    queryset = Contract.objects.filter(order=order).prefetch_related("signatures__signer")
    if version is not None:
        queryset = queryset.filter(version=version)
    contract = queryset.order_by("-version").first()
    if contract is None:
        raise NotFound(_("合同不存在。"))
    return contract


def contract_for_party(*, order_id: int, user: User, version: int | None = None) -> Contract:
    """The contract a party may read; NotFound for everyone else."""
    order, _party = _party_order(order_id=order_id, user=user)
    return contract_current(order=order, version=version)


# --- signing ---------------------------------------------------------------------------------


def _apply_terms_to_order(*, order: Order, contract: Contract) -> None:
    """Make the order follow a fully signed (possibly amended) version's price and times."""
    terms = contract.terms
    starts_at = dt.datetime.fromisoformat(terms["starts_at_iso"])
    ends_at = dt.datetime.fromisoformat(terms["ends_at_iso"])
    changed = []
    if order.price != terms["price_fen"]:
        order.price = terms["price_fen"]
        changed.append("price")
    if order.starts_at != starts_at or order.ends_at != ends_at:
        if order.request.kind != RequestKind.RECURRING:
            Occurrence.objects.filter(
                order=order,
                status=OccurrenceStatus.SCHEDULED,
                starts_at=order.starts_at,
                ends_at=order.ends_at,
            ).update(
                starts_at=starts_at,
                ends_at=ends_at,
                change_reason=f"合同第{contract.version}版变更"[:200],
            )
        order.starts_at, order.ends_at = starts_at, ends_at
        changed += ["starts_at", "ends_at"]
    if changed:
        order.save(update_fields=[*changed, "updated_at"])


def _check_signable(*, order: Order, party: str, contract: Contract | None, text_sha256) -> None:
    """Refuse a signature the current version cannot take (see contract_sign)."""
    if contract is None:
        raise NotFound(_("合同不存在。"))
    if text_sha256 is not None and text_sha256.strip().lower() != contract.text_sha256:
        raise Conflict(
            _("合同内容已更新，请阅读最新版本后再签署。"),
            code="contract_changed",
            extra={"version": contract.version, "text_sha256": contract.text_sha256},
        )
    if contract.signatures.filter(party=party).exists():
        raise Conflict(_("您已签署过该版本合同。"), code="already_signed")
    if contract.status != ContractStatus.AWAITING_SIGNATURES:
        raise Conflict(_("该合同当前不可签署。"), code="contract_not_awaiting_signatures")
    if party not in contract.required_parties:
        raise PermissionDeniedError(_("您不是该合同的签约方。"))
    if order.status not in SIGNABLE_ORDER_STATUSES:
        raise Conflict(
            _("订单当前状态不能签署合同。"),
            code="order_not_signable",
            extra={"current_status": order.status},
        )


def _signature_create(
    *, order: Order, contract: Contract, party: str, user: User, ip_address, user_agent: str
) -> None:
    """Store the signature (a unique constraint refuses a second one) and tell the others."""
    try:
        with transaction.atomic():
            ContractSignature.objects.create(
                contract=contract,
                party=party,
                signer=user,
                text_sha256=contract.text_sha256,
                ip_address=ip_address or None,
                user_agent=(user_agent or "")[:300],
            )
    except IntegrityError as error:
        raise Conflict(_("您已签署过该版本合同。"), code="already_signed") from error

    signer_name = user.display_name or user.username
    recipients = [uid for uid in order_party_user_ids(order) if uid != user.pk]
    send_event_on_commit(
        event_type=NOTIFICATION,
        recipients=recipients,
        payload={
            "kind": "contract.signed_by",
            "order": order.pk,
            "contract_version": contract.version,
            "party": party,
            "message": _("%(party)s %(name)s 已签署合同（第%(version)s版）。")
            % {"party": PARTY_LABELS[party], "name": signer_name, "version": contract.version},
        },
    )


def _contract_take_effect(*, order: Order, contract: Contract, user: User) -> Order:
    """Every party signed: the version is signed, older signed ones superseded, the order
    follows its terms (and is confirmed when it awaited the contract)."""
    now = timezone.now()
    contract.status = ContractStatus.SIGNED
    contract.signed_at = now
    contract.save(update_fields=["status", "signed_at"])
    Contract.objects.filter(order=order, status=ContractStatus.SIGNED).exclude(
        pk=contract.pk
    ).update(status=ContractStatus.SUPERSEDED)
    _apply_terms_to_order(order=order, contract=contract)
    if order.status == OrderStatus.PENDING_CONTRACT:
        order = order_transition(
            order_id=order.pk,
            to_status=OrderStatus.CONFIRMED,
            actor=user,
            reason=_("各方已签署合同"),
            data={"contract_version": contract.version},
        )
    order_facts_changed(order_id=contract.order_id)
    send_event_on_commit(
        event_type=NOTIFICATION,
        recipients=order_party_user_ids(order),
        payload={
            "kind": "contract.signed",
            "order": order.pk,
            "contract_version": contract.version,
            "message": _("合同（第%(version)s版）已由各方签署生效。")
            % {"version": contract.version},
        },
    )
    return order


def contract_sign(
    *,
    order_id: int,
    user: User,
    ip_address: str | None,
    user_agent: str,
    text_sha256: str | None,
) -> Contract:
    """Sign the current version as the user's party; confirm the order when all have signed.

    Locks the order row, then the contract row. Raises NotFound (not a party / no contract),
    Conflict "contract_changed" (the hash the client saw is not the current text),
    "already_signed", "contract_not_awaiting_signatures", InvalidTransition from the order.
    """
    with transaction.atomic():
        order, party = _party_order(order_id=order_id, user=user, lock=True)
        contract = lock_current_contract(order)
        _check_signable(order=order, party=party, contract=contract, text_sha256=text_sha256)
        _signature_create(
            order=order,
            contract=contract,
            party=party,
            user=user,
            ip_address=ip_address,
            user_agent=user_agent,
        )
        _after_signature(order=order, contract=contract, user=user)
    return contract


def _after_signature(*, order: Order, contract: Contract, user: User) -> None:
    """Take effect when every party has signed; when only the agency is missing, its standing
    authorisation signs, or its staff are told (orders.services.countersign)."""
    if not countersign.missing_parties(contract):
        _contract_take_effect(order=order, contract=contract, user=user)
    elif countersign.countersign_by_authorisation(order=order, contract=contract):
        _contract_take_effect(order=order, contract=contract, user=user)
    elif countersign.awaits_only_agency(contract):
        countersign.agency_remind_countersign(order=order, contract=contract)


def contracts_countersign_pending(*, agency_id: int) -> int:
    """Sign, under the agency's authorisation, the versions already waiting only for it (one
    transaction each: order lock, then contract); returns how many took effect."""
    signed = 0
    waiting = countersign.contracts_awaiting_agency(agency_id=agency_id)
    for order_id in list(waiting.values_list("order_id", flat=True)[:500]):
        with transaction.atomic():
            order = lock_order(order_id, related=("worker", "request", "agency"))
            contract = lock_current_contract(order)
            if contract is None or order.status not in SIGNABLE_ORDER_STATUSES:
                continue
            if countersign.countersign_by_authorisation(order=order, contract=contract):
                authorised_by = contract.signatures.get(party=Party.AGENCY).signer
                _contract_take_effect(order=order, contract=contract, user=authorised_by)
                signed += 1
    return signed


# --- amendment -------------------------------------------------------------------------------


def _clean_changes(*, order: Order, changes: dict, base: dict) -> dict:
    unknown = sorted(set(changes) - set(AMENDABLE_FIELDS))
    if unknown:
        raise ValidationFailed(_("不能变更的条款：%s") % ", ".join(unknown), field=unknown[0])
    if not changes:
        raise ValidationFailed(_("请至少变更一项条款。"), field="changes")
    values = dict(base)
    if "price" in changes:
        price = changes["price"]
        if isinstance(price, bool) or not isinstance(price, int) or price <= 0:
            raise ValidationFailed(_("价格须为正整数（分）。"), field="price")
        values["price"] = price
    for name in ("starts_at", "ends_at"):
        if name in changes:
            moment = changes[name]
            if not isinstance(moment, dt.datetime) or timezone.is_naive(moment):
                raise ValidationFailed(_("时间须包含时区。"), field=name)
            if order.request.kind == RequestKind.RECURRING:
                raise ValidationFailed(
                    _("周期服务请逐次调整服务时间。"), field=name, code="use_occurrence_move"
                )
            values[name] = moment
    if "starts_at" in changes and values["starts_at"] <= timezone.now():
        raise ValidationFailed(_("开始时间须晚于当前时间。"), field="starts_at")
    if values["ends_at"] <= values["starts_at"]:
        raise ValidationFailed(_("结束时间须晚于开始时间。"), field="ends_at")
    if "notes" in changes:
        notes = str(changes["notes"] or "")
        if len(notes) > MAX_NOTES_LENGTH:
            raise ValidationFailed(_("补充约定不能超过500字。"), field="notes")
        values["notes"] = notes
    return values


def contract_amend(*, order_id: int, user: User, changes: dict, reason: str) -> Contract:
    """Draft version n+1 with changed price, times or notes; every party signs it again.

    Household or agency only, before the service starts. Locks the order. Raises NotFound,
    PermissionDeniedError (worker), Conflict "service_started", ValidationFailed, Conflict
    "busy" when the worker is not free at the new time.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("请填写变更原因。"), field="reason")
    with transaction.atomic():
        order, party = _party_order(order_id=order_id, user=user, lock=True)
        if party not in (Party.HOUSEHOLD, Party.AGENCY):
            raise PermissionDeniedError(_("只有雇主或家政企业可以变更合同。"))
        if order.status not in AMENDABLE_ORDER_STATUSES or order.starts_at <= timezone.now():
            raise Conflict(
                _("服务已开始或订单已结束，不能变更合同。"),
                code="service_started",
                extra={"current_status": order.status},
            )
        current = lock_current_contract(order)
        if current is None:
            raise NotFound(_("合同不存在。"))
        base = {
            "price": current.terms["price_fen"],
            "starts_at": dt.datetime.fromisoformat(current.terms["starts_at_iso"]),
            "ends_at": dt.datetime.fromisoformat(current.terms["ends_at_iso"]),
            "notes": current.terms.get("notes", ""),
        }
        values = _clean_changes(order=order, changes=changes, base=base)
        if (values["starts_at"], values["ends_at"]) != (base["starts_at"], base["ends_at"]):
            if is_worker_busy(
                worker_id=order.worker_id,
                slots=[(values["starts_at"], values["ends_at"])],
                exclude_order_id=order.pk,
            ):
                raise Conflict(_("服务员在新的时间已有其他服务。"), code="busy")
        if current.status == ContractStatus.AWAITING_SIGNATURES:
            current.status = ContractStatus.SUPERSEDED
            current.save(update_fields=["status"])
        terms = contract_terms(
            order=order,
            version=current.version + 1,
            price=values["price"],
            starts_at=values["starts_at"],
            ends_at=values["ends_at"],
            notes=values["notes"],
            amendment={
                "amends_version": current.version,
                "reason": reason[:300],
                "by_party": party,
            },
        )
        contract = _contract_create(order=order, terms=terms)
        send_event_on_commit(
            event_type=NOTIFICATION,
            recipients=order_party_user_ids(order),
            payload={
                "kind": "contract.amended",
                "order": order.pk,
                "contract_version": contract.version,
                "party": party,
                "message": _("合同已变更为第%(version)s版，请重新阅读并签署。")
                % {"version": contract.version},
            },
        )
    return contract
