"""Web forms: they render fields and convert browser input (yuan, local times) to API input.

The rules themselves live in the API serializers and the services; `apply_errors` puts their
messages next to the fields they name, so the web and the API refuse the same things.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from backend import input_rules
from marketplace.models import Category, Division, Role
from marketplace.phones import PhoneFormField
from orders.models import ServiceRequest
from orders.statuses import RequestKind
from web.templatetags.meijia import WEEKDAY_NAMES

DATETIME_INPUT = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


def apply_errors(form: forms.Form, errors) -> None:
    """Attach serializer or domain errors ({field: [messages]}) to the form's fields."""
    if isinstance(errors, list | tuple):
        errors = {"non_field_errors": errors}
    for field, messages in errors.items():
        if isinstance(messages, dict):  # nested (list items): flatten into the field
            messages = [str(m) for values in messages.values() for m in values]
        if not isinstance(messages, list | tuple):
            messages = [messages]
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, str(message))


def yuan_to_fen(amount: Decimal | None) -> int | None:
    if amount is None:
        return None
    return int((amount * 100).to_integral_value())


def fen_to_yuan(fen: int | None) -> Decimal | None:
    if fen is None:
        return None
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


class PhoneForm(forms.Form):
    """Labels without Django's ASCII colon (they sit above the field on a phone)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def _post_clean(self):
        """The API's input rules (backend.input_rules) hold for every web form too: no control
        characters, bounded numbers, dates within range."""
        super()._post_clean()
        for name, value in list(self.cleaned_data.items()):
            if name in self.fields and (problem := input_rules.value_problem(value)):
                self.add_error(name, forms.ValidationError(problem[1], code=problem[0]))


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class YuanField(forms.DecimalField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0.01"))
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "step": "0.01"})


def category_choices() -> list[tuple[str, str]]:
    return [(c.code, c.name) for c in Category.objects.order_by("sort_order", "code")]


def division_choices() -> list[tuple[str, str]]:
    return [(d.code, d.name) for d in Division.objects.order_by("code")]


class RegisterForm(PhoneForm):
    role = forms.ChoiceField(
        label=_("我是"),
        choices=[(Role.HOUSEHOLD, _("雇主家庭（找服务）")), (Role.WORKER, _("家政服务员（接单）"))],
        widget=forms.RadioSelect,
        initial=Role.HOUSEHOLD,
    )
    username = forms.CharField(label=_("用户名"), max_length=150)
    password = forms.CharField(
        label=_("密码"), widget=forms.PasswordInput(render_value=False), strip=False
    )
    display_name = forms.CharField(label=_("称呼或姓名"), max_length=50)
    phone = PhoneFormField(label=_("手机号"))


class RequestForm(PhoneForm):
    """A household's service request; money in yuan here, fen for the API."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(
        label=_("服务类型"),
        choices=RequestKind.choices,
        widget=forms.RadioSelect,
        initial=RequestKind.ONE_OFF,
    )
    category = forms.ChoiceField(label=_("工种"))
    division = forms.ChoiceField(label=_("所在镇街"))
    address = forms.CharField(label=_("服务地址"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("开始时间"), input_formats=DATETIME_INPUT, widget=LocalDateTimeInput()
    )
    ends_at = forms.DateTimeField(
        label=_("结束时间"), input_formats=DATETIME_INPUT, widget=LocalDateTimeInput()
    )
    budget = YuanField(label=_("预算（元）"))
    description = forms.CharField(
        label=_("需求说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    max_distance_km = forms.FloatField(label=_("最远距离（公里）"), required=False)
    recurrence_weekdays = forms.TypedMultipleChoiceField(
        label=_("每周服务日"),
        coerce=int,
        required=False,
        choices=[(index, name) for index, name in enumerate(WEEKDAY_NAMES)],
        widget=forms.CheckboxSelectMultiple,
    )
    recurrence_until = forms.DateField(
        label=_("周期截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    placement_mode = forms.ChoiceField(
        label=_("驻家方式"),
        required=False,
        choices=[("", "—"), *ServiceRequest.PlacementMode.choices],
    )
    placement_price_unit = forms.ChoiceField(
        label=_("计价方式"), required=False, choices=[("", "—"), *ServiceRequest.PriceUnit.choices]
    )
    placement_unit_price = YuanField(label=_("单价（元）"), required=False)
    trial_days = forms.IntegerField(label=_("试用期（天）"), required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()
        self.fields["division"].choices = division_choices()
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)

    def api_payload(self) -> dict:
        """The cleaned input in the shape of the API's RequestCreateSerializer (fen, codes)."""
        data = self.cleaned_data
        payload = {
            "kind": data["kind"],
            "category": data["category"],
            "division": data["division"],
            "address": data["address"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "budget": yuan_to_fen(data["budget"]),
            "description": data.get("description") or "",
            "trial_days": data.get("trial_days") or 0,
        }
        if data.get("max_distance_km") is not None:
            payload["max_distance_km"] = data["max_distance_km"]
        if data["kind"] == RequestKind.RECURRING:
            payload["recurrence_weekdays"] = data.get("recurrence_weekdays") or []
            payload["recurrence_until"] = data.get("recurrence_until")
        if data["kind"] == RequestKind.PLACEMENT:
            payload["placement_mode"] = data.get("placement_mode") or ""
            payload["placement_price_unit"] = data.get("placement_price_unit") or ""
            payload["placement_unit_price"] = yuan_to_fen(data.get("placement_unit_price"))
        return payload


class RebookForm(PhoneForm):
    """ "再约一次": the new visit's times; budget (yuan) and note default to the last order's."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)
    starts_at = forms.DateTimeField(
        label=_("开始时间"), input_formats=DATETIME_INPUT, widget=LocalDateTimeInput()
    )
    ends_at = forms.DateTimeField(
        label=_("结束时间"), input_formats=DATETIME_INPUT, widget=LocalDateTimeInput()
    )
    budget = YuanField(label=_("预算（元）"), required=False)
    description = forms.CharField(
        label=_("需求说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TimeOffForm(PhoneForm):
    """A worker's days off (请假), first and last day included."""

    starts_on = forms.DateField(label=_("第一天"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("最后一天"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("原因（只有您自己看得到）"), required=False, max_length=100)


class ReasonForm(PhoneForm):
    reason = forms.CharField(
        label=_("原因"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReviewForm(PhoneForm):
    rating = forms.TypedChoiceField(
        label=_("评分"),
        coerce=int,
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("评价"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    tags = forms.MultipleChoiceField(
        label=_("标签（可多选）"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "chip"}),
    )

    def __init__(self, *args, tags=(), **kwargs):
        """`tags`: the review tags of the order's trade (none: the worker rates the household)."""
        super().__init__(*args, **kwargs)
        choices = [(tag.code, tag.name) for tag in tags]
        if choices:
            self.fields["tags"].choices = choices
        else:
            del self.fields["tags"]


class ChatForm(PhoneForm):
    body = forms.CharField(
        label=_("消息"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 1, "aria-label": _("消息"), "maxlength": 2000}),
    )
    client_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


def time_field(label, initial: str) -> forms.CharField:
    """A wall-clock time as "HH:MM" (the availability format); the phone shows its time picker."""
    return forms.CharField(
        label=label,
        required=False,
        initial=initial,
        max_length=5,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )


class WorkerProfileForm(PhoneForm):
    """A worker's own profile; availability as one optional window per weekday."""

    real_name = forms.CharField(label=_("姓名"), max_length=50)
    phone = PhoneFormField(label=_("手机号"))
    bio = forms.CharField(label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    division = forms.ChoiceField(label=_("所在镇街"), required=False)
    base_latitude = forms.FloatField(
        label=_("常驻点纬度"), required=False, widget=forms.NumberInput(attrs={"step": "any"})
    )
    base_longitude = forms.FloatField(
        label=_("常驻点经度"), required=False, widget=forms.NumberInput(attrs={"step": "any"})
    )
    service_radius_km = forms.FloatField(
        label=_("服务半径（公里）"), widget=forms.NumberInput(attrs={"step": "0.5"})
    )
    categories = forms.MultipleChoiceField(
        label=_("我能做的工种"), required=False, widget=forms.CheckboxSelectMultiple
    )
    hourly_rate = YuanField(label=_("时薪（元）"), required=False, min_value=Decimal("0"))
    is_accepting_offers = forms.BooleanField(label=_("接单中"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].choices = [("", "—"), *division_choices()]
        self.fields["categories"].choices = category_choices()
        for day, name in enumerate(WEEKDAY_NAMES):
            self.fields[f"day_{day}"] = forms.BooleanField(label=name, required=False)
            self.fields[f"day_{day}_from"] = time_field(_("从"), "08:00")
            self.fields[f"day_{day}_to"] = time_field(_("到"), "18:00")
            # Each time input names its day and end, for screen readers (no visible label).
            for key, text in (("from", _("%(day)s 开始时间")), ("to", _("%(day)s 结束时间"))):
                widget = self.fields[f"day_{day}_{key}"].widget
                widget.attrs["aria-label"] = text % {"day": name}

    @property
    def weekday_rows(self):
        return [
            (self[f"day_{day}"], self[f"day_{day}_from"], self[f"day_{day}_to"]) for day in range(7)
        ]

    @staticmethod
    def initial_for(worker) -> dict:
        initial = {
            "real_name": worker.real_name,
            "phone": worker.phone,
            "bio": worker.bio,
            "division": worker.division.code if worker.division_id else "",
            "base_latitude": worker.base_latitude,
            "base_longitude": worker.base_longitude,
            "service_radius_km": worker.service_radius_km,
            "categories": [c.code for c in worker.categories.all()],
            "hourly_rate": fen_to_yuan(worker.hourly_rate),
            "is_accepting_offers": worker.is_accepting_offers,
        }
        for day, windows in (worker.availability or {}).items():
            if windows:
                initial[f"day_{day}"] = True
                initial[f"day_{day}_from"] = windows[0][0]
                initial[f"day_{day}_to"] = windows[0][1]
        return initial

    def api_payload(self) -> dict:
        """The cleaned input in the shape of WorkerSelfSerializer (codes, fen, weekly JSON)."""
        data = self.cleaned_data
        availability = {
            str(day): [[data[f"day_{day}_from"] or "08:00", data[f"day_{day}_to"] or "18:00"]]
            for day in range(7)
            if data.get(f"day_{day}")
        }
        return {
            "real_name": data["real_name"],
            "phone": data["phone"],
            "bio": data.get("bio") or "",
            "division": data.get("division") or None,
            "base_latitude": data.get("base_latitude"),
            "base_longitude": data.get("base_longitude"),
            "service_radius_km": data["service_radius_km"],
            "categories": data.get("categories") or [],
            "hourly_rate": yuan_to_fen(data.get("hourly_rate")) or 0,
            "is_accepting_offers": data.get("is_accepting_offers", False),
            "availability": availability,
        }
