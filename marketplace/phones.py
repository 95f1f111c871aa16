"""Phone numbers: mainland China mobile numbers, stored in E.164 (`+8613812345678`).

`phonenumbers` decides what is a mainland mobile number; every way in (registration, profile
changes, web forms, the admin) normalises through `phone_normalize`, so one number has one
spelling and the unique constraints on it mean what they say.
"""

import re

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

INVALID_PHONE = _("请输入11位中国大陆手机号码。")
E164_MAINLAND_MOBILE = re.compile(r"^\+861[3-9]\d{9}$")
MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE}


def phone_normalize(raw: str) -> str:
    """E.164 for a mainland mobile number typed any usual way ("138 1234 5678", "+86…",
    "0086…"); raises ValidationError (code invalid_phone) for anything else."""
    text = (raw or "").strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException as error:
        raise ValidationError(INVALID_PHONE, code="invalid_phone") from error
    if (
        number.country_code != 86
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in MOBILE_TYPES
    ):
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    normal = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if not E164_MAINLAND_MOBILE.match(normal):
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    return normal


def phone_display(value: str) -> str:
    """The national spelling people read and dial ("138 1234 5678"); blank stays blank."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def e164_validator(value: str) -> None:
    """Model-level check: the stored value is already normalised."""
    if value and not E164_MAINLAND_MOBILE.match(value):
        raise ValidationError(INVALID_PHONE, code="invalid_phone")


class PhoneField(models.CharField):
    """A mainland mobile number in E.164; model forms (the admin) normalise what is typed."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 16)
        kwargs.setdefault("validators", [e164_validator])
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 16:
            kwargs.pop("max_length")
        if kwargs.get("validators") == [e164_validator]:
            kwargs.pop("validators")
        return name, path, args, kwargs

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return value
        try:
            return phone_normalize(value)
        except ValidationError:
            return value  # the validator names the error


class PhoneInput(serializers.CharField):
    """API input of a phone number: any usual spelling in, E.164 out (400 invalid_phone)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not value:
            return value
        try:
            return phone_normalize(value)
        except ValidationError as error:
            raise serializers.ValidationError(INVALID_PHONE, code="invalid_phone") from error


class PhoneFormField(forms.CharField):
    """Web form input of a phone number, normalised to E.164; shown in its national spelling."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "tel")
        self.widget.attrs.setdefault("autocomplete", "tel")

    def prepare_value(self, value):
        return phone_display(value) if isinstance(value, str) and value.startswith("+") else value

    def clean(self, value):
        value = super().clean(value)
        return phone_normalize(value) if value else value
