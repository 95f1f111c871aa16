"""The inbox over REST. Thin views over services/selectors."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import StandardPagination
from backend.api.rendering import render_many
from notifications import selectors, services
from notifications.models import Notification
from notifications.serializers import NotificationOutput, ReadAllOutput


class NotificationListApi(GenericAPIView):
    serializer_class = NotificationOutput
    pagination_class = StandardPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Notification.objects.none()
        unread_only = self.request.query_params.get("unread") in {"1", "true", "yes"}
        return selectors.notifications_of(user=self.request.user, unread_only=unread_only)

    @extend_schema(
        parameters=[OpenApiParameter("unread", bool, description="only unread notifications")],
        responses=NotificationOutput(many=True),
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(render_many(NotificationOutput, page))


class NotificationReadApi(APIView):
    @extend_schema(request=None, responses=NotificationOutput)
    def post(self, request, notification_id: int):
        notification = services.notification_mark_read(
            notification_id=notification_id, user=request.user
        )
        return Response(NotificationOutput(notification).data)


class NotificationReadAllApi(APIView):
    @extend_schema(request=None, responses=ReadAllOutput)
    def post(self, request):
        return Response({"updated": services.notifications_mark_all_read(user=request.user)})
