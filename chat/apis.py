"""Chat history, sending and read markers over REST (the socket's fallback). Thin views."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.idempotency import idempotency_key_from
from chat import selectors, services
from chat.serializers import (
    ChatMessageOutput,
    ChatUnreadOutput,
    HistoryQuery,
    MessageCreateInput,
    MessageHistoryOutput,
    MessageReadInput,
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
