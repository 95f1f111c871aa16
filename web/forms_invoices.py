"""Forms of invoices (发票): the household's request, the agency's issue and reject. The
service checks every rule (orders.services.invoices) and its errors land on these fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from orders.models import InvoiceKind
from web.forms import PhoneForm


class InvoiceRequestForm(PhoneForm):
    kind = forms.ChoiceField(
        label=_("发票类型"),
        choices=InvoiceKind.choices,
        initial=InvoiceKind.PERSONAL,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("发票抬头"), max_length=100, required=False)
    tax_number = forms.CharField(
        label=_("纳税人识别号"),
        max_length=40,
        required=False,
        help_text=_("企业必填：15、18或20位大写字母和数字"),
    )
    email = forms.CharField(
        label=_("接收邮箱（选填）"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class InvoiceIssueForm(PhoneForm):
    invoice_number = forms.CharField(label=_("发票号码"), max_length=40, required=False)
    issued_on = forms.DateField(
        label=_("开票日期（默认今天）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class InvoiceRejectForm(PhoneForm):
    reason = forms.CharField(
        label=_("驳回原因"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
