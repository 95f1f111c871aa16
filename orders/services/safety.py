"""Trust and safety on the order side (issue 8).

- Proof of arrival: each visit has a one-time six-digit start code that the household sees on
  its order page and the worker types to check in (`order_check_in` calls `start_code_verify`
  before its transaction, so a wrong try stays counted when the check-in is refused). Tries
  are claimed with conditional UPDATEs *before* the code is compared, so however many
  requests race, at most START_CODE_MAX_TRIES guesses are compared per lock period; the last
  wrong one locks check-in to that visit for START_CODE_LOCK_MINUTES. When the phone reports
  a position it must be within CHECK_IN_MAX_DISTANCE_M of the service address.
- SOS: the worker alerts her agency's staff (the order's agency, else her current roster
  agency; operators when she has none), live and in their inbox, with time and position.
- Safety timer: `safety_overdue_alerts_due` (run by the periodic command) alerts the same
  people once per visit that is checked in and not checked out SAFETY_OVERDUE_MINUTES after
  its scheduled end; a unique constraint settles concurrent runs.
- Privacy: `address_visible_to` — the worker side sees the exact address only once the
  contract is signed (docs/privacy.md).
- Reliability: `worker_incidents` lists her no-shows, late cancellations and completed jobs.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from backend.exceptions import Conflict, NotFound, PermissionDeniedError, ValidationFailed
from marketplace.geo import great_circle_km
from marketplace.models import AgencyStaff, Role, RosterEntry, User
from notifications.events import send_event_on_commit
from orders.models import Occurrence, Order, SafetyAlert, SafetyAlertKind, StartCode
from orders.parties import party_of
from orders.statuses import OccurrenceStatus, OrderStatus, Party, RequestKind

SAFETY_SOS = "safety.sos"
SAFETY_OVERDUE = "safety.overdue"
START_CODE_LENGTH = 6
CODE_PATTERN = re.compile(r"^\d{6}$")


def _knob(name: str, default: int) -> int:
    return int(settings.MEIJIA.get(name, default))


def max_tries() -> int:
    return _knob("START_CODE_MAX_TRIES", 5)


def lock_minutes() -> int:
    return _knob("START_CODE_LOCK_MINUTES", 15)


def _new_code() -> str:
    return f"{secrets.randbelow(10**START_CODE_LENGTH):0{START_CODE_LENGTH}d}"


# --- which visit a code belongs to ----------------------------------------------------------


def start_code_visit(*, order: Order, now: dt.datetime | None = None) -> Occurrence | None:
    """The visit the worker's next check-in is for (None when nothing is left to check in)."""
    from orders.services import orders as order_services

    now = now or timezone.now()
    visits = order_services._visits(order)
    if order.request.kind != RequestKind.RECURRING:
        return next((v for v in visits if not v.checked_in_at), None)
    try:
        return order_services._visit_to_check_in(visits=visits, occurrence_id=None, now=now)
    except Conflict as error:
        if error.code == "too_early":
            return next((v for v in visits if v.pk == error.extra.get("occurrence")), None)
        return None
    except NotFound:
        return None


def start_code_for_visit(*, order: Order, occurrence: Occurrence | None) -> StartCode:
    """The visit's code, made on first need (a unique constraint settles two first needs)."""
    lookup = {"order": order, "occurrence": occurrence}
    existing = StartCode.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return StartCode.objects.create(**lookup, code=_new_code())
    except IntegrityError:
        return StartCode.objects.get(**lookup)


def _household_order(*, order_id: int, user: User) -> Order:
    order = Order.objects.select_related("request", "worker").filter(pk=order_id).first()
    party = party_of(user, order) if order is not None else None
    if party is None:
        raise NotFound(_("订单不存在。"))
    if party != Party.HOUSEHOLD:
        raise PermissionDeniedError(_("只有雇主可以查看开工码。"), code="wrong_party")
    return order


CODE_STATUSES = (OrderStatus.CONFIRMED, OrderStatus.IN_PROGRESS)


