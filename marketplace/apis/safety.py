"""Trust and safety API (issue 8): service cards, start codes, SOS, blocks, reliability and
appeals, career record. Thin views: check input, call one service, render."""

from __future__ import annotations

from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import StandardPagination
from backend.exceptions import NotFound, PermissionDeniedError
from marketplace.models import (
    HouseholdBlock,
    ReliabilityAppeal,
    Role,
    ServiceCard,
    WorkerProfile,
)
from marketplace.permissions import IsWorker
from marketplace.selectors import safety as selectors
from marketplace.selectors.ranking import reliability
from marketplace.services import safety as services
from orders import selectors as order_selectors
from orders.services import blocks, career, sos, start_codes

# --- shapes ---------------------------------------------------------------------------------


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


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class PhotoInput(serializers.Serializer):
    photo = serializers.FileField()


class StartCodeOutput(serializers.Serializer):
    order = serializers.IntegerField(source="order_id")
    occurrence = serializers.IntegerField(source="occurrence_id", allow_null=True)
    code = serializers.CharField()
    failed_attempts = serializers.IntegerField()
    locked_until = serializers.DateTimeField(allow_null=True)
    regenerated_at = serializers.DateTimeField(allow_null=True)


class PositionInput(serializers.Serializer):
    latitude = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    longitude = serializers.FloatField(
        required=False, allow_null=True, min_value=-180, max_value=180
    )
    accuracy_m = serializers.FloatField(required=False, allow_null=True, min_value=0)


class AlertOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    order = serializers.IntegerField(source="order_id")
    occurrence = serializers.IntegerField(source="occurrence_id", allow_null=True)
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    recipients = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_recipients(self, alert) -> int:
        """How many people were alerted (not who: their ids are staff data)."""
        return len(alert.recipients)


class BlockOutput(serializers.Serializer):
    id = serializers.IntegerField()
    household = serializers.SerializerMethodField()
    order = serializers.IntegerField(source="order_id", allow_null=True)
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()

    def get_household(self, block) -> dict:
        return {"id": block.household_id, "name": str(block.household)}


class AppealOutput(serializers.ModelSerializer):
    worker = serializers.SerializerMethodField()
    agency = serializers.SerializerMethodField()
    order = serializers.IntegerField(source="order_id")

    class Meta:
        model = ReliabilityAppeal
        fields = [
            "id",
            "worker",
            "agency",
            "order",
            "incident",
            "reason",
            "status",
            "decision_note",
            "decided_at",
            "created_at",
        ]

    def get_worker(self, appeal) -> dict:
        return {"id": appeal.worker_id, "name": appeal.worker.real_name}

    def get_agency(self, appeal) -> str | None:
        return appeal.agency.name if appeal.agency_id else None


class AppealInput(serializers.Serializer):
    order = serializers.IntegerField(min_value=1)
    incident = serializers.ChoiceField(choices=["no_show", "late_cancellation"])
    reason = serializers.CharField(max_length=1000)


class AppealDecideInput(serializers.Serializer):
    upheld = serializers.BooleanField()
    note = serializers.CharField(max_length=1000)


# --- cards ----------------------------------------------------------------------------------


def card_view_data(card: ServiceCard, request) -> dict:
    """What anyone may see on a card: name, photo, agency, colour; nothing else personal."""
    from django.utils import timezone

    from marketplace.selectors.safety import card_token

    worker = card.worker
    state = selectors.card_status(worker=worker)
    agency = selectors.current_agency(worker=worker)
    token = card_token(card)
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


# --- start code, SOS, block -----------------------------------------------------------------


class StartCodeApi(APIView):
    """The household's start code for the next visit (204 when no visit awaits check-in)."""

    @extend_schema(responses={200: StartCodeOutput, 204: None})
    def get(self, request, order_id: int):
        code = start_codes.start_code_current(order_id=order_id, user=request.user)
        if code is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(StartCodeOutput(code).data)


class StartCodeRegenerateApi(APIView):
    @extend_schema(request=None, responses=StartCodeOutput)
    def post(self, request, order_id: int):
        code = start_codes.start_code_regenerate(order_id=order_id, user=request.user)
        return Response(StartCodeOutput(code).data)


class SosApi(APIView):
    @extend_schema(request=PositionInput, responses={201: AlertOutput})
    def post(self, request, order_id: int):
        data = PositionInput(data=request.data)
        data.is_valid(raise_exception=True)
        alert = sos.safety_sos_raise(order_id=order_id, actor=request.user, **data.validated_data)
        return Response(AlertOutput(alert).data, status=status.HTTP_201_CREATED)


class BlockHouseholdApi(APIView):
    @extend_schema(request=ReasonInput, responses={201: BlockOutput, 200: BlockOutput})
    def post(self, request, order_id: int):
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        block, created = blocks.worker_block_household(
            order_id=order_id, actor=request.user, reason=data.validated_data["reason"]
        )
        return Response(BlockOutput(block).data, status=status.HTTP_201_CREATED if created else 200)


class OwnBlocksApi(GenericAPIView):
    permission_classes = [IsWorker]
    # For the schema: a paginated list ({count, next, previous, results}), as answered.
    pagination_class = StandardPagination
    serializer_class = BlockOutput
    queryset = HouseholdBlock.objects.none()

    @extend_schema(responses=BlockOutput(many=True))
    def get(self, request):
        paginator = StandardPagination()
        page = paginator.paginate_queryset(
            selectors.blocks_of_worker(worker=request.user.worker), request, view=self
        )
        return paginator.get_paginated_response(BlockOutput(page, many=True).data)


