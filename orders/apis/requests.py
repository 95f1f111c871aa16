"""Thin views of service requests: list and create, detail, cancel, matches, invitations."""

from __future__ import annotations

from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.idempotency import idempotency_key_from
from backend.api.pagination import StandardPagination
from backend.api.rendering import render_many, render_one
from backend.exceptions import NotFound
from marketplace.permissions import IsHousehold
from orders import selectors
from orders.apis.common import STATUS_PARAMETER
from orders.apis.serializers.offers import OfferSerializer
from orders.apis.serializers.orders import (
    ReasonSerializer,
)
from orders.apis.serializers.requests import (
    InviteSerializer,
    MatchSerializer,
    RequestCreateSerializer,
    RequestSerializer,
)
from orders.models import ServiceRequest
from orders.services import offers as offer_services
from orders.services.cancellation import request_cancel
from orders.services.requests import request_create


def _request_or_404(request, request_id: int):
    service_request = selectors.request_of_household(user=request.user, request_id=request_id)
    if service_request is None:
        raise NotFound(gettext("需求不存在。"))
    return service_request


def _render_request(request, request_id: int, http_status=status.HTTP_200_OK) -> Response:
    service_request = _request_or_404(request, request_id)
    return Response(render_one(RequestSerializer, service_request), status=http_status)


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
        return self.get_paginated_response(render_many(RequestSerializer, page))

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
    queryset = ServiceRequest.objects.none()  # for the schema; reads go through selectors

    @extend_schema(responses=MatchSerializer(many=True))
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
