"""The "my data" API: her summary and archive, her consents, her account deletion; operators
see deletion requests (never anyone's archive: every endpoint here is about the caller)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import StandardPagination
from backend.api.rendering import render_many
from backend.exceptions import ValidationFailed
from marketplace.models import Consent
from marketplace.permissions import IsOperator
from marketplace.services.consents import consent_withdraw
from personal_data import deletion, serializers
from personal_data.archive import archive_response
from personal_data.models import DeletionRequest, DeletionStatus
from personal_data.records import SECTIONS
from personal_data.summary import data_summary


class DataSummaryApi(APIView):
    @extend_schema(responses=serializers.DataSummaryOutput)
    def get(self, request):
        payload = {
            "lines": data_summary(user=request.user),
            "archive_url": reverse("data-archive"),
            "archive_files": [f"{name}.json" for name, _rows in SECTIONS] + ["summary.html"],
        }
        return Response(serializers.DataSummaryOutput(payload).data)


class DataArchiveApi(APIView):
    @extend_schema(
        responses={
            (200, "application/zip"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="a ZIP: manifest.json, one JSON file per kind of record, summary.html",
            )
        }
    )
    def get(self, request):
        return archive_response(request, request.user)


class ConsentListApi(GenericAPIView):
    serializer_class = serializers.ConsentOutput
    pagination_class = StandardPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Consent.objects.none()
        return Consent.objects.filter(user=self.request.user).order_by("-given_at", "-pk")

    @extend_schema(responses=serializers.ConsentOutput(many=True))
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(render_many(serializers.ConsentOutput, page))


class ConsentWithdrawApi(APIView):
    @extend_schema(request=None, responses=serializers.ConsentOutput)
    def post(self, request, consent_id: int):
        consent = consent_withdraw(consent_id=consent_id, user=request.user)
        return Response(serializers.ConsentOutput(consent).data)


def deletion_state(user) -> dict:
    return {
        "pending": deletion.pending_deletion(user=user),
        "latest": DeletionRequest.objects.filter(user=user).first(),
        "blocker": deletion.deletion_blocker(user=user),
        "cooling_off_days": deletion.cooling_off().days,
    }


class AccountDeletionApi(APIView):
    @extend_schema(responses=serializers.DeletionStateOutput)
    def get(self, request):
        return Response(serializers.DeletionStateOutput(deletion_state(request.user)).data)

    @extend_schema(
        request=serializers.DeletionRequestInput, responses={201: serializers.DeletionOutput}
    )
    def post(self, request):
        data = serializers.DeletionRequestInput(data=request.data)
        data.is_valid(raise_exception=True)
        created = deletion.account_deletion_request(
            user=request.user, password=data.validated_data["password"]
        )
        return Response(serializers.DeletionOutput(created).data, status=201)


class AccountDeletionCancelApi(APIView):
    @extend_schema(request=None, responses=serializers.DeletionOutput)
    def post(self, request):
        cancelled = deletion.account_deletion_cancel(user=request.user)
        return Response(serializers.DeletionOutput(cancelled).data)


class OperatorDeletionListApi(GenericAPIView):
    """Deletion requests for support: status and dates, no one's data."""

    permission_classes = [IsOperator]
    serializer_class = serializers.OperatorDeletionOutput
    pagination_class = StandardPagination

    def get_queryset(self):
        queryset = DeletionRequest.objects.order_by("-requested_at", "-pk")
        status = self.request.query_params.get("status")
        if status and status not in DeletionStatus.values:
            raise ValidationFailed(_("未知的状态。"), field="status")
        return queryset.filter(status=status) if status else queryset

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=DeletionStatus.values, required=False)],
        responses=serializers.OperatorDeletionOutput(many=True),
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(render_many(serializers.OperatorDeletionOutput, page))
