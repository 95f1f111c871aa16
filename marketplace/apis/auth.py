"""Registration, JWT obtain/refresh (rotating) and logout (blacklist)."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from backend.api.throttling import WindowCounterThrottle
from backend.client_address import ClientAddressIdentMixin
from marketplace.serializers import LogoutSerializer, MeSerializer, RegisterSerializer
from marketplace.services.accounts import refresh_token_revoke, user_register


class SettingsScopedRateThrottle(
    ClientAddressIdentMixin, ScopedRateThrottle, WindowCounterThrottle
):
    """ScopedRateThrottle that reads the rates when asked, so settings overrides apply, keys
    anonymous callers by `backend.client_address`, and counts in one window counter."""

    def get_rate(self):
        self.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        return super().get_rate()


class RegisterApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [SettingsScopedRateThrottle]
    throttle_scope = "register"

    @extend_schema(request=RegisterSerializer, responses={201: MeSerializer})
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = user_register(**serializer.validated_data)
        return Response(
            MeSerializer(user, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class TokenObtainApi(TokenObtainPairView):
    """Username + password → access and refresh tokens; rate-limited per client address."""

    throttle_classes = [SettingsScopedRateThrottle]
    throttle_scope = "login"


class TokenRefreshApi(TokenRefreshView):
    """Refresh → new access and a new refresh; the old refresh is blacklisted (rotation)."""


class LogoutApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=LogoutSerializer, responses={204: None})
    def post(self, request):
        serializer = LogoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        refresh_token_revoke(refresh=serializer.validated_data["refresh"])
        return Response(status=status.HTTP_204_NO_CONTENT)
