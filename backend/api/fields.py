"""Serializer fields shared by the API."""

from rest_framework import serializers


class CodeRelatedField(serializers.SlugRelatedField):
    """A related object looked up by its code (trade, division).

    A code with a NUL character is refused as invalid before the lookup: PostgreSQL cannot
    compare text containing NUL and would fail the query instead of finding nothing.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)
