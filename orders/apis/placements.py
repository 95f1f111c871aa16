"""Thin view of replacing the worker of a long-term placement."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from orders.apis.serializers.placements import ReplaceInput, ReplaceOutput
from orders.services import placements


class PlacementReplaceApi(APIView):
    @extend_schema(request=ReplaceInput, responses=ReplaceOutput)
    def post(self, request, order_id: int):
        data = ReplaceInput(data=request.data)
        data.is_valid(raise_exception=True)
        order = placements.placement_replace(
            order_id=order_id, user=request.user, reason=data.validated_data["reason"]
        )
        service_request = order.request
        service_request.refresh_from_db()
        return Response(
            {
                "order": {
                    "id": order.pk,
                    "status": order.status,
                    "settlement_amount": order.settlement_amount,
                },
                "request": {
                    "id": service_request.pk,
                    "status": service_request.status,
                    "starts_at": service_request.starts_at,
                    "ends_at": service_request.ends_at,
                },
            }
        )
