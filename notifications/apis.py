"""Chat history and inbox over REST (the socket's fallback). Thin views over services/selectors."""

from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.idempotency import idempotency_key_from
from backend.api.pagination import StandardPagination
from notifications import selectors, services
from notifications.models import Notification


class MessageCreateInput(serializers.Serializer):
    # Emptiness and length are the service's rules, so REST and socket give the same codes.
    body = serializers.CharField(allow_blank=True, trim_whitespace=False)
    client_id = serializers.CharField(required=False, allow_null=True, max_length=64)


class MessageReadInput(serializers.Serializer):
    up_to = serializers.IntegerField(min_value=0)


class HistoryQuery(serializers.Serializer):
    after = serializers.IntegerField(min_value=0, required=False, default=0)
    limit = serializers.IntegerField(
        min_value=1, max_value=selectors.MAX_PAGE, required=False, default=50
    )


class NotificationOutput(serializers.ModelSerializer):
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "type", "payload", "created_at", "read_at", "is_read"]

    def get_is_read(self, obj) -> bool:
        return obj.read_at is not None


class OrderMessagesApi(APIView):
    """GET: history after `?after=<id>` (same frames as a socket resync). POST: send."""

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
    def post(self, request, order_id: int):
        data = MessageReadInput(data=request.data)
        data.is_valid(raise_exception=True)
        marker = services.chat_mark_read(
            order_id=order_id, user=request.user, up_to=data.validated_data["up_to"]
        )
        return Response({"order": order_id, "up_to": marker.last_read_id})


class ChatUnreadApi(APIView):
    def get(self, request):
        counts = selectors.chat_unread_counts(user=request.user)
        return Response(
            {
                "total": sum(counts.values()),
                "orders": [{"order": order, "unread": n} for order, n in counts.items()],
            }
        )


class NotificationListApi(APIView):
    def get(self, request):
        unread_only = request.query_params.get("unread") in {"1", "true", "yes"}
        queryset = selectors.notifications_of(user=request.user, unread_only=unread_only)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(NotificationOutput(page, many=True).data)


class NotificationReadApi(APIView):
    def post(self, request, notification_id: int):
        notification = services.notification_mark_read(
            notification_id=notification_id, user=request.user
        )
        return Response(NotificationOutput(notification).data)


class NotificationReadAllApi(APIView):
    def post(self, request):
        return Response({"updated": services.notifications_mark_all_read(user=request.user)})
