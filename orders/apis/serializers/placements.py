"""API shapes of replacing the worker of a long-term placement."""

from rest_framework import serializers


class ReplaceInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class ReplaceOutput(serializers.Serializer):
    """The replaced order (with the first worker's settlement) and the reopened request."""

    order = serializers.DictField()
    request = serializers.DictField()
