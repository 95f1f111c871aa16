"""A worker's own household blocks: list and lift (blocking from an order is orders.apis.blocks)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import StandardPagination
from marketplace.models import HouseholdBlock
from marketplace.permissions import IsWorker
from marketplace.selectors import blocks as selectors
from marketplace.services import blocks as services


class BlockOutput(serializers.Serializer):
    id = serializers.IntegerField()
    household = serializers.SerializerMethodField()
    order = serializers.IntegerField(source="order_id", allow_null=True)
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()

    def get_household(self, block) -> dict:
        return {"id": block.household_id, "name": str(block.household)}


class OwnBlocksApi(GenericAPIView):
    permission_classes = [IsWorker]
    # For the schema: a paginated list ({count, next, previous, results}), as answered.
    pagination_class = StandardPagination
    serializer_class = BlockOutput
    queryset = HouseholdBlock.objects.none()

    @extend_schema(responses=BlockOutput(many=True))
    def get(self, request):
        paginator = StandardPagination()
        page = paginator.paginate_queryset(
            selectors.blocks_of_worker(worker=request.user.worker), request, view=self
        )
        return paginator.get_paginated_response(BlockOutput(page, many=True).data)


class OwnBlockDeleteApi(APIView):
    permission_classes = [IsWorker]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, block_id: int):
        services.household_unblock(worker=request.user.worker, block_id=block_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
