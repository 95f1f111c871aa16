"""The worker's SOS from an order: alert her agency (or operators) with her position."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from orders.services import sos


class PositionInput(serializers.Serializer):
    latitude = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    longitude = serializers.FloatField(
        required=False, allow_null=True, min_value=-180, max_value=180
    )
    accuracy_m = serializers.FloatField(required=False, allow_null=True, min_value=0)


class AlertOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    order = serializers.IntegerField(source="order_id")
    occurrence = serializers.IntegerField(source="occurrence_id", allow_null=True)
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    recipients = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_recipients(self, alert) -> int:
        """How many people were alerted (not who: their ids are staff data)."""
        return len(alert.recipients)


class SosApi(APIView):
    @extend_schema(request=PositionInput, responses={201: AlertOutput})
    def post(self, request, order_id: int):
        data = PositionInput(data=request.data)
        data.is_valid(raise_exception=True)
        alert = sos.safety_sos_raise(order_id=order_id, actor=request.user, **data.validated_data)
        return Response(AlertOutput(alert).data, status=status.HTTP_201_CREATED)
