"""A worker's reliability: her score and the incidents behind it, and her appeals against them."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import StandardPagination
from marketplace.apis.appeals import AppealOutput
from marketplace.models import WorkerProfile
from marketplace.permissions import IsWorker
from marketplace.selectors import appeals as selectors
from marketplace.selectors.ranking import reliability
from marketplace.services import appeals as services
from orders import selectors as order_selectors
from orders.apis.common import paginated


class AppealInput(serializers.Serializer):
    order = serializers.IntegerField(min_value=1)
    incident = serializers.ChoiceField(choices=["no_show", "late_cancellation"])
    reason = serializers.CharField(max_length=1000)


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
    pagination_class = StandardPagination

    @extend_schema(responses=AppealOutput(many=True))
    def get(self, request):
        queryset = selectors.appeals_of_worker(worker=request.user.worker)
        return paginated(self, request, queryset, AppealOutput)

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
