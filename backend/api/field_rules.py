"""`backend.input_rules` applied to every DRF serializer field, declared or generated.

Installed once at start-up (`backend.apps.BackendConfig.ready`) by wrapping the
`to_internal_value` of DRF's CharField, IntegerField, FloatField, DecimalField, DateField and
DateTimeField, so that no serializer of any app can forget a bound: a field's own `min_value` /
`max_value` win where it has them, the defaults hold where it has none. The errors are DRF
ValidationErrors with the rule's code, so the API answers 400 with `code` and the field's name.
"""

from __future__ import annotations

from functools import wraps

from django.db.backends.base.operations import BaseDatabaseOperations
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from backend import input_rules

_INSTALLED = "_meijia_input_rules"


def _refuse(problem: tuple[str, str]):
    code, detail = problem
    raise ValidationError(detail, code=code)


def _text(field, value):
    if isinstance(value, str) and (problem := input_rules.text_problem(value)):
        _refuse(problem)
    return value


def _integer(field, value):
    # Normally the field's own min/max_value (set by `_bound`) have refused it already.
    if isinstance(value, int) and (
        problem := input_rules.integer_problem(value, field.min_value, field.max_value)
    ):
        _refuse(problem)
    return value


def _number(field, value):
    if value is not None and (problem := input_rules.number_problem(value)):
        _refuse(problem)
    return value


def _date(field, value):
    if value is not None and (problem := input_rules.date_problem(value)):
        _refuse(problem)
    return value


RULES = [
    (serializers.CharField, _text),
    (serializers.IntegerField, _integer),
    (serializers.FloatField, _number),
    (serializers.DecimalField, _number),
    (serializers.DateField, _date),
    (serializers.DateTimeField, _date),
]


def _wrap(cls, rule) -> None:
    original = cls.to_internal_value
    if getattr(original, _INSTALLED, False):
        return

    @wraps(original)
    def to_internal_value(self, data):
        # Text is checked before DRF's own conversion too: a NUL must never reach a query.
        if rule is _text and isinstance(data, str):
            _text(self, data)
        return rule(self, original(self, data))

    setattr(to_internal_value, _INSTALLED, True)
    cls.to_internal_value = to_internal_value


DEFAULT_BOUNDS = [
    (serializers.IntegerField, input_rules.INT_MIN, input_rules.INT_MAX),
    (serializers.FloatField, -input_rules.FLOAT_LIMIT, input_rules.FLOAT_LIMIT),
]


def _bound(cls, low, high) -> None:
    """Writable fields get the default bounds as their own min/max_value (so DRF validates
    them and the schema publishes them) unless they set their own."""
    original = cls.__init__
    if getattr(original, _INSTALLED, False):
        return

    @wraps(original)
    def __init__(self, *args, **kwargs):
        if not kwargs.get("read_only"):
            if kwargs.get("min_value") is None:
                kwargs["min_value"] = low
            if kwargs.get("max_value") is None:
                kwargs["max_value"] = high
        original(self, *args, **kwargs)

    setattr(__init__, _INSTALLED, True)
    cls.__init__ = __init__


def _portable_model_ranges() -> None:
    """A model integer field's serializer takes the range every engine stores, not the range of
    the engine at hand: SQLite reports 64 bits for every integer type, PostgreSQL 16 or 32, so
    without this the API would accept on SQLite what PostgreSQL refuses, and the published
    schema would change with DATABASE_URL. Narrower bounds a field sets itself are kept."""
    original = serializers.ModelSerializer.build_standard_field
    if getattr(original, _INSTALLED, False):
        return

    @wraps(original)
    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = original(self, field_name, model_field)
        portable = BaseDatabaseOperations.integer_field_ranges.get(model_field.get_internal_type())
        if portable:
            low, high = portable
            if field_kwargs.get("min_value") is not None:
                field_kwargs["min_value"] = max(field_kwargs["min_value"], low)
            if field_kwargs.get("max_value") is not None:
                field_kwargs["max_value"] = min(field_kwargs["max_value"], high)
        return field_class, field_kwargs

    setattr(build_standard_field, _INSTALLED, True)
    serializers.ModelSerializer.build_standard_field = build_standard_field


def install() -> None:
    """Wrap DRF's scalar fields once (idempotent)."""
    _portable_model_ranges()
    for cls, rule in RULES:
        _wrap(cls, rule)
    for cls, low, high in DEFAULT_BOUNDS:
        _bound(cls, low, high)
