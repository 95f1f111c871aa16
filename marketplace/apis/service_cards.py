"""The service card: public check by QR, the worker's own card and photo, revoke and reissue
by her agency. Thin views: check input, call one service, render."""

from __future__ import annotations

from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.exceptions import NotFound
from marketplace.models import ServiceCard
from marketplace.permissions import IsWorker
from marketplace.selectors import agencies as agency_selectors
from marketplace.selectors import service_cards as selectors
from marketplace.serializers import ReasonInput
from marketplace.services import service_cards as services


class PublicCardOutput(serializers.Serializer):
    valid = serializers.BooleanField()
    name = serializers.CharField()
    photo_url = serializers.CharField(allow_null=True)
    agency = serializers.CharField(allow_null=True)
    status = serializers.CharField(help_text="green | yellow | red")
    reasons = serializers.ListField(child=serializers.CharField())
    checked_at = serializers.DateTimeField()


class OwnCardOutput(PublicCardOutput):
    token = serializers.CharField()
    url = serializers.CharField()
    version = serializers.IntegerField()
    is_revoked = serializers.BooleanField()


class PhotoInput(serializers.Serializer):
    photo = serializers.FileField()


def card_view_data(card: ServiceCard, request) -> dict:
    """What anyone may see on a card: name, photo, agency, colour; nothing else personal."""
    worker = card.worker
    state = selectors.card_status(worker=worker)
    agency = agency_selectors.current_agency(worker=worker)
    token = selectors.card_token(card)
    photo = (
        request.build_absolute_uri(reverse("web:card-photo", args=[token])) if card.photo else None
    )
    return {
        "valid": True,
        "name": worker.real_name,
        "photo_url": photo,
        "agency": agency.name if agency else None,
        "status": state.colour,
        "reasons": [str(reason) for reason in state.reasons],
        "checked_at": timezone.now(),
    }


class PublicCardApi(APIView):
    """Anyone who scans the QR: the card, or 404 `card_invalid` when forged or revoked."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(responses=PublicCardOutput)
    def get(self, request, token: str):
        card = selectors.card_from_token(token)
        if card is None:
            raise NotFound(_("此服务证无效或已被吊销。"), code="card_invalid")
        return Response(PublicCardOutput(card_view_data(card, request)).data)


def own_card_data(card: ServiceCard, request) -> dict:
    token = selectors.card_token(card)
    data = card_view_data(card, request)
    data.update(
        {
            "valid": not card.is_revoked,
            "token": token,
            "url": request.build_absolute_uri(reverse("web:card", args=[token])),
            "version": card.version,
            "is_revoked": card.is_revoked,
        }
    )
    return data


class OwnCardApi(APIView):
    permission_classes = [IsWorker]

    @extend_schema(responses=OwnCardOutput)
    def get(self, request):
        card = services.service_card_ensure(worker=request.user.worker)
        return Response(OwnCardOutput(own_card_data(card, request)).data)


class OwnCardPhotoApi(APIView):
    permission_classes = [IsWorker]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": PhotoInput}, responses=OwnCardOutput)
    def post(self, request):
        card = services.service_card_photo_set(
            worker=request.user.worker, upload=request.FILES.get("photo")
        )
        return Response(OwnCardOutput(own_card_data(card, request)).data)


class CardRevokeApi(APIView):
    """Her agency's staff or an operator revoke the card (every issued QR stops working)."""

    @extend_schema(request=ReasonInput, responses=OwnCardOutput)
    def post(self, request, worker_id: int):
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        card = services.service_card_revoke(
            worker_id=worker_id, actor=request.user, reason=data.validated_data["reason"]
        )
        return Response(OwnCardOutput(own_card_data(card, request)).data)


class CardReissueApi(APIView):
    @extend_schema(request=None, responses=OwnCardOutput)
    def post(self, request, worker_id: int):
        card = services.service_card_reissue(worker_id=worker_id, actor=request.user)
        return Response(OwnCardOutput(own_card_data(card, request)).data)


def card_photo_response(card: ServiceCard):
    return FileResponse(card.photo.open("rb"), content_type=_photo_type(card.photo.name))


def _photo_type(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower()
    return {"png": "image/png", "webp": "image/webp"}.get(extension, "image/jpeg")
