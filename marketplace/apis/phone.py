"""Phone verification, password reset by SMS code, and handed-over reset links."""

from django.contrib.auth import password_validation
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.client_address import client_address
from backend.security import TokenObtainPairSerializer
from marketplace.apis.auth import SettingsScopedRateThrottle
from marketplace.models import User
from marketplace.phones import PhoneInput
from marketplace.serializers import MeSerializer
from marketplace.services import phone_codes


class PhoneSerializer(serializers.Serializer):
    phone = PhoneInput()


class CodeSerializer(serializers.Serializer):
    code = serializers.RegexField(r"^\d{4,8}$", max_length=8)


def _checked_password(value: str, user=None) -> str:
    try:
        password_validation.validate_password(value, user=user)
    except DjangoValidationError as error:
        raise serializers.ValidationError(list(error.messages)) from error
    return value


class ResetConfirmSerializer(PhoneSerializer, CodeSerializer):
    password = serializers.CharField(trim_whitespace=False, max_length=128, write_only=True)

    def validate_password(self, value):
        return _checked_password(value)


class ResetLinkUseSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=100)
    password = serializers.CharField(trim_whitespace=False, max_length=128, write_only=True)

    def validate_password(self, value):
        return _checked_password(value)


class ResetLinkSerializer(serializers.Serializer):
    url = serializers.CharField()
    expires_at = serializers.DateTimeField()


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


SENT = {"detail": "sent"}


class PhoneCodeApi(APIView):
    """Send a code to verify a (new) phone as the signed-in user's."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=PhoneSerializer, responses={202: None})
    def post(self, request):
        serializer = PhoneSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        phone_codes.phone_verification_send(
            user=request.user,
            phone=serializer.validated_data["phone"],
            address=client_address(request),
        )
        return Response(SENT, status=status.HTTP_202_ACCEPTED)


class PhoneVerifyApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=CodeSerializer, responses={200: MeSerializer})
    def post(self, request):
        serializer = CodeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = phone_codes.phone_verification_confirm(
            user=request.user, code=serializer.validated_data["code"]
        )
        return Response(MeSerializer(user, context={"request": request}).data)


class PasswordResetApi(APIView):
    """Ask for a reset code; the same 202 whether or not the number has an account."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [SettingsScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(request=PhoneSerializer, responses={202: None})
    def post(self, request):
        serializer = PhoneSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        phone_codes.password_reset_send(
            phone=serializer.validated_data["phone"], address=client_address(request)
        )
        return Response(SENT, status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [SettingsScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(request=ResetConfirmSerializer, responses={204: None})
    def post(self, request):
        serializer = ResetConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        phone_codes.password_reset_confirm(**serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AccountClaimApi(APIView):
    """A woman whose account an officer made claims it: phone, the code sent to it, and her
    own password → signed in (access and refresh tokens)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [SettingsScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(request=ResetConfirmSerializer, responses={200: TokenPairSerializer})
    def post(self, request):
        serializer = ResetConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = phone_codes.account_claim(
            **serializer.validated_data, address=client_address(request)
        )
        refresh = TokenObtainPairSerializer.get_token(user)
        user_logged_in.send(sender=type(user), request=request, user=user)
        return Response({"access": str(refresh.access_token), "refresh": str(refresh)})


class ResetLinkUseApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [SettingsScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(request=ResetLinkUseSerializer, responses={204: None})
    def post(self, request):
        serializer = ResetLinkUseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        phone_codes.reset_link_use(**serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ResetLinkCreateApi(APIView):
    """Agency staff (her roster), an officer or an operator makes a one-time reset link."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: ResetLinkSerializer})
    def post(self, request, user_id: int):
        user = get_object_or_404(User, pk=user_id)
        if not phone_codes.reset_link_may_create(actor=request.user, user=user):
            user = get_object_or_404(User.objects.none())  # 404: do not confirm the account
        link, token = phone_codes.reset_link_create(actor=request.user, user=user)
        url = request.build_absolute_uri(f"/accounts/reset/{token}/")
        return Response({"url": url, "expires_at": link.expires_at}, status=status.HTTP_201_CREATED)
