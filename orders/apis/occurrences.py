"""Thin views of occurrences (the visits of a request): list, move, cancel."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import StandardPagination
from orders.apis.common import paginated
from orders.apis.serializers.occurrences import (
    OccurrenceCancelInput,
    OccurrenceMoveInput,
    OccurrenceOutput,
)
from orders.services import occurrences


class RequestOccurrencesApi(APIView):
    pagination_class = StandardPagination

    @extend_schema(responses=OccurrenceOutput(many=True))
    def get(self, request, request_id: int):
        queryset = occurrences.occurrences_for_user(request_id=request_id, user=request.user)
        return paginated(self, request, queryset, OccurrenceOutput)


class OccurrenceMoveApi(APIView):
    @extend_schema(request=OccurrenceMoveInput, responses=OccurrenceOutput)
    def post(self, request, occurrence_id: int):
        data = OccurrenceMoveInput(data=request.data)
        data.is_valid(raise_exception=True)
        occurrence = occurrences.occurrence_move(
            occurrence_id=occurrence_id, user=request.user, **data.validated_data
        )
        return Response(OccurrenceOutput(occurrence).data)


class OccurrenceCancelApi(APIView):
    @extend_schema(request=OccurrenceCancelInput, responses=OccurrenceOutput(many=True))
    def post(self, request, occurrence_id: int):
        data = OccurrenceCancelInput(data=request.data)
        data.is_valid(raise_exception=True)
        cancelled = occurrences.occurrence_cancel(
            occurrence_id=occurrence_id, user=request.user, **data.validated_data
        )
        return Response({"cancelled": OccurrenceOutput(cancelled, many=True).data})
