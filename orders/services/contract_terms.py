"""The terms of a contract version and its canonical text.

The text is rendered from a per-trade Django template (orders/templates/orders/contracts/) out
of a `terms` dict made only of strings and integers, with the language pinned to Chinese and
times shown in Asia/Shanghai, then canonicalised (LF line endings, no trailing spaces, no runs
of blank lines, NFC). Same terms → identical bytes; `text_sha256` is the SHA-256 of the UTF-8
canonical text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata

from django.conf import settings
from django.template.loader import select_template
from django.utils import translation

from backend.localtime import local_time
from backend.money import yuan
from marketplace.models import User
from orders.models import Occurrence, Order
from orders.pricing import late_cancellation_fee
from orders.statuses import OccurrenceStatus, Party, RequestKind

WEEKDAY_LABELS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
KIND_LABELS = {
    RequestKind.ONE_OFF: "单次服务",
    RequestKind.RECURRING: "周期服务",
    RequestKind.PLACEMENT: "长期驻家",
}
PLACEMENT_MODE_LABELS = {"live_in": "住家", "daily": "白班（不住家）"}
PRICE_UNIT_LABELS = {"day": "按天计价", "month": "按月计价"}


def local_display(moment: dt.datetime) -> str:
    return local_time(moment).strftime("%Y年%m月%d日 %H:%M")


def local_iso(moment: dt.datetime) -> str:
    return local_time(moment).isoformat(timespec="minutes")


def _household_party(user: User) -> dict:
    profile = getattr(user, "household", None)
    return {
        "user_id": user.pk,
        "name": (profile.name if profile else "") or user.display_name or user.username,
        # No phone numbers between the parties: they talk through the order chat.
    }


def _agency_party(order: Order) -> dict | None:
    if not order.agency_id:
        return None
    agency = order.agency
    return {
        "agency_id": agency.pk,
        "name": agency.name,
        "licence_number": agency.licence_number,
        "phone": agency.phone,
    }


def _recurrence_terms(*, order: Order, ends_at: dt.datetime) -> tuple[dict, list[dict]]:
    """The weekly pattern and the scheduled visits of a recurring order, as displayed."""
    request = order.request
    weekdays = sorted(int(day) for day in request.recurrence_weekdays or [])
    recurrence = {
        "weekdays": weekdays,
        "weekdays_label": "每" + "、".join(WEEKDAY_LABELS[day] for day in weekdays)
        if weekdays
        else "按约定日期",
        "until": request.recurrence_until.strftime("%Y年%m月%d日")
        if request.recurrence_until
        else local_display(ends_at),
    }
    visits = Occurrence.objects.filter(order=order, status=OccurrenceStatus.SCHEDULED).order_by(
        "starts_at", "pk"
    )
    occurrences = [
        {"starts_at": local_display(visit.starts_at), "ends_at": local_display(visit.ends_at)}
        for visit in visits
    ]
    return recurrence, occurrences


def _placement_terms(order: Order) -> dict:
    """The placement mode, unit price and trial of a placement order, as displayed."""
    request = order.request
    unit_price = request.placement_unit_price or 0
    return {
        "mode": request.placement_mode,
        "mode_label": PLACEMENT_MODE_LABELS.get(request.placement_mode, "按约定"),
        "price_unit": request.placement_price_unit,
        "price_unit_label": PRICE_UNIT_LABELS.get(request.placement_price_unit, "按约定"),
        "unit_price_fen": unit_price,
        "unit_price_display": yuan(unit_price),
        "trial_days": request.trial_days,
        "trial_ends_at": local_display(order.trial_ends_at) if order.trial_ends_at else "",
        "replacement_right": request.trial_days > 0,
    }


def _cancellation_terms(price: int) -> dict:
    late_fee = late_cancellation_fee(price)
    return {
        "free_hours": settings.MEIJIA["FREE_CANCELLATION_HOURS"],
        "late_fee_percent": settings.MEIJIA["LATE_CANCELLATION_FEE_PERCENT"],
        "late_fee_fen": late_fee,
        "late_fee_display": yuan(late_fee),
    }


def _parties_terms(order: Order, agency: dict | None) -> dict:
    worker = order.worker
    return {
        "household": _household_party(order.household),
        "worker": {
            "worker_id": worker.pk,
            "name": worker.real_name,
            "id_card": worker.id_card_masked or "未登记",
        },
        "agency": agency,
    }


def contract_terms(
    *,
    order: Order,
    version: int,
    price: int | None = None,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    notes: str = "",
    amendment: dict | None = None,
) -> dict:
    """The terms of one contract version: the order's terms with any amended values applied."""
    request = order.request
    category = request.category
    price = order.price if price is None else price
    starts_at = starts_at or order.starts_at
    ends_at = ends_at or order.ends_at
    agency = _agency_party(order)

    terms: dict = {
        "contract_number": f"MJ{order.pk:08d}",
        "version": version,
        "order_id": order.pk,
        "kind": request.kind,
        "kind_label": KIND_LABELS.get(request.kind, request.kind),
        "category": {"code": category.code, "name": category.name_zh},
        "service_content": category.service_content_zh,
        "description": request.description.strip(),
        "notes": notes.strip(),
        "division": request.division.name_zh,
        "address": request.address,
        "starts_at": local_display(starts_at),
        "ends_at": local_display(ends_at),
        "starts_at_iso": local_iso(starts_at),
        "ends_at_iso": local_iso(ends_at),
        "price_fen": price,
        "price_display": yuan(price),
        "payment_terms": (
            "服务完成并经甲方确认（或乙方完工后48小时内甲方未提出异议视为确认）后，"
            "甲方通过平台一次性支付全部服务费用。"
        ),
        "cancellation": _cancellation_terms(price),
        "dispute_terms": (
            "因本合同发生争议的，各方应先行协商；协商不成的，任何一方可在平台提起争议，由"
            + (agency["name"] if agency else "平台")
            + "调解处理；仍不能解决的，可向临清市妇女联合会或消费者协会申请调解，"
            "或依法向服务地人民法院提起诉讼。"
        ),
        "parties": _parties_terms(order, agency),
        "recurrence": None,
        "occurrences": [],
        "placement": None,
        "amendment": amendment,
    }
    if request.kind == RequestKind.RECURRING:
        terms["recurrence"], terms["occurrences"] = _recurrence_terms(order=order, ends_at=ends_at)
    if request.kind == RequestKind.PLACEMENT:
        terms["placement"] = _placement_terms(order)
    return terms


def canonical_text(raw: str) -> str:
    """LF endings, NFC, no trailing spaces, no blank-line runs, exactly one final newline."""
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    lines: list[str] = []
    for line in text.split("\n"):
        line = line.rstrip()
        if not line and (not lines or not lines[-1]):
            continue
        lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def contract_render(*, terms: dict) -> str:
    """The canonical Chinese contract text of these terms (deterministic)."""
    template = select_template(
        [f"orders/contracts/{terms['category']['code']}.txt", "orders/contracts/base.txt"]
    )
    with translation.override("zh-hans"):
        return canonical_text(template.render({"t": terms}))


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def required_parties_of(order: Order) -> list[str]:
    parties = [Party.HOUSEHOLD.value, Party.WORKER.value]
    if order.agency_id:
        parties.append(Party.AGENCY.value)
    return parties
