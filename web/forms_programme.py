"""Forms of the programme's fair pages: an officer schedules a job fair, an agency posts an
opening at one. They render fields and convert browser input (yuan, codes) to service input;
the rules stay in the services (`apply_errors` places their messages next to the fields)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.models import Category, Division
from programme.models import FairMode, FairStatus, JobFair
from web.forms import PhoneForm, YuanField, category_choices, division_choices, yuan_to_fen
from web.forms_agency import date_field


class JobFairForm(PhoneForm):
    name = forms.CharField(label=_("招聘会名称"), max_length=100)
    mode = forms.ChoiceField(label=_("形式"), choices=FairMode.choices)
    held_on = date_field(_("举办日期"))
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    division = forms.ChoiceField(label=_("镇街"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].choices = [("", "—"), *division_choices()]

    def service_input(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "mode": data["mode"],
            "held_on": data["held_on"],
            "place": data["place"],
            "division": Division.objects.filter(code=data["division"]).first(),
        }


class JobOpeningForm(PhoneForm):
    fair = forms.ChoiceField(label=_("招聘会"), required=False)
    title = forms.CharField(label=_("岗位名称"), max_length=100)
    category = forms.ChoiceField(label=_("工种"))
    positions = forms.IntegerField(label=_("招聘人数"), min_value=1, max_value=1000, initial=1)
    salary_min = YuanField(label=_("最低月薪（元）"), required=False)
    salary_max = YuanField(label=_("最高月薪（元）"), required=False)
    description = forms.CharField(
        label=_("岗位描述"), required=False, max_length=2000, widget=forms.Textarea
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fairs = JobFair.objects.exclude(status__in=(FairStatus.CLOSED, FairStatus.CANCELLED))
        self.fields["fair"].choices = [
            ("", _("不参加招聘会")),
            *[(str(f.pk), f"{f.name} · {f.held_on:%Y-%m-%d}") for f in fairs.order_by("held_on")],
        ]
        self.fields["category"].choices = category_choices()

    def service_input(self) -> dict:
        data = self.cleaned_data
        return {
            "fair": JobFair.objects.filter(pk=data["fair"] or None).first(),
            "title": data["title"],
            "category": Category.objects.get(code=data["category"]),
            "positions": data["positions"],
            "salary_min": yuan_to_fen(data["salary_min"]) or 0,
            "salary_max": yuan_to_fen(data["salary_max"]) or 0,
            "description": data["description"],
        }
