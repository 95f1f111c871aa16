"""Thin views of a worker's offers: list (which records the pending ones as seen), accept
(which makes the order), decline."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import StandardPagination
from backend.api.rendering import render_many
from marketplace.permissions import IsWorker
from orders import selectors
from orders.apis.common import STATUS_PARAMETER
from orders.apis.orders import order_response
from orders.apis.serializers.offers import OfferSerializer
from orders.apis.serializers.orders import (
    OrderDetailSerializer,
    ReasonSerializer,
)
from orders.models import Offer
from orders.services import offers as offer_services
from orders.services.transitions import offers_seen_record
from orders.statuses import OfferStatus


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
        offers_seen_record(offers=page, actor=request.user)
        return self.get_paginated_response(render_many(OfferSerializer, page))


class OfferAcceptApi(APIView):
    permission_classes = [IsWorker]

    @extend_schema(request=None, responses={201: OrderDetailSerializer})
    def post(self, request, offer_id: int):
        order = offer_services.offer_accept(offer_id=offer_id, worker=request.user.worker)
        return order_response(request, order.pk, http_status=status.HTTP_201_CREATED)


class OfferDeclineApi(APIView):
    permission_classes = [IsWorker]

    @extend_schema(request=ReasonSerializer, responses=OfferSerializer)
    def post(self, request, offer_id: int):
        offer = offer_services.offer_decline(offer_id=offer_id, worker=request.user.worker)
        return Response(OfferSerializer(offer).data)