def start_code_current(
    *, order_id: int, user: User, now: dt.datetime | None = None
) -> StartCode | None:
    """The household's code for the next visit (None outside confirmed / in progress).

    Raises NotFound (not a party), PermissionDeniedError (a party other than the household).
    """
    order = _household_order(order_id=order_id, user=user)
    if order.status not in CODE_STATUSES:
        return None
    visit = start_code_visit(order=order, now=now)
    if visit is None:
        return None
    return start_code_for_visit(order=order, occurrence=visit)


def start_code_regenerate(
    *, order_id: int, user: User, now: dt.datetime | None = None
) -> StartCode:
    """The household replaces the next visit's code (a code seen by someone else is void).

    Wrong-try counts and any lock stay. Raises NotFound, PermissionDeniedError, Conflict
    `no_visit_due`.
    """
    now = now or timezone.now()
    code = start_code_current(order_id=order_id, user=user, now=now)
    if code is None:
        raise Conflict(_("目前没有需要开工码的服务。"), code="no_visit_due")
    new = _new_code()
    if not StartCode.objects.filter(pk=code.pk, used_at__isnull=True).update(
        code=new, regenerated_at=now
    ):
        raise Conflict(_("这次服务已经签到过了。"), code="already_checked_in")
    code.refresh_from_db()
    return code


# --- verification ---------------------------------------------------------------------------


def _claim_try(code: StartCode, now: dt.datetime) -> None:
    """Count one try before comparing; Conflict `check_in_locked` when none is left now."""
    limit = max_tries()
    for _attempt in range(3):
        if StartCode.objects.filter(pk=code.pk, failed_attempts__lt=limit).update(
            failed_attempts=F("failed_attempts") + 1
        ):
            return
        row = StartCode.objects.values("locked_until").get(pk=code.pk)
        locked_until = row["locked_until"]
        if locked_until is None:
            # The last try was used up by a concurrent caller that has not set the lock yet.
            StartCode.objects.filter(pk=code.pk, locked_until__isnull=True).update(
                locked_until=now + dt.timedelta(minutes=lock_minutes())
            )
            continue
        if locked_until > now:
            raise Conflict(
                _("开工码错误次数过多，请%(minutes)s分钟后再试，或请雇主刷新开工码。")
                % {"minutes": lock_minutes()},
                code="check_in_locked",
                extra={"locked_until": locked_until.isoformat()},
            )
        # The lock has run out: whoever resets it first takes the first try of the new round.
        if StartCode.objects.filter(pk=code.pk, locked_until=locked_until).update(
            failed_attempts=1, locked_until=None
        ):
            return
    raise Conflict(_("签到请求过于频繁，请稍后再试。"), code="check_in_locked")


