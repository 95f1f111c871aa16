"""Web Push subscriptions, the VAPID public key, and a user's reach settings, over REST."""

import datetime as dt

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from notifications.kinds import PREFERENCE_KINDS
from notifications.push_subscriptions import push_subscription_delete, push_subscription_save
from notifications.reach import preferences_of, quiet_hours_of, reach_settings_update


class KeysSerializer(serializers.Serializer):
    p256dh = serializers.RegexField(r"^[A-Za-z0-9_-]{80,100}={0,2}$")
    auth = serializers.RegexField(r"^[A-Za-z0-9_-]{16,30}={0,2}$")


class SubscriptionSerializer(serializers.Serializer):
    endpoint = serializers.URLField(max_length=1000)
    keys = KeysSerializer()
    expirationTime = serializers.IntegerField(  # noqa: N815 - the browser's PushSubscription
        required=False, allow_null=True, min_value=0, max_value=10**14
    )


class EndpointSerializer(serializers.Serializer):
    endpoint = serializers.URLField(max_length=1000)


class ChannelsSerializer(serializers.Serializer):
    push = serializers.BooleanField(required=False)
    sms = serializers.BooleanField(required=False)


class QuietSerializer(serializers.Serializer):
    enabled = serializers.BooleanField()
    starts = serializers.TimeField()
    ends = serializers.TimeField()


class ReachSettingsSerializer(serializers.Serializer):
    preferences = serializers.DictField(child=ChannelsSerializer(), required=False, default=dict)
    quiet_hours = QuietSerializer(required=False)

    def validate_preferences(self, value):
        unknown = sorted(set(value) - set(PREFERENCE_KINDS))
        if unknown:
            raise serializers.ValidationError(f"unknown kinds: {', '.join(unknown)}")
        return value


def _settings_body(user_id: int) -> dict:
    quiet = quiet_hours_of(user_id)
    return {
        "preferences": list(preferences_of(user_id).values()),
        "quiet_hours": {
            "enabled": quiet["enabled"],
            "starts": quiet["starts"].strftime("%H:%M"),
            "ends": quiet["ends"].strftime("%H:%M"),
        },
    }


class PushKeyApi(APIView):
    """The VAPID public key a browser subscribes with (empty: push is off)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(responses={200: None})
    def get(self, request):
        return Response({"public_key": settings.VAPID_PUBLIC_KEY})


class PushSubscriptionApi(APIView):
    @extend_schema(request=SubscriptionSerializer, responses={201: None})
    def post(self, request):
        serializer = SubscriptionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        expires_at = None
        if data.get("expirationTime"):
            expires_at = dt.datetime.fromtimestamp(data["expirationTime"] / 1000, tz=dt.UTC)
        subscription = push_subscription_save(
            user_id=request.user.pk,
            endpoint=data["endpoint"],
            p256dh=data["keys"]["p256dh"],
            auth=data["keys"]["auth"],
            user_agent=request.headers.get("User-Agent", ""),
            expires_at=expires_at,
        )
        return Response(
            {"id": subscription.pk, "expires_at": subscription.expires_at},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=EndpointSerializer, responses={204: None})
    def delete(self, request):
        serializer = EndpointSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        push_subscription_delete(
            user_id=request.user.pk, endpoint=serializer.validated_data["endpoint"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReachSettingsApi(APIView):
    """Channels per kind of notification and quiet hours of the signed-in user."""

    @extend_schema(responses={200: None})
    def get(self, request):
        return Response(_settings_body(request.user.pk))

    @extend_schema(request=ReachSettingsSerializer, responses={200: None})
    def put(self, request):
        serializer = ReachSettingsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reach_settings_update(
            user_id=request.user.pk,
            preferences=serializer.validated_data["preferences"],
            quiet=serializer.validated_data.get("quiet_hours"),
        )
        return Response(_settings_body(request.user.pk))
