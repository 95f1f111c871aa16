"""Input checks and documented response bodies of the chat REST endpoints."""

from rest_framework import serializers

from chat import selectors


class MessageCreateInput(serializers.Serializer):
    # Emptiness and length are the service's rules, so REST and socket give the same codes.
    body = serializers.CharField(allow_blank=True, trim_whitespace=False)
    client_id = serializers.CharField(required=False, allow_null=True, max_length=64)


class MessageReadInput(serializers.Serializer):
    up_to = serializers.IntegerField(min_value=0)


class HistoryQuery(serializers.Serializer):
    after = serializers.IntegerField(
        min_value=0, required=False, default=0, help_text="last message id the client has"
    )
    limit = serializers.IntegerField(
        min_value=1, max_value=selectors.MAX_PAGE, required=False, default=50
    )


class ChatMessageOutput(serializers.Serializer):
    """The `chat.message` frame: the same body over the socket, resync and REST."""

    type = serializers.CharField(help_text='always "chat.message"')
    order = serializers.IntegerField()
    id = serializers.IntegerField(help_text="grows with every message of the site")
    sender = serializers.IntegerField(help_text="user id of the sender")
    sender_name = serializers.CharField()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()
    client_id = serializers.CharField(allow_null=True)


class MessageHistoryOutput(serializers.Serializer):
    results = ChatMessageOutput(many=True)
    has_more = serializers.BooleanField()
    next_after = serializers.IntegerField(help_text="pass as `after` to read on")
    read_up_to = serializers.IntegerField(help_text="the caller's read marker in this chat")


class ReadMarkerOutput(serializers.Serializer):
    order = serializers.IntegerField()
    up_to = serializers.IntegerField()


class OrderUnreadOutput(serializers.Serializer):
    order = serializers.IntegerField()
    unread = serializers.IntegerField()


class ChatUnreadOutput(serializers.Serializer):
    total = serializers.IntegerField()
    orders = OrderUnreadOutput(many=True)
