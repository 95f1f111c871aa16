"""The signed-in user (`me/`), the worker's own profile, and worker cards."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.rendering import render_one
from marketplace.models import WorkerProfile
from marketplace.permissions import IsWorker, can_read_id_card_number
from marketplace.serializers import MeSerializer, WorkerCardSerializer, WorkerSelfSerializer
from marketplace.services.workers import worker_profile_update


class MeApi(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(render_one(MeSerializer, request.user, {"request": request}))


class WorkerMeApi(APIView):
    permission_classes = [IsWorker]

    def _worker(self, request) -> WorkerProfile:
        return WorkerProfile.objects.prefetch_related("categories").get(user=request.user)

    @extend_schema(responses=WorkerSelfSerializer)
    def get(self, request):
        return Response(WorkerSelfSerializer(self._worker(request)).data)

    @extend_schema(request=WorkerSelfSerializer, responses=WorkerSelfSerializer)
    def patch(self, request):
        worker = self._worker(request)
        serializer = WorkerSelfSerializer(worker, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        worker = worker_profile_update(worker=worker, **serializer.validated_data)
        return Response(WorkerSelfSerializer(self._worker(request)).data)


class WorkerDetailApi(APIView):
    """Any signed-in user may read a worker's card; the full ID number only the allowed few."""

    @extend_schema(responses=WorkerCardSerializer)
    def get(self, request, worker_id: int):
        worker = get_object_or_404(
            WorkerProfile.objects.select_related("division", "user").prefetch_related(
                "categories", "certificates__category"
            ),
            pk=worker_id,
            user__is_active=True,
        )
        context = {"show_id_card_number": can_read_id_card_number(request.user, worker)}
        return Response(WorkerCardSerializer(worker, context=context).data)
