"""Chat history and inbox over REST (the socket's fallback). Thin views over services/selectors."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.idempotency import idempotency_key_from
from backend.api.pagination import StandardPagination
from notifications import selectors, services
from notifications.models import Notification
from notifications.serializers import (
    ChatMessageOutput,
    ChatUnreadOutput,
    HistoryQuery,
    MessageCreateInput,
    MessageHistoryOutput,
    MessageReadInput,
    NotificationOutput,
    ReadAllOutput,
    ReadMarkerOutput,
)

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    str,
    location="header",
    required=False,
    description="used as client_id when the body has none",
)


class OrderMessagesApi(APIView):
    """GET: history after `?after=<id>` (same frames as a socket resync). POST: send."""

    @extend_schema(parameters=[HistoryQuery], responses=MessageHistoryOutput)
    def get(self, request, order_id: int):
        query = HistoryQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        selectors.order_for_party(order_id=order_id, user=request.user)
        limit = query.validated_data["limit"]
        page = selectors.messages_after(
            order_id=order_id, after=query.validated_data["after"], limit=limit + 1
        )
        has_more = len(page) > limit
        results = [services.chat_message_frame(m) for m in page[:limit]]
        return Response(
            {
                "results": results,
                "has_more": has_more,
                "next_after": results[-1]["id"] if results else query.validated_data["after"],
                "read_up_to": selectors.read_marker_of(order_id=order_id, user=request.user),
            }
        )

    @extend_schema(
        request=MessageCreateInput,
        parameters=[IDEMPOTENCY_HEADER],
        responses={201: ChatMessageOutput, 200: ChatMessageOutput},
    )
    def post(self, request, order_id: int):
        data = MessageCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        client_id = data.validated_data.get("client_id") or idempotency_key_from(request)
        message, created = services.chat_message_send(
            order_id=order_id,
            sender=request.user,
            body=data.validated_data["body"],
            client_id=client_id,
        )
        return Response(
            services.chat_message_frame(message),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class OrderMessagesReadApi(APIView):
    @extend_schema(request=MessageReadInput, responses=ReadMarkerOutput)
    def post(self, request, order_id: int):
        data = MessageReadInput(data=request.data)
        data.is_valid(raise_exception=True)
        marker = services.chat_mark_read(
            order_id=order_id, user=request.user, up_to=data.validated_data["up_to"]
        )
        return Response({"order": order_id, "up_to": marker.last_read_id})


class ChatUnreadApi(APIView):
    @extend_schema(responses=ChatUnreadOutput)
    def get(self, request):
        counts = selectors.chat_unread_counts(user=request.user)
        return Response(
            {
                "total": sum(counts.values()),
                "orders": [{"order": order, "unread": n} for order, n in counts.items()],
            }
        )


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
        return self.get_paginated_response(NotificationOutput(page, many=True).data)


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
