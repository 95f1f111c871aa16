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


class OptionalChoiceField(serializers.ChoiceField):
    """A choice that may be unset: stored as "" (a blank CharField), answered as null.

    The schema says so (the field is nullable), so a generated client never meets an enum value
    it was not told about. Input takes null or "" for "unset" and stores "".
    """

    def __init__(self, **kwargs):
        kwargs["allow_null"] = True
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data is None:
            return True, ""
        return super().validate_empty_values(data)

    def to_representation(self, value):
        if value in ("", None):
            return None
        return super().to_representation(value)


class ModelSerializer(serializers.ModelSerializer):
    """The project's model serializer: a blank choice field of the model (no value) is answered
    as null, not as the "" that no enum lists."""

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        if model_field.choices and model_field.blank and field_class is serializers.ChoiceField:
            field_class = OptionalChoiceField
        return field_class, field_kwargs
