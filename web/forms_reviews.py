"""Forms of a review's afterlife: the reviewed side's reply, a report, the operator's decision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from orders.models import ReviewReport
from orders.models.reviews import (
    MAX_HIDDEN_REASON_LENGTH,
    MAX_REPLY_LENGTH,
    MAX_REPORT_NOTE_LENGTH,
)
from web.forms import PhoneForm


class ReplyForm(PhoneForm):
    reply = forms.CharField(
        label=_("回复（公开，只能回复一次）"),
        max_length=MAX_REPLY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_REPLY_LENGTH}),
    )


class ReportForm(PhoneForm):
    reason = forms.ChoiceField(label=_("举报原因"), choices=ReviewReport.Reason.choices)
    note = forms.CharField(
        label=_("补充说明（选填）"),
        required=False,
        max_length=MAX_REPORT_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_REPORT_NOTE_LENGTH}),
    )


class HideForm(PhoneForm):
    reason = forms.CharField(
        label=_("隐藏原因（评价者会看到）"),
        max_length=MAX_HIDDEN_REASON_LENGTH,
        widget=forms.TextInput(attrs={"maxlength": MAX_HIDDEN_REASON_LENGTH}),
    )


class DismissForm(PhoneForm):
    note = forms.CharField(
        label=_("驳回说明（选填）"), required=False, max_length=MAX_HIDDEN_REASON_LENGTH
    )
