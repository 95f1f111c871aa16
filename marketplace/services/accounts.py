"""Accounts: registration with a role profile, and logout (refresh-token revocation)."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import RefreshToken

from backend.exceptions import ValidationFailed
from backend.security import SESSION_ID_CLAIM
from marketplace import idcard
from marketplace.models import (
    CodePurpose,
    ConsentKind,
    HouseholdProfile,
    Role,
    User,
    WorkerProfile,
)
from marketplace.services.consents import consent_record
from marketplace.services.phone_codes import code_issue
from notifications.sessions import session_sign_out

SELF_SERVICE_ROLES = (Role.HOUSEHOLD, Role.WORKER)


def user_register(
    *,
    username: str,
    password: str,
    role: str,
    display_name: str,
    phone: str,
    id_card_number: str = "",
) -> User:
    """Create a household or worker account with its profile.

    Input formats (phone, password strength, ID checksum) are checked by the caller's
    serializer; this enforces the rules that need the database.
    Raises ValidationFailed (field named) for a taken username, phone or ID number, or a role
    that cannot sign up by itself. A verification code goes to the phone (unverified until
    she enters it: marketplace.services.phone_codes).
    """
    if role not in SELF_SERVICE_ROLES:
        raise ValidationFailed(_("只能注册为雇主家庭或家政服务员。"), field="role")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed(_("该用户名已被使用。"), field="username", code="unique")
    number = idcard.normalize(id_card_number) if role == Role.WORKER else ""
    if number and WorkerProfile.objects.filter(id_card_digest=idcard.digest(number)).exists():
        raise ValidationFailed(_("该身份证号已注册。"), field="id_card_number", code="unique")
    if phone and User.objects.filter(phone=phone).exists():
        raise ValidationFailed(_("该手机号已被其他账号使用。"), field="phone", code="unique")

    try:
        with transaction.atomic():
            user = User(username=username, role=role, display_name=display_name, phone=phone)
            user.set_password(password)
            user.save()
            if role == Role.WORKER:
                worker = WorkerProfile(user=user, real_name=display_name, phone=phone)
                worker.set_id_card_number(number)
                worker.save()
                if number:  # she typed it under the notice of its purpose (CONSENT_NOTICES)
                    consent_record(user=user, kind=ConsentKind.ID_CARD)
            else:
                HouseholdProfile.objects.create(user=user, name=display_name, phone=phone)
            if phone:  # her number is hers once she types the code sent to it
                code_issue(user=user, phone=phone, purpose=CodePurpose.VERIFY)
    except IntegrityError as error:
        # Two simultaneous sign-ups with the same name or number: the constraint decides.
        text = str(error)
        field = (
            "id_card_number" if "id_card" in text else "phone" if "phone" in text else "username"
        )
        raise ValidationFailed(
            _("该用户名、手机号或身份证号已被使用。"), field=field, code="unique"
        ) from error
    return user


def refresh_token_revoke(*, refresh: str) -> None:
    """Sign out the refresh token's session (logout): blacklist the token, refuse the session's
    access tokens from now on and close its sockets. Raises ValidationFailed when it is not a
    valid refresh token."""
    try:
        token = RefreshToken(refresh)
        token.blacklist()
    except TokenError as error:
        raise ValidationFailed(
            _("刷新令牌无效或已失效。"), field="refresh", code="token_not_valid"
        ) from error
    sid = token.get(SESSION_ID_CLAIM)
    if sid:
        session_sign_out(user_id=token[jwt_settings.USER_ID_CLAIM], sid=sid)


def worker_account_create_for(*, real_name: str, phone: str, division_id: int | None) -> User:
    """A worker account made by an officer for a woman who agreed to it (the caller records
    her consent). It has no usable password: nobody knows one until she claims it with the
    code sent to her phone (marketplace.services.phone_codes.account_claim). `phone` is
    E.164. Raises ValidationFailed (field phone) when an account already holds the number."""
    if User.objects.filter(phone=phone).exists():
        raise ValidationFailed(_("该手机号已被其他账号使用。"), field="phone", code="unique")
    username = "w" + phone.lstrip("+")
    try:
        with transaction.atomic():
            user = User(username=username, role=Role.WORKER, display_name=real_name, phone=phone)
            user.set_unusable_password()
            user.save()
            WorkerProfile.objects.create(
                user=user, real_name=real_name, phone=phone, division_id=division_id
            )
    except IntegrityError as error:
        raise ValidationFailed(
            _("该手机号已被其他账号使用。"), field="phone", code="unique"
        ) from error
    return user