def start_code_verify(
    *,
    order: Order,
    occurrence: Occurrence | None,
    code: str | None,
    latitude: float | None = None,
    longitude: float | None = None,
    now: dt.datetime | None = None,
) -> tuple[StartCode, int | None]:
    """Check the worker's start code (and position, when given) for one visit.

    Call outside the check-in transaction: a wrong try must stay counted. Returns the code row
    and the distance in metres (None without a position). Raises ValidationFailed on
    `start_code` (missing, malformed, wrong: `wrong_start_code` with `attempts_left`) or
    `latitude` (half a position), Conflict `check_in_locked`, `too_far_from_address`.
    """
    now = now or timezone.now()
    code = (code or "").strip()
    if not code:
        raise ValidationFailed(
            _("请输入雇主订单页上显示的6位开工码。"), field="start_code", code="start_code_required"
        )
    if not CODE_PATTERN.match(code):
        raise ValidationFailed(_("开工码是6位数字。"), field="start_code", code="invalid")
    if (latitude is None) != (longitude is None):
        raise ValidationFailed(_("请同时提供纬度和经度。"), field="latitude")
    row = start_code_for_visit(order=order, occurrence=occurrence)
    _claim_try(row, now)
    row.refresh_from_db()
    if row.used_at is not None or not constant_time_compare(row.code, code):
        left = max(0, max_tries() - row.failed_attempts)
        if left == 0:
            StartCode.objects.filter(pk=row.pk, locked_until__isnull=True).update(
                locked_until=now + dt.timedelta(minutes=lock_minutes())
            )
            raise Conflict(
                _("开工码错误次数过多，请%(minutes)s分钟后再试，或请雇主刷新开工码。")
                % {"minutes": lock_minutes()},
                code="check_in_locked",
                extra={"locked_until": (now + dt.timedelta(minutes=lock_minutes())).isoformat()},
            )
        raise ValidationFailed(
            _("开工码不正确，还可以再试%(left)s次。") % {"left": left},
            field="start_code",
            code="wrong_start_code",
            extra={"attempts_left": left},
        )
    distance_m = None
    if latitude is not None and longitude is not None:
        request = order.request
        distance_m = round(
            great_circle_km(latitude, longitude, request.latitude, request.longitude) * 1000
        )
        allowed = _knob("CHECK_IN_MAX_DISTANCE_M", 500)
        if distance_m > allowed:
            raise Conflict(
                _("您当前的位置距服务地址约%(distance)s米，需在%(allowed)s米以内才能签到。")
                % {"distance": distance_m, "allowed": allowed},
                code="too_far_from_address",
                extra={"distance_m": distance_m, "allowed_m": allowed},
            )
    # A right code starts the count afresh.
    StartCode.objects.filter(pk=row.pk).update(failed_attempts=0)
    row.failed_attempts = 0
    if latitude is not None:
        row.latitude, row.longitude, row.distance_m = latitude, longitude, distance_m
    return row, distance_m


def start_code_consume(*, start_code: StartCode, now: dt.datetime) -> None:
    """Mark the code used inside the check-in transaction (one-time: a second use → 409)."""
    if not StartCode.objects.filter(pk=start_code.pk, used_at__isnull=True).update(
        used_at=now,
        latitude=start_code.latitude,
        longitude=start_code.longitude,
        distance_m=start_code.distance_m,
    ):
        raise Conflict(_("这次服务已经签到过了。"), code="already_checked_in")


# --- SOS and the safety timer ---------------------------------------------------------------


def safety_recipient_ids(order: Order) -> list[int]:
    """Staff of the order's agency, else of her current agency; operators when she has none."""
    agency_id = order.agency_id
    if agency_id is None:
        agency_id = (
            RosterEntry.objects.filter(worker_id=order.worker_id, status=RosterEntry.Status.ACTIVE)
            .values_list("agency_id", flat=True)
            .first()
        )
    if agency_id is not None:
        staff = list(
            AgencyStaff.objects.filter(agency_id=agency_id, user__is_active=True).values_list(
                "user_id", flat=True
            )
        )
        if staff:
            return sorted(staff)
    return sorted(
        User.objects.filter(Q(role=Role.OPERATOR) | Q(is_superuser=True), is_active=True)
        .values_list("pk", flat=True)
        .distinct()
    )


def _alert_payload(alert: SafetyAlert, order: Order, message: str) -> dict:
    return {
        "alert": alert.pk,
        "kind": alert.kind,
        "order": order.pk,
        "occurrence": alert.occurrence_id,
        "worker": order.worker_id,
        "worker_name": order.worker.real_name,
        "at": (alert.created_at or timezone.now()).isoformat(),
        "latitude": alert.latitude,
        "longitude": alert.longitude,
        "accuracy_m": alert.accuracy_m,
        "message": message,
    }


SOS_STATUSES = (OrderStatus.CONFIRMED, OrderStatus.IN_PROGRESS, OrderStatus.DISPUTED)


