"""Thin views of time off (请假): the worker's own days off, and the agency's booked visits
whose worker is on leave then (a substitute is needed)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import StandardPagination
from marketplace.apis.agencies import AgencyApi
from marketplace.models import TimeOff
from marketplace.permissions import IsWorker
from orders.apis.serializers.time_off import (
    SubstituteNeededSerializer,
    TimeOffCreatedSerializer,
    TimeOffCreateSerializer,
    TimeOffSerializer,
)
from orders.models import Occurrence
from orders.selectors_time_off import substitutes_needed_of_agency, time_off_of_worker
from orders.services.time_off import time_off_add, time_off_remove


class TimeOffListCreateApi(GenericAPIView):
    """Her time off that has not ended yet, soonest first; add days off."""

    permission_classes = [IsWorker]
    pagination_class = StandardPagination
    serializer_class = TimeOffSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return TimeOff.objects.none()
        return time_off_of_worker(worker=self.request.user.worker)

    @extend_schema(responses=TimeOffSerializer(many=True))
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(TimeOffSerializer(page, many=True).data)

    @extend_schema(request=TimeOffCreateSerializer, responses={201: TimeOffCreatedSerializer})
    def post(self, request):
        serializer = TimeOffCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        time_off, visits = time_off_add(worker=request.user.worker, **serializer.validated_data)
        data = TimeOffCreatedSerializer(time_off, context={"visits": visits}).data
        return Response(data, status=status.HTTP_201_CREATED)


class TimeOffDeleteApi(APIView):
    permission_classes = [IsWorker]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, time_off_id: int):
        time_off_remove(worker=request.user.worker, time_off_id=time_off_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SubstitutesNeededApi(AgencyApi):
    """Booked visits of the agency's orders whose worker is on leave then, soonest first."""

    queryset = Occurrence.objects.none()  # for the schema; reads go through selectors
    serializer_class = SubstituteNeededSerializer

    @extend_schema(responses=SubstituteNeededSerializer(many=True))
    def get(self, request, agency_id: int | None = None):
        queryset = substitutes_needed_of_agency(agency=self.agency())
        return self.paginated(queryset, SubstituteNeededSerializer)