class OwnBlockDeleteApi(APIView):
    permission_classes = [IsWorker]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, block_id: int):
        services.household_unblock(worker=request.user.worker, block_id=block_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- reliability and appeals ----------------------------------------------------------------


def reliability_report(worker: WorkerProfile) -> dict:
    """Her score from ranking.reliability and the incidents behind it, with any appeal."""
    incidents = order_selectors.worker_incidents(worker_id=worker.pk)
    appeals = {(a.order_id, a.incident): a for a in selectors.appeals_of_worker(worker=worker)}
    return {
        "score": round(
            reliability(worker.completed_jobs, worker.no_shows, worker.late_cancellations), 3
        ),
        "completed_jobs": worker.completed_jobs,
        "no_shows": worker.no_shows,
        "late_cancellations": worker.late_cancellations,
        "incidents": [
            {
                "kind": incident.kind,
                "order": incident.order_id,
                "at": incident.at,
                "category_name": incident.category_name,
                "appeal": (
                    {
                        "id": appeal.pk,
                        "status": appeal.status,
                        "decision_note": appeal.decision_note,
                    }
                    if (appeal := appeals.get((incident.order_id, incident.kind)))
                    else None
                ),
            }
            for incident in incidents
        ],
    }


ReliabilityOutput = inline_serializer(
    "ReliabilityReport",
    {
        "score": serializers.FloatField(),
        "completed_jobs": serializers.IntegerField(),
        "no_shows": serializers.IntegerField(),
        "late_cancellations": serializers.IntegerField(),
        "incidents": serializers.ListField(child=serializers.DictField()),
    },
)


class OwnReliabilityApi(APIView):
    permission_classes = [IsWorker]

    @extend_schema(responses=ReliabilityOutput)
    def get(self, request):
        worker = WorkerProfile.objects.get(pk=request.user.worker.pk)
        return Response(reliability_report(worker))


class OwnAppealsApi(APIView):
    permission_classes = [IsWorker]

    @extend_schema(responses=AppealOutput(many=True))
    def get(self, request):
        paginator = StandardPagination()
        page = paginator.paginate_queryset(
            selectors.appeals_of_worker(worker=request.user.worker), request, view=self
        )
        return paginator.get_paginated_response(AppealOutput(page, many=True).data)

    @extend_schema(request=AppealInput, responses={201: AppealOutput})
    def post(self, request):
        data = AppealInput(data=request.data)
        data.is_valid(raise_exception=True)
        worker = request.user.worker
        appeal = services.appeal_create(
            worker=worker,
            order_id=data.validated_data["order"],
            incident=data.validated_data["incident"],
            reason=data.validated_data["reason"],
            incidents=order_selectors.worker_incidents(worker_id=worker.pk),
        )
        return Response(AppealOutput(appeal).data, status=status.HTTP_201_CREATED)


def _require_decider(user) -> None:
    if user.role != Role.AGENCY_STAFF and not user.is_operator:
        raise PermissionDeniedError(_("只有家政企业或平台可以处理申诉。"))


class AppealsToDecideApi(GenericAPIView):
    # For the schema: a paginated list ({count, next, previous, results}), as answered.
    pagination_class = StandardPagination
    serializer_class = AppealOutput
    queryset = ReliabilityAppeal.objects.none()

    @extend_schema(responses=AppealOutput(many=True))
    def get(self, request):
        _require_decider(request.user)
        queryset = selectors.appeals_to_decide(user=request.user)
        if request.query_params.get("status"):
            queryset = queryset.filter(status=request.query_params["status"])
        paginator = StandardPagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(AppealOutput(page, many=True).data)


class AppealDecideApi(APIView):
    @extend_schema(request=AppealDecideInput, responses=AppealOutput)
    def post(self, request, appeal_id: int):
        _require_decider(request.user)
        data = AppealDecideInput(data=request.data)
        data.is_valid(raise_exception=True)
        appeal = services.appeal_decide(
            appeal_id=appeal_id,
            actor=request.user,
            upheld=data.validated_data["upheld"],
            note=data.validated_data["note"],
        )
        return Response(AppealOutput(appeal).data)


# --- career record --------------------------------------------------------------------------

CareerOutput = inline_serializer("CareerRecord", {"record": serializers.DictField()})
ShareOutput = inline_serializer(
    "CareerShareLink", {"url": serializers.CharField(), "expires_at": serializers.DateTimeField()}
)


class OwnCareerApi(APIView):
    permission_classes = [IsWorker]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        record = career.career_record(worker=request.user.worker)
        return Response(career.career_as_dict(record))


class OwnCareerShareApi(APIView):
    permission_classes = [IsWorker]

    @extend_schema(request=None, responses={201: ShareOutput})
    def post(self, request):
        token, expires_at = career.career_share_token(worker=request.user.worker)
        url = request.build_absolute_uri(reverse("web:career-shared", args=[token]))
        return Response({"url": url, "expires_at": expires_at}, status=status.HTTP_201_CREATED)


class SharedCareerApi(APIView):
    """A shared record, for agency staff and operators only (404 `share_invalid` /
    410 `share_expired` for a bad link)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, token: str):
        if request.user.role != Role.AGENCY_STAFF and not request.user.is_operator:
            raise NotFound(_("分享链接无效。"), code="share_invalid")
        worker, problem = career.career_worker_from_token(token)
        if problem == "expired":
            return Response(
                {"code": "share_expired", "detail": _("分享链接已过期。")},
                status=status.HTTP_410_GONE,
            )
        if worker is None:
            raise NotFound(_("分享链接无效。"), code="share_invalid")
        return Response(career.career_as_dict(career.career_record(worker=worker)))


def card_photo_response(card: ServiceCard):
    return FileResponse(card.photo.open("rb"), content_type=_photo_type(card.photo.name))


def _photo_type(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower()
    return {"png": "image/png", "webp": "image/webp"}.get(extension, "image/jpeg")