def safety_sos_raise(
    *,
    order_id: int,
    actor: User,
    latitude: float | None = None,
    longitude: float | None = None,
    accuracy_m: float | None = None,
) -> SafetyAlert:
    """The worker asks for help during a service: her agency's staff get it live and in their
    inbox (operators when she has no agency). Raises NotFound, PermissionDeniedError (not the
    worker), ValidationFailed (half a position), Conflict `not_in_service`."""
    order = Order.objects.select_related("worker", "request", "agency").filter(pk=order_id).first()
    party = party_of(actor, order) if order is not None else None
    if party is None:
        raise NotFound(_("订单不存在。"))
    if party != Party.WORKER:
        raise PermissionDeniedError(_("只有服务员本人可以发出求助。"), code="wrong_party")
    if order.status not in SOS_STATUSES:
        raise Conflict(_("只能在服务期间发出求助。"), code="not_in_service")
    if (latitude is None) != (longitude is None):
        raise ValidationFailed(_("请同时提供纬度和经度。"), field="latitude")
    visit = (
        Occurrence.objects.filter(
            order=order, status=OccurrenceStatus.SCHEDULED, checked_in_at__isnull=False
        )
        .order_by("-checked_in_at", "-pk")
        .first()
    )
    recipients = safety_recipient_ids(order)
    with transaction.atomic():
        alert = SafetyAlert.objects.create(
            order=order,
            occurrence=visit,
            worker=order.worker,
            kind=SafetyAlertKind.SOS,
            latitude=latitude,
            longitude=longitude,
            accuracy_m=accuracy_m,
            recipients=recipients,
        )
        message = _("紧急求助：服务员%(name)s在订单#%(order)s服务中发出求助，请立即联系她。") % {
            "name": order.worker.real_name,
            "order": order.pk,
        }
        send_event_on_commit(
            event_type=SAFETY_SOS,
            recipients=recipients,
            payload=_alert_payload(alert, order, message),
        )
    return alert


