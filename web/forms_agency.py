"""Forms of the agency console, the payment pages and the federation dashboard.

As in web/forms.py they render fields and convert browser input (yuan, dates) to service
input; the rules stay in the API serializers and the services (`apply_errors` places their
messages next to the fields).
"""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.models import AgencyStaff, RosterEntry, TrainingKind
from orders.models.payments import OfflineMethod
from orders.statuses import DisputeOutcome
from web.forms import PhoneForm, YuanField, category_choices, division_choices


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput())


class RosterFilterForm(PhoneForm):
    q = forms.CharField(label=_("姓名或手机号"), required=False, max_length=50)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *RosterEntry.Status.choices]
    )


class WorkerSearchForm(PhoneForm):
    q = forms.CharField(label=_("姓名、手机号或服务员编号"), max_length=50)


class InviteForm(PhoneForm):
    worker = forms.IntegerField(label=_("服务员编号"), min_value=1)


class EndReasonForm(PhoneForm):
    reason = forms.CharField(label=_("原因"), max_length=200)


class CertificateForm(PhoneForm):
    category = forms.ChoiceField(label=_("工种"))
    number = forms.CharField(label=_("证书编号"), max_length=50)
    level = forms.CharField(label=_("等级"), max_length=30, required=False)
    issuer = forms.CharField(label=_("发证机构"), max_length=100)
    issued_on = date_field(_("发证日期"))
    expires_on = date_field(_("有效期至"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()


class TrainingRecordForm(PhoneForm):
    course = forms.CharField(label=_("课程名称"), max_length=100)
    kind = forms.ChoiceField(label=_("培训类型"), choices=TrainingKind.choices)
    category = forms.ChoiceField(label=_("工种"), required=False)
    provider = forms.CharField(label=_("培训机构"), max_length=100, required=False)
    completed_on = date_field(_("结业日期"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—"), *category_choices()]


class HealthCheckForm(PhoneForm):
    done_on = date_field(_("体检日期"))
    valid_until = date_field(_("有效期至"))
    institution = forms.CharField(label=_("体检机构"), max_length=100, required=False)


CREDENTIAL_FORMS = {
    "certificate": CertificateForm,
    "training_record": TrainingRecordForm,
    "health_check": HealthCheckForm,
}


class DispatchForm(PhoneForm):
    request = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    worker = forms.TypedChoiceField(label=_("派给"), coerce=int)

    def __init__(self, *args, workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [("", _("请选择服务员")), *workers]


class DisputeResolveForm(PhoneForm):
    outcome = forms.ChoiceField(
        label=_("处理结果"), choices=DisputeOutcome.choices, widget=forms.RadioSelect
    )
    refund_amount = YuanField(label=_("退款金额（元，部分退款时填写）"), required=False)
    note = forms.CharField(
        label=_("处理说明"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == DisputeOutcome.PARTIAL_REFUND and not data.get("refund_amount"):
            self.add_error("refund_amount", _("部分退款请填写退款金额。"))
        return data


class StaffCreateForm(PhoneForm):
    username = forms.CharField(label=_("用户名"), max_length=150)
    password = forms.CharField(
        label=_("初始密码"), widget=forms.PasswordInput(render_value=False), strip=False
    )
    display_name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(
        label=_("手机号"),
        max_length=11,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    staff_role = forms.ChoiceField(
        label=_("岗位"), choices=AgencyStaff.StaffRole.choices, initial=AgencyStaff.StaffRole.STAFF
    )


class StaffRoleForm(PhoneForm):
    staff_role = forms.ChoiceField(label=_("岗位"), choices=AgencyStaff.StaffRole.choices)


class OfflinePaymentForm(PhoneForm):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    method = forms.ChoiceField(
        label=_("收款方式"), choices=OfflineMethod.choices, initial=OfflineMethod.CASH
    )
    amount = YuanField(label=_("金额（元）"))
    reference = forms.CharField(
        label=_("凭证号或备注"),
        max_length=100,
        required=False,
        help_text=_("转账流水号、收据编号等"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)


class MonthForm(PhoneForm):
    month = forms.DateField(
        label=_("月份"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )


class MetricsFilterForm(PhoneForm):
    """The dashboard's filters; names as the metrics API's query parameters."""

    start = forms.DateField(label=_("开始日期"), required=False, widget=DateInput())
    end = forms.DateField(label=_("结束日期"), required=False, widget=DateInput())
    division = forms.ChoiceField(label=_("镇街"), required=False)
    category = forms.ChoiceField(label=_("工种"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].choices = [("", _("全部镇街")), *division_choices()]
        self.fields["category"].choices = [("", _("全部工种")), *category_choices()]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return data

    def api_params(self) -> dict:
        data = self.cleaned_data
        params = {}
        if data.get("start"):
            params["from"] = data["start"].isoformat()
        if data.get("end"):
            params["to"] = data["end"].isoformat()
        for name in ("division", "category"):
            if data.get(name):
                params[name] = data[name]
        return params
