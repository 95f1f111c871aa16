"""The worker blocks the household of one of her orders."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.apis.blocks import BlockOutput
from marketplace.serializers import ReasonInput
from orders.services import blocks


class BlockHouseholdApi(APIView):
    @extend_schema(request=ReasonInput, responses={201: BlockOutput, 200: BlockOutput})
    def post(self, request, order_id: int):
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        block, created = blocks.worker_block_household(
            order_id=order_id, actor=request.user, reason=data.validated_data["reason"]
        )
        return Response(BlockOutput(block).data, status=status.HTTP_201_CREATED if created else 200)
