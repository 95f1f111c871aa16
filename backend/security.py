"""Hardening helpers shared by settings: the client address behind the proxy, API throttles
that read their rates when asked, and the lock-out answer (django-axes) for the API."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from rest_framework.exceptions import AuthenticationFailed, ErrorDetail, Throttled
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework_simplejwt import serializers as jwt_serializers

from backend.api.throttling import WindowCounterThrottle

# The sign-in session a token belongs to: set on the refresh token at sign-in, copied into every
# access token made from it and kept through rotation; signing out refuses the session's tokens.
SESSION_ID_CLAIM = "sid"


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address: REMOTE_ADDR, or with NUM_PROXIES trusted proxies in front (nginx
    appends to X-Forwarded-For) the address the outermost trusted proxy saw."""
    proxies = api_settings.NUM_PROXIES or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR")


class _RatesFromSettings:
    """DRF throttles bind their rates at import; these read them per request, so an env
    override or `override_settings(REST_FRAMEWORK=...)` applies."""

    def get_rate(self):
        self.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        return super().get_rate()


class UserThrottle(_RatesFromSettings, UserRateThrottle, WindowCounterThrottle):
    """Per signed-in user (anonymous callers fall back to their address)."""


class AnonThrottle(_RatesFromSettings, AnonRateThrottle, WindowCounterThrottle):
    """Per address, for callers without credentials."""


def lockout_detail() -> str:
    """The reason shown to a locked-out caller, with the minutes left to wait."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _("登录失败次数过多，请 %(minutes)s 分钟后再试。") % {"minutes": minutes}


def lockout_retry_after(response: HttpResponse) -> HttpResponse:
    """Tell a locked-out caller when to try again (the whole cool-off time)."""
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


def api_lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer under /api/ once a username or an address is locked: the API's
    JSON error format. The web's lock-out answer (`web.views.accounts.lockout_response`)
    sends API paths here."""
    response = JsonResponse(
        {"code": "locked_out", "detail": lockout_detail()},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    return lockout_retry_after(response)


class LockedOut(Throttled):
    default_code = "locked_out"

    def __init__(self, wait: float):
        super().__init__(wait=wait, code="locked_out")
        self.detail = ErrorDetail(lockout_detail(), code="locked_out")


class TokenObtainPairSerializer(jwt_serializers.TokenObtainPairSerializer):
    """simplejwt's obtain serializer, answering 429 `locked_out` (not a 401 that hides the
    reason) when django-axes refused the attempt. Axes flags the lock-out on the DRF request
    it was given, which AxesMiddleware (looking at Django's request) does not see."""

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
            if request is not None and getattr(request, "axes_locked_out", False):
                raise LockedOut(settings.AXES_COOLOFF_TIME.total_seconds()) from None
            raise
        # A token is a sign-in: the signal lets django-axes clear this username's failures, as
        # the web form's login() does.
        user_logged_in.send(sender=type(self.user), request=request, user=self.user)
        return data
