"""Thin views of 抢单大厅: the open requests near a worker, taking or applying for one, and
the household's applications and instant-accept switch."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import StandardPagination
from backend.exceptions import NotFound
from marketplace.permissions import IsHousehold, IsWorker
from orders import selectors
from orders.apis.orders import order_response
from orders.apis.serializers.open_board import (
    BoardRequestSerializer,
    HouseholdApplicationSerializer,
    InstantAcceptSerializer,
    TakeResultSerializer,
    WorkerApplicationSerializer,
)
from orders.apis.serializers.orders import OrderDetailSerializer
from orders.apis.serializers.requests import RequestSerializer
from orders.models import RequestApplication, ServiceRequest
from orders.selectors_open_board import applications_of_request, open_board_for_worker
from orders.services.open_board import (
    application_accept,
    open_request_take,
    request_instant_accept_set,
)


class OpenBoardApi(GenericAPIView):
    """Open requests she may serve within her reach, soonest first (no household, no address)."""

    queryset = ServiceRequest.objects.none()  # for the schema; reads go through selectors
    permission_classes = [IsWorker]
    pagination_class = StandardPagination
    serializer_class = BoardRequestSerializer

    @extend_schema(responses=BoardRequestSerializer(many=True))
    def get(self, request):
        board = open_board_for_worker(worker=request.user.worker)
        page = self.paginate_queryset(board)
        return self.get_paginated_response(BoardRequestSerializer(page, many=True).data)


class OpenRequestTakeApi(APIView):
    """Take the request at once where the household allowed it (201 with the order), else
    apply for it (201 with the application); 409 `taken` when another accept won."""

    permission_classes = [IsWorker]

    @extend_schema(request=None, responses={201: TakeResultSerializer})
    def post(self, request, request_id: int):
        order, application = open_request_take(worker=request.user.worker, request_id=request_id)
        data = {
            "result": "order" if order else "application",
            "order": order.pk if order else None,
            "application": WorkerApplicationSerializer(application).data if application else None,
        }
        return Response(data, status=status.HTTP_201_CREATED)


def _own_request(request, request_id: int):
    service_request = selectors.request_of_household(user=request.user, request_id=request_id)
    if service_request is None:
        raise NotFound("需求不存在。")
    return service_request


class RequestApplicationListApi(GenericAPIView):
    permission_classes = [IsHousehold]
    pagination_class = StandardPagination
    serializer_class = HouseholdApplicationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RequestApplication.objects.none()
        service_request = _own_request(self.request, self.kwargs["request_id"])
        return applications_of_request(service_request=service_request)

    @extend_schema(responses=HouseholdApplicationSerializer(many=True))
    def get(self, request, request_id: int):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(HouseholdApplicationSerializer(page, many=True).data)


class RequestApplicationAcceptApi(APIView):
    permission_classes = [IsHousehold]

    @extend_schema(request=None, responses={201: OrderDetailSerializer})
    def post(self, request, request_id: int, request_application_id: int):
        order = application_accept(
            household=request.user, request_id=request_id, application_id=request_application_id
        )
        return order_response(request, order.pk, http_status=status.HTTP_201_CREATED)


class RequestInstantAcceptApi(APIView):
    permission_classes = [IsHousehold]

    @extend_schema(request=InstantAcceptSerializer, responses=RequestSerializer)
    def post(self, request, request_id: int):
        serializer = InstantAcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        request_instant_accept_set(
            household=request.user,
            request_id=request_id,
            allowed=serializer.validated_data["allowed"],
        )
        service_request = _own_request(request, request_id)
        return Response(RequestSerializer(service_request).data)