def safety_overdue_alerts_due(*, now: dt.datetime | None = None) -> int:
    """Alert once per visit checked in and not out SAFETY_OVERDUE_MINUTES after its end.

    Each alert is an insert under a unique constraint in its own savepoint: a concurrent run
    that loses the insert sends nothing. Returns how many alerts this call raised.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=_knob("SAFETY_OVERDUE_MINUTES", 60))
    due = list(
        Occurrence.objects.filter(
            order__status__in=(OrderStatus.IN_PROGRESS, OrderStatus.DISPUTED),
            status=OccurrenceStatus.SCHEDULED,
            checked_in_at__isnull=False,
            checked_out_at__isnull=True,
            ends_at__lte=cutoff,
        )
        .exclude(safety_alerts__kind=SafetyAlertKind.OVERDUE)
        .select_related("order__worker", "order__request")
        .order_by("ends_at", "pk")
    )
    raised = 0
    for visit in due:
        order = visit.order
        recipients = safety_recipient_ids(order)
        try:
            with transaction.atomic():
                alert = SafetyAlert.objects.create(
                    order=order,
                    occurrence=visit,
                    worker=order.worker,
                    kind=SafetyAlertKind.OVERDUE,
                    recipients=recipients,
                )
                message = _(
                    "安全提醒：服务员%(name)s在订单#%(order)s的服务已超过结束时间仍未签退，"
                    "请联系确认她的安全。"
                ) % {"name": order.worker.real_name, "order": order.pk}
                send_event_on_commit(
                    event_type=SAFETY_OVERDUE,
                    recipients=recipients,
                    payload={
                        **_alert_payload(alert, order, message),
                        "ends_at": visit.ends_at.isoformat(),
                    },
                )
        except IntegrityError:
            continue
        raised += 1
    return raised


# --- privacy --------------------------------------------------------------------------------

# The statuses an order reaches only after every party signed its contract.
SIGNED_ORDER_STATUSES = (
    OrderStatus.CONFIRMED,
    OrderStatus.IN_PROGRESS,
    OrderStatus.AWAITING_CONFIRMATION,
    OrderStatus.COMPLETED,
    OrderStatus.DISPUTED,
    OrderStatus.REPLACED,
)


def address_visible_to(*, order: Order, party: str | None) -> bool:
    """The household always sees its own address; the worker side (worker, agency) only once
    the contract is signed (docs/privacy.md). A cancelled order hides it again."""
    if party == Party.HOUSEHOLD:
        return True
    return party is not None and order.status in SIGNED_ORDER_STATUSES


# --- reliability ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Incident:
    kind: str  # no_show | late_cancellation | completed
    order_id: int
    at: dt.datetime | None
    category_name: str


def worker_incidents(*, worker_id: int) -> list[Incident]:
    """Her recorded no-shows and late cancellations and her completed jobs, newest first."""
    orders = (
        Order.objects.filter(worker_id=worker_id)
        .filter(
            Q(status=OrderStatus.COMPLETED)
            | Q(no_show_party=Party.WORKER)
            | Q(
                cancelled_by_party=Party.WORKER,
                events__to_status=OrderStatus.CANCELLED,
                events__data__is_late=True,
            )
        )
        .select_related("request__category")
        .distinct()
        .order_by("-updated_at", "-pk")
    )
    incidents = []
    for order in orders:
        category = order.request.category.name
        if order.no_show_party == Party.WORKER:
            incidents.append(Incident("no_show", order.pk, order.cancelled_at, category))
        elif order.status == OrderStatus.COMPLETED:
            incidents.append(Incident("completed", order.pk, order.completed_at, category))
        else:
            incidents.append(Incident("late_cancellation", order.pk, order.cancelled_at, category))
    return incidents


ADDRESS_HIDDEN = "（详细地址在合同签署后可见）"
PHONE_HIDDEN = "（请通过订单聊天联系）"


def contract_display(*, contract, user: User) -> tuple[str, dict, bool]:
    """The contract text and terms as this party may see them: (text, terms, is_redacted).

    Phone numbers of the household and the worker never show (older versions carried them);
    the exact address shows to the worker side only once the contract is signed. The stored
    text, and the SHA-256 every party signs, are those of the full text.
    """
    order = contract.order
    party = party_of(user, order)
    text = contract.text
    terms = dict(contract.terms or {})
    redacted = False
    parties = {key: dict(value or {}) for key, value in (terms.get("parties") or {}).items()}
    for side in ("household", "worker"):
        phone = (parties.get(side) or {}).pop("phone", "")
        if phone:
            text = text.replace(phone, PHONE_HIDDEN)
            redacted = True
    if parties:
        terms["parties"] = {key: value or None for key, value in parties.items()}
    address = terms.get("address") or ""
    if address and not address_visible_to(order=order, party=party):
        text = text.replace(address, ADDRESS_HIDDEN)
        terms["address"] = None
        redacted = True
    return text, terms, redacted


# --- blocking a household -------------------------------------------------------------------


def worker_block_household(*, order_id: int, actor: User, reason: str = ""):
    """The worker on this order blocks its household: no offer, invitation or dispatch
    between them again; their pending offers are withdrawn now. Returns (block, created).

    Raises NotFound (not a party), PermissionDeniedError (not the worker).
    """
    from marketplace.services.blocks import household_block
    from orders.models import Offer
    from orders.statuses import OfferStatus

    order = Order.objects.select_related("worker").filter(pk=order_id).first()
    party = party_of(actor, order) if order is not None else None
    if party is None:
        raise NotFound(_("订单不存在。"))
    if party != Party.WORKER:
        raise PermissionDeniedError(_("只有服务员本人可以屏蔽雇主。"), code="wrong_party")
    with transaction.atomic():
        block, created = household_block(
            worker=order.worker,
            household_id=order.household_id,
            order_id=order.pk,
            reason=(reason or "").strip(),
        )
        Offer.objects.filter(
            worker=order.worker,
            request__household_id=order.household_id,
            status=OfferStatus.PENDING,
        ).update(status=OfferStatus.WITHDRAWN, responded_at=timezone.now())
    return block, created
