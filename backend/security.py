"""Hardening helpers shared by settings: API throttles that read their rates when asked and
key callers by `backend.client_address`, and the sign-in lock-out's answers
(`backend.login_lockout` decides)."""

from __future__ import annotations

import math
import uuid

from django.contrib.auth.signals import user_logged_in
from django.http import HttpResponse
from django.utils.translation import gettext as _
from rest_framework.exceptions import AuthenticationFailed, ErrorDetail, Throttled
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework_simplejwt import serializers as jwt_serializers

from backend.api.throttling import WindowCounterThrottle
from backend.client_address import ClientAddressIdentMixin

# The sign-in session a token belongs to: set on the refresh token at sign-in, copied into every
# access token made from it and kept through rotation; signing out refuses the session's tokens.
SESSION_ID_CLAIM = "sid"


class _RatesFromSettings:
    """DRF throttles bind their rates at import; these read them per request, so an env
    override or `override_settings(REST_FRAMEWORK=...)` applies."""

    def get_rate(self):
        self.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        return super().get_rate()


class UserThrottle(
    ClientAddressIdentMixin, _RatesFromSettings, UserRateThrottle, WindowCounterThrottle
):
    """Per signed-in user (anonymous callers fall back to their address)."""


class AnonThrottle(
    ClientAddressIdentMixin, _RatesFromSettings, AnonRateThrottle, WindowCounterThrottle
):
    """Per address, for callers without credentials."""


def lockout_detail(seconds: float) -> str:
    """The reason shown to a locked-out caller, with the minutes to wait."""
    minutes = max(1, math.ceil(seconds / 60))
    return _("登录失败次数过多，请 %(minutes)s 分钟后再试。") % {"minutes": minutes}


def lockout_retry_after(response: HttpResponse, seconds: float) -> HttpResponse:
    """Tell a locked-out caller when to try again (the whole cool-off time)."""
    response["Retry-After"] = str(int(seconds))
    return response


class LockedOut(Throttled):
    default_code = "locked_out"

    def __init__(self, wait: float):
        super().__init__(wait=wait, code="locked_out")
        self.detail = ErrorDetail(lockout_detail(wait), code="locked_out")


class TokenObtainPairSerializer(jwt_serializers.TokenObtainPairSerializer):
    """simplejwt's obtain serializer, answering 429 `locked_out` (not a 401 that hides the
    reason) when the lock-out (`backend.login_lockout`) refused the attempt."""

    @classmethod
    def get_token(cls, user):
        # Each sign-in is a session of its own (SESSION_ID_CLAIM). Not in the docstring: the
        # docstring is the published schema's description of auth/token/.
        token = super().get_token(user)
        token[SESSION_ID_CLAIM] = uuid.uuid4().hex
        return token

    def validate(self, attrs):
        request = self.context.get("request")
        try:
            data = super().validate(attrs)
        except AuthenticationFailed:
            if request is not None and getattr(request, "login_locked_out", False):
                raise LockedOut(request.login_retry_after) from None
            raise
        # A token is a sign-in: receivers of user_logged_in see it as they see the web form's.
        user_logged_in.send(sender=type(self.user), request=request, user=self.user)
        return data
