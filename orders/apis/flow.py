"""Thin views of the request → offer → order flow: check input, call one service, render."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.idempotency import idempotency_key_from
from backend.api.pagination import StandardPagination
from backend.exceptions import NotFound
from marketplace.permissions import IsHousehold, IsWorker
from orders import selectors
from orders.apis.flow_serializers import (
    AttendanceSerializer,
    CancelPreviewSerializer,
    CheckInSerializer,
    DisputeResolveSerializer,
    DisputeSerializer,
    InviteSerializer,
    MatchSerializer,
    NoShowSerializer,
    OfferSerializer,
    OrderDetailSerializer,
    OrderSerializer,
    ReasonSerializer,
    RequestCreateSerializer,
    RequestSerializer,
)
from orders.models import Offer, Order, ServiceRequest
from orders.parties import party_of
from orders.services import attendance, cancellation, disputes
from orders.services import offers as offer_services
from orders.services.cancellation import request_cancel
from orders.services.requests import request_create
from orders.statuses import OfferStatus, OrderStatus

STATUS_PARAMETER = OpenApiParameter("status", str, description="filter by status")


def _truthy(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "yes")


def _request_or_404(request, request_id: int):
    service_request = selectors.request_of_household(user=request.user, request_id=request_id)
    if service_request is None:
        raise NotFound("需求不存在。")
    return service_request


def _render_request(request, request_id: int, http_status=status.HTTP_200_OK) -> Response:
    service_request = _request_or_404(request, request_id)
    return Response(RequestSerializer(service_request).data, status=http_status)


class RequestListCreateApi(GenericAPIView):
    permission_classes = [IsHousehold]
    serializer_class = RequestSerializer
    pagination_class = StandardPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return ServiceRequest.objects.none()
        queryset = selectors.requests_of_household(user=self.request.user)
        if self.request.query_params.get("status"):
            queryset = queryset.filter(status=self.request.query_params["status"])
        return queryset

    @extend_schema(parameters=[STATUS_PARAMETER], responses=RequestSerializer(many=True))
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(RequestSerializer(page, many=True).data)

    @extend_schema(
        request=RequestCreateSerializer,
        parameters=[OpenApiParameter("Idempotency-Key", str, location="header", required=False)],
        responses={201: RequestSerializer, 200: RequestSerializer},
    )
    def post(self, request):
        serializer = RequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        service_request, created = request_create(
            household=request.user,
            data=serializer.to_input(),
            idempotency_key=idempotency_key_from(request),
        )
        return _render_request(
            request,
            service_request.pk,
            http_status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class RequestDetailApi(APIView):
    permission_classes = [IsHousehold]

    @extend_schema(responses=RequestSerializer)
    def get(self, request, request_id: int):
        return _render_request(request, request_id)


class RequestCancelApi(APIView):
    permission_classes = [IsHousehold]

    @extend_schema(request=ReasonSerializer, responses=RequestSerializer)
    def post(self, request, request_id: int):
        _request_or_404(request, request_id)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        request_cancel(
            request_id=request_id, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return _render_request(request, request_id)


class RequestMatchesApi(GenericAPIView):
    """Ranked eligible workers for the household's request, with distance and credentials."""

    permission_classes = [IsHousehold]
    pagination_class = StandardPagination
    serializer_class = MatchSerializer

    def get(self, request, request_id: int):
        service_request = _request_or_404(request, request_id)
        slots = [(o.starts_at, o.ends_at) for o in service_request.occurrences.all()]
        candidates = offer_services.request_matches(service_request=service_request)
        page = self.paginate_queryset(candidates)
        offer_status = selectors.match_cards_prefetch(
            service_request=service_request,
            workers=[candidate.worker for candidate in page],
            slots=slots,
        )
        data = MatchSerializer(page, many=True, context={"offer_status": offer_status}).data
        return self.get_paginated_response(data)


class RequestInviteApi(APIView):
    permission_classes = [IsHousehold]

    @extend_schema(request=InviteSerializer, responses={201: OfferSerializer})
    def post(self, request, request_id: int):
        _request_or_404(request, request_id)
        serializer = InviteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        offer, created = offer_services.offer_invite(
            request_id=request_id,
            household=request.user,
            worker_id=serializer.validated_data["worker"],
        )
        return Response(
            OfferSerializer(offer).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class OfferListApi(GenericAPIView):
    permission_classes = [IsWorker]
    pagination_class = StandardPagination
    serializer_class = OfferSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Offer.objects.none()
        wanted = self.request.query_params.get("status")
        if wanted and wanted not in OfferStatus.values:
            wanted = "-"  # an unknown status matches nothing rather than everything
        return selectors.offers_of_worker(user=self.request.user, status=wanted)

    @extend_schema(parameters=[STATUS_PARAMETER], responses=OfferSerializer(many=True))
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(OfferSerializer(page, many=True).data)


class OfferAcceptApi(APIView):
    permission_classes = [IsWorker]

    @extend_schema(request=None, responses={201: OrderDetailSerializer})
    def post(self, request, offer_id: int):
        order = offer_services.offer_accept(offer_id=offer_id, worker=request.user.worker)
        return _render_order(request, order.pk, http_status=status.HTTP_201_CREATED)


class OfferDeclineApi(APIView):
    permission_classes = [IsWorker]

    @extend_schema(request=ReasonSerializer, responses=OfferSerializer)
    def post(self, request, offer_id: int):
        offer = offer_services.offer_decline(offer_id=offer_id, worker=request.user.worker)
        return Response(OfferSerializer(offer).data)


# ---------------------------------------------------------------------------------------------


def _render_order(request, order_id: int, http_status=status.HTTP_200_OK) -> Response:
    order = selectors.order_detail_of_user(user=request.user, order_id=order_id)
    if order is None:
        raise NotFound("订单不存在。")
    party = party_of(request.user, order)
    context = {"party": party}
    if order.status in cancellation.CANCELLABLE_STATUSES and party:
        context["cancellation"] = cancellation.cancellation_quote(order=order, party=party)
    return Response(OrderDetailSerializer(order, context=context).data, status=http_status)


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
        return selectors.orders_of_user(user=self.request.user, status=wanted)

    @extend_schema(parameters=[STATUS_PARAMETER], responses=OrderSerializer(many=True))
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        data = OrderSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)


class OrderDetailApi(APIView):
    @extend_schema(responses=OrderDetailSerializer)
    def get(self, request, order_id: int):
        return _render_order(request, order_id)


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
        return _render_order(request, order_id)


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
        return _render_order(request, order_id)


class OrderConfirmApi(APIView):
    @extend_schema(request=None, responses=OrderDetailSerializer)
    def post(self, request, order_id: int):
        attendance.order_confirm(order_id=order_id, actor=request.user)
        return _render_order(request, order_id)


class OrderCancelApi(APIView):
    """Cancel with a reason; `?preview=1` only tells what cancelling now would cost."""

    @extend_schema(
        request=ReasonSerializer,
        parameters=[OpenApiParameter("preview", bool, description="only quote the fee")],
        responses={200: OrderDetailSerializer},
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
        return _render_order(request, order_id)


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
        return _render_order(request, order_id)


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
