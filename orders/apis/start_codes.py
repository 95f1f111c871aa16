"""The household's start code for the next visit, and a new one on demand."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from orders.services import start_codes


class StartCodeOutput(serializers.Serializer):
    order = serializers.IntegerField(source="order_id")
    occurrence = serializers.IntegerField(source="occurrence_id", allow_null=True)
    code = serializers.CharField()
    failed_attempts = serializers.IntegerField()
    locked_until = serializers.DateTimeField(allow_null=True)
    regenerated_at = serializers.DateTimeField(allow_null=True)


class StartCodeApi(APIView):
    """The household's start code for the next visit (204 when no visit awaits check-in)."""

    @extend_schema(responses={200: StartCodeOutput, 204: None})
    def get(self, request, order_id: int):
        code = start_codes.start_code_current(order_id=order_id, user=request.user)
        if code is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(StartCodeOutput(code).data)


class StartCodeRegenerateApi(APIView):
    @extend_schema(request=None, responses=StartCodeOutput)
    def post(self, request, order_id: int):
        code = start_codes.start_code_regenerate(order_id=order_id, user=request.user)
        return Response(StartCodeOutput(code).data)
