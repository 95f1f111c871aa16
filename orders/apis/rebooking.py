"""Thin views of booking her again: a household's favourites, "再约一次" from a finished order,
and the households that asked a worker again."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.idempotency import idempotency_key_from
from backend.api.pagination import StandardPagination
from marketplace.permissions import IsHousehold, IsWorker
from orders.apis.serializers.rebooking import (
    AskedAgainSerializer,
    FavouriteCreateSerializer,
    FavouriteSerializer,
    RebookSerializer,
)
from orders.apis.serializers.requests import RequestSerializer
from orders.models import AskedAgain, FavouriteWorker
from orders.selectors import request_of_household
from orders.selectors_rebooking import asked_again_of_worker, favourites_of_household
from orders.services.rebooking import favourite_add, favourite_remove, request_rebook


class FavouriteListCreateApi(GenericAPIView):
    """The household's favourite workers (收藏); add one who has served it."""

    permission_classes = [IsHousehold]
    pagination_class = StandardPagination
    serializer_class = FavouriteSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return FavouriteWorker.objects.none()
        return favourites_of_household(user=self.request.user)

    @extend_schema(responses=FavouriteSerializer(many=True))
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(FavouriteSerializer(page, many=True).data)

    @extend_schema(
        request=FavouriteCreateSerializer,
        responses={201: FavouriteSerializer, 200: FavouriteSerializer},
    )
    def post(self, request):
        serializer = FavouriteCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        favourite, created = favourite_add(
            household=request.user, worker_id=serializer.validated_data["worker"]
        )
        shown = self.get_queryset().get(pk=favourite.pk)
        return Response(
            FavouriteSerializer(shown).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class FavouriteDeleteApi(APIView):
    permission_classes = [IsHousehold]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, worker_id: int):
        favourite_remove(household=request.user, worker_id=worker_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class OrderRebookApi(APIView):
    """ "再约一次": a new request like this finished order's, offered first to its worker alone;
    if she declines or does not answer in time, the request goes on to normal matching."""

    permission_classes = [IsHousehold]

    @extend_schema(
        request=RebookSerializer,
        parameters=[OpenApiParameter("Idempotency-Key", str, location="header", required=False)],
        responses={201: RequestSerializer, 200: RequestSerializer},
    )
    def post(self, request, order_id: int):
        serializer = RebookSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        service_request, created = request_rebook(
            household=request.user,
            order_id=order_id,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            budget=data.get("budget"),
            description=data.get("description"),
            idempotency_key=idempotency_key_from(request),
        )
        shown = request_of_household(user=request.user, request_id=service_request.pk)
        return Response(
            RequestSerializer(shown).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class AskedAgainListApi(GenericAPIView):
    """The households that booked this worker again, most recent first."""

    permission_classes = [IsWorker]
    pagination_class = StandardPagination
    serializer_class = AskedAgainSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AskedAgain.objects.none()
        return asked_again_of_worker(worker=self.request.user.worker)

    @extend_schema(responses=AskedAgainSerializer(many=True))
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(AskedAgainSerializer(page, many=True).data)
