"""Documented response bodies of the inbox REST endpoints."""

from rest_framework import serializers

from notifications.models import Notification


class NotificationOutput(serializers.ModelSerializer):
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "type", "payload", "created_at", "read_at", "is_read"]

    def get_is_read(self, obj) -> bool:
        return obj.read_at is not None


class ReadAllOutput(serializers.Serializer):
    updated = serializers.IntegerField(help_text="how many notifications were marked read")
