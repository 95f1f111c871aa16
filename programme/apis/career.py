"""A worker's career record: her own, a share link to it, and a shared one for agency staff."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.exceptions import NotFound
from marketplace.models import Role
from marketplace.permissions import IsWorker
from programme.services import career

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
