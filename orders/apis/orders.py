"""Thin views of orders: list, detail, check-in, complete, confirm, cancel, no-show, disputes."""

from __future__ import annotations

from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import StandardPagination
from backend.api.rendering import render_many, render_one
from backend.exceptions import NotFound
from orders import selectors
from orders.apis.common import STATUS_PARAMETER
from orders.apis.serializers.orders import (
    AttendanceSerializer,
    CancelPreviewSerializer,
    CheckInSerializer,
    DisputeResolveSerializer,
    DisputeSerializer,
    NoShowSerializer,
    OrderDetailSerializer,
    OrderSerializer,
    ReasonSerializer,
)
from orders.models import Order
from orders.parties import party_of
from orders.services import attendance, cancellation, disputes
from orders.statuses import OrderStatus


def _truthy(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "yes")


def order_response(request, order_id: int, http_status=status.HTTP_200_OK) -> Response:
    order = selectors.order_detail_of_user(user=request.user, order_id=order_id)
    if order is None:
        raise NotFound(gettext("订单不存在。"))
    party = party_of(request.user, order)
    context = {"party": party}
    if order.status in cancellation.CANCELLABLE_STATUSES and party:
        context["cancellation"] = cancellation.cancellation_quote(order=order, party=party)
    return Response(render_one(OrderDetailSerializer, order, context), status=http_status)


class OrderListApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    pagination_class = StandardPagination
    serializer_class = OrderSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Order.objects.none()
        wanted = self.request.query_params.get("status")
        if wanted and wanted not in OrderStatus.values:
            wanted = "-"
        return selectors.order_list_of_user(user=self.request.user, status=wanted)

    @extend_schema(parameters=[STATUS_PARAMETER], responses=OrderSerializer(many=True))
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        data = render_many(OrderSerializer, page, {"request": request})
        return self.get_paginated_response(data)


class OrderDetailApi(APIView):
    @extend_schema(responses=OrderDetailSerializer)
    def get(self, request, order_id: int):
        return order_response(request, order_id)


class OrderCheckInApi(APIView):
    """The worker checks in; on a recurring order, to one visit (`occurrence`, default the
    visit due now)."""

    @extend_schema(request=CheckInSerializer, responses=OrderDetailSerializer)
    def post(self, request, order_id: int):
        serializer = CheckInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attendance.order_check_in(
            order_id=order_id,
            actor=request.user,
            occurrence_id=serializer.validated_data.get("occurrence"),
            start_code=serializer.validated_data.get("start_code"),
            latitude=serializer.validated_data.get("latitude"),
            longitude=serializer.validated_data.get("longitude"),
        )
        return order_response(request, order_id)


class OrderCompleteApi(APIView):
    """The worker checks out; a recurring order awaits confirmation after its last visit."""

    @extend_schema(request=AttendanceSerializer, responses=OrderDetailSerializer)
    def post(self, request, order_id: int):
        serializer = AttendanceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attendance.order_complete(
            order_id=order_id,
            actor=request.user,
            occurrence_id=serializer.validated_data.get("occurrence"),
        )
        return order_response(request, order_id)


class OrderConfirmApi(APIView):
    @extend_schema(request=None, responses=OrderDetailSerializer)
    def post(self, request, order_id: int):
        attendance.order_confirm(order_id=order_id, actor=request.user)
        return order_response(request, order_id)


class OrderCancelApi(APIView):
    """Cancel with a reason; `?preview=1` only tells what cancelling now would cost."""

    @extend_schema(
        request=ReasonSerializer,
        parameters=[OpenApiParameter("preview", bool, description="only quote the fee")],
        # The cancelled order, or with ?preview=1 the quote: the schema names both.
        responses={
            200: PolymorphicProxySerializer(
                component_name="OrderCancelAnswer",
                serializers=[OrderDetailSerializer, CancelPreviewSerializer],
                resource_type_field_name=None,
            )
        },
    )
    def post(self, request, order_id: int):
        if _truthy(request.query_params.get("preview")):
            quote = cancellation.order_cancel_preview(order_id=order_id, actor=request.user)
            return Response(CancelPreviewSerializer(quote).data)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cancellation.order_cancel(
            order_id=order_id, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return order_response(request, order_id)


class OrderNoShowApi(APIView):
    @extend_schema(request=NoShowSerializer, responses=OrderDetailSerializer)
    def post(self, request, order_id: int):
        serializer = NoShowSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cancellation.order_report_no_show(
            order_id=order_id,
            actor=request.user,
            absent_party=serializer.validated_data["party"],
            reason=serializer.validated_data["reason"],
        )
        return order_response(request, order_id)


class OrderDisputeApi(APIView):
    @extend_schema(request=ReasonSerializer, responses={201: DisputeSerializer})
    def post(self, request, order_id: int):
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        dispute = disputes.order_dispute_open(
            order_id=order_id, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(DisputeSerializer(dispute).data, status=status.HTTP_201_CREATED)


class OrderDisputeResolveApi(APIView):
    @extend_schema(request=DisputeResolveSerializer, responses=DisputeSerializer)
    def post(self, request, order_id: int):
        serializer = DisputeResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        dispute = disputes.order_dispute_resolve(
            order_id=order_id, actor=request.user, **serializer.validated_data
        )
        return Response(DisputeSerializer(dispute).data)
