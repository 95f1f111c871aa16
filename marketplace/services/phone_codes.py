"""One-time SMS codes: verify a phone (at registration and on change), reset a password,
claim an account; and the one-time reset links handed over by agency staff or an officer.

A code is six digits, kept only as a hash, valid CODE_MINUTES, CODE_MAX_TRIES wrong tries,
one send per CODE_RESEND_SECONDS per phone and purpose. Sends are counted per phone and per
client address in the cache, whether or not the number has an account, so neither the answer
nor its timing tells whether it does. The code travels as an `account.code` notification
(sealed in its payload until the SMS is sent), through the same delivery worker as everything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import DomainError, PermissionDeniedError, ValidationFailed
from marketplace.models import CodePurpose, PhoneCode, ResetLink, RosterEntry, User, WorkerProfile
from notifications.events import send_event_on_commit
from notifications.kinds import ACCOUNT_CODE
from notifications.sealing import seal


class TooManyRequests(DomainError):
    status_code = 429
    default_code = "throttled"


def _knob(name: str) -> int:
    return settings.REACH[name]


def _count_within_hour(key: str, limit: int) -> None:
    """Count one send under `key`; raise TooManyRequests past `limit` an hour."""
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    if count > limit:
        raise TooManyRequests(_("发送次数过多，请稍后再试。"))


def _throttle(*, phone: str, purpose: str, address: str | None) -> None:
    if not cache.add(f"code-cooldown:{purpose}:{phone}", 1, timeout=_knob("CODE_RESEND_SECONDS")):
        raise TooManyRequests(
            _("验证码已发送，请稍后再试。"), extra={"retry_after": _knob("CODE_RESEND_SECONDS")}
        )
    _count_within_hour(f"code-phone:{phone}", _knob("CODE_SENDS_PER_PHONE_HOUR"))
    if address:
        _count_within_hour(f"code-address:{address}", _knob("CODE_SENDS_PER_ADDRESS_HOUR"))


def code_issue(
    *, user: User, phone: str, purpose: str, now: dt.datetime | None = None
) -> PhoneCode:
    """Make a new code (replacing the user's earlier ones of this purpose) and queue its SMS."""
    now = now or timezone.now()
    code = "".join(secrets.choice("0123456789") for _ in range(_knob("CODE_DIGITS")))
    with transaction.atomic():
        # A new code replaces the ones before it.
        PhoneCode.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(
            used_at=now
        )
        issued = PhoneCode.objects.create(
            user=user,
            phone=phone,
            purpose=purpose,
            code_hash=make_password(code),
            created_at=now,
            expires_at=now + dt.timedelta(minutes=_knob("CODE_MINUTES")),
        )
        send_event_on_commit(
            event_type=ACCOUNT_CODE,
            recipients=[user.pk],
            payload={
                "phone": phone,
                "purpose": purpose,
                "sealed": seal(code),
                "message": _("验证码已发送到 %(tail)s。") % {"tail": phone[-4:]},
            },
        )
    return issued


def phone_code_check(*, user: User, purpose: str, code: str, now: dt.datetime | None = None):
    """Use the user's live code of this purpose; returns it, or raises ValidationFailed
    (code invalid_code, field code). A wrong try counts (F()); the last try ends the code."""
    now = now or timezone.now()
    live = (
        PhoneCode.objects.filter(
            user=user,
            purpose=purpose,
            used_at__isnull=True,
            expires_at__gt=now,
            tries__lt=_knob("CODE_MAX_TRIES"),
        )
        .order_by("-created_at")
        .first()
    )
    wrong = ValidationFailed(_("验证码错误或已过期。"), code="invalid_code", field="code")
    if live is None:
        raise wrong
    if not check_password(code.strip(), live.code_hash):
        PhoneCode.objects.filter(pk=live.pk).update(tries=F("tries") + 1)
        raise wrong
    used = PhoneCode.objects.filter(pk=live.pk, used_at__isnull=True).update(used_at=now)
    if not used:  # a concurrent check used it first
        raise wrong
    return live


def phone_verification_send(*, user: User, phone: str, address: str | None = None) -> None:
    """Send a code to `phone` (already E.164) to verify it as the user's number.
    Raises ValidationFailed (field phone) when another account holds the number."""
    if User.objects.filter(phone=phone).exclude(pk=user.pk).exists():
        raise ValidationFailed(_("该手机号已被其他账号使用。"), field="phone", code="unique")
    _throttle(phone=phone, purpose=CodePurpose.VERIFY, address=address)
    code_issue(user=user, phone=phone, purpose=CodePurpose.VERIFY, now=timezone.now())


def _phone_set_verified(*, user: User, phone: str, now: dt.datetime) -> User:
    try:
        with transaction.atomic():
            User.objects.filter(pk=user.pk).update(phone=phone, phone_verified_at=now)
            WorkerProfile.objects.filter(user_id=user.pk).update(phone=phone)
    except IntegrityError as error:
        raise ValidationFailed(
            _("该手机号已被其他账号使用。"), field="phone", code="unique"
        ) from error
    user.phone, user.phone_verified_at = phone, now
    return user


def phone_verification_confirm(*, user: User, code: str) -> User:
    """The code sent to her new number makes it her verified phone (and her worker profile's)."""
    now = timezone.now()
    issued = phone_code_check(user=user, purpose=CodePurpose.VERIFY, code=code, now=now)
    return _phone_set_verified(user=user, phone=issued.phone, now=now)


def password_reset_send(*, phone: str, address: str | None = None) -> None:
    """Send a reset code when an active account has this phone; the same answer otherwise."""
    _throttle(phone=phone, purpose=CodePurpose.RESET, address=address)
    user = User.objects.filter(phone=phone, is_active=True).first()
    if user is not None:
        code_issue(user=user, phone=phone, purpose=CodePurpose.RESET, now=timezone.now())


def password_reset_confirm(*, phone: str, code: str, password: str) -> User:
    """Set a new password with the code sent to the account's phone; the code also proves
    she holds the phone, so it becomes verified. Raises ValidationFailed (invalid_code)."""
    user = User.objects.filter(phone=phone, is_active=True).first()
    if user is None:
        raise ValidationFailed(_("验证码错误或已过期。"), code="invalid_code", field="code")
    now = timezone.now()
    phone_code_check(user=user, purpose=CodePurpose.RESET, code=code, now=now)
    user.set_password(password)
    user.phone_verified_at = user.phone_verified_at or now
    user.save(update_fields=["password", "phone_verified_at"])
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def reset_link_may_create(*, actor: User, user: User) -> bool:
    """Operators and federation officers for anyone; agency staff for their active roster."""
    if actor.is_operator or actor.is_federation:
        return True
    if actor.is_agency_staff and user.is_worker:
        return RosterEntry.objects.filter(
            agency__staff__user=actor,
            worker__user=user,
            status=RosterEntry.Status.ACTIVE,
        ).exists()
    return False


def reset_link_create(*, actor: User, user: User) -> tuple[ResetLink, str]:
    """A one-time link (its token returned once, only its hash kept) for `user`, recorded with
    who made it. Raises PermissionDeniedError for anyone else's account."""
    if not reset_link_may_create(actor=actor, user=user):
        raise PermissionDeniedError(_("无权为该账号生成重置链接。"))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        ResetLink.objects.filter(user=user, used_at__isnull=True).update(used_at=timezone.now())
        link = ResetLink.objects.create(
            user=user,
            token_hash=_token_hash(token),
            created_by=actor,
            expires_at=timezone.now() + dt.timedelta(hours=_knob("RESET_LINK_HOURS")),
        )
    return link, token


def reset_link_use(*, token: str, password: str) -> User:
    """Set a new password through a handed-over link, once. Raises ValidationFailed."""
    now = timezone.now()
    with transaction.atomic():
        link = (
            ResetLink.objects.select_for_update()
            .select_related("user")
            .filter(token_hash=_token_hash(token), used_at__isnull=True, expires_at__gt=now)
            .first()
        )
        if link is None:
            raise ValidationFailed(_("链接无效或已过期。"), code="invalid_token", field="token")
        link.used_at = now
        link.save(update_fields=["used_at"])
        link.user.set_password(password)
        link.user.save(update_fields=["password"])
    return link.user


def _claim_knob(name: str, default: int) -> int:
    return int(settings.REACH.get(name, default))


def account_claim_send(*, user: User, address: str | None = None) -> None:
    """Send the claim code of an account made on her behalf to its phone (throttled as every
    code). Raises ValidationFailed `already_claimed` once she has set a password."""
    if user.has_usable_password():
        raise ValidationFailed(_("该账号已被认领。"), field="phone", code="already_claimed")
    _throttle(phone=user.phone, purpose=CodePurpose.CLAIM, address=address)
    code_issue(user=user, phone=user.phone, purpose=CodePurpose.CLAIM, now=timezone.now())


def account_claim(*, phone: str, code: str, password: str, address: str | None = None) -> User:
    """She claims the account an officer made for her: the code sent to her phone and a
    password of her own. The code proves she holds the phone, so it becomes verified.

    Tries are counted per phone and per client address (TooManyRequests past the limits an
    hour), on top of the code's own tries. Raises ValidationFailed `invalid_code` (the same
    answer for a wrong code, an unknown phone or a claimed account)."""
    _count_within_hour(f"claim-try:{phone}", _claim_knob("CLAIM_TRIES_PER_PHONE_HOUR", 10))
    if address:
        _count_within_hour(
            f"claim-address:{address}", _claim_knob("CLAIM_TRIES_PER_ADDRESS_HOUR", 30)
        )
    wrong = ValidationFailed(_("验证码错误或已过期。"), code="invalid_code", field="code")
    user = User.objects.filter(phone=phone, is_active=True).first()
    if user is None or user.has_usable_password():
        raise wrong
    now = timezone.now()
    # Outside a transaction: a wrong try must stay counted.
    phone_code_check(user=user, purpose=CodePurpose.CLAIM, code=code, now=now)
    user.set_password(password)
    user.phone_verified_at = user.phone_verified_at or now
    user.save(update_fields=["password", "phone_verified_at"])
    return user
