"""Reliability appeals as her agency (or an operator) sees them: the list to decide, and the
decision (a worker's own appeals are orders.apis.reliability, beside her incidents)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import StandardPagination
from backend.exceptions import PermissionDeniedError
from marketplace.models import ReliabilityAppeal, Role
from marketplace.selectors import appeals as selectors
from marketplace.services import appeals as services


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


class AppealDecideInput(serializers.Serializer):
    upheld = serializers.BooleanField()
    note = serializers.CharField(max_length=1000)


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
