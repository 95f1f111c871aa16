"""Forms of the programme console (village intake, courses, exams): they render fields and
convert browser input; the rules are the programme services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.models import Category, Division, TrainingKind
from marketplace.phones import PhoneFormField
from programme.models import ConsentMethod, Course, CourseMode
from web.forms import PhoneForm
from web.forms_agency import DateInput

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def _date(label, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput())


class CandidateForm(PhoneForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.RegexField(
        label=_("手机号"),
        regex=r"^1[3-9]\d{9}$",
        error_messages={"invalid": _("请输入11位中国大陆手机号码。")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    division = forms.ModelChoiceField(label=_("镇街"), queryset=Division.objects.none())
    village = forms.CharField(label=_("村"), max_length=50)
    wanted_categories = forms.ModelMultipleChoiceField(
        label=_("意向工种"),
        queryset=Category.objects.order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("备注"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, divisions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = divisions if divisions is not None else Division.objects
        self.fields["division"].label_from_instance = lambda d: d.name_zh


class ImportUploadForm(PhoneForm):
    file = forms.FileField(
        label=_("村名单（.xlsx 或 .csv）"),
        help_text=_("第一行为表头：姓名、手机号、镇街、村，可选意向工种、微网格员、备注。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件不能超过 5 MB。"))
        return upload


class ConsentForm(PhoneForm):
    consent_method = forms.ChoiceField(
        label=_("她如何同意由您代为创建账号"),
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
    )
    confirmed = forms.BooleanField(
        label=_("我已向她说明：账号归她本人，密码由她通过短信认领码自行设置。")
    )


class CourseForm(PhoneForm):
    name = forms.CharField(label=_("课程名称"), max_length=100)
    category = forms.ModelChoiceField(label=_("工种"), queryset=Category.objects.order_by("code"))
    kind = forms.ChoiceField(label=_("培训类型"), choices=TrainingKind.choices)
    mode = forms.ChoiceField(label=_("形式"), choices=CourseMode.choices)
    division = forms.ModelChoiceField(
        label=_("所在镇街"), queryset=Division.objects.order_by("code"), required=False
    )
    place = forms.CharField(label=_("上课地点"), max_length=200, required=False)
    starts_on = _date(_("开课日期"))
    ends_on = _date(_("结课日期"))
    capacity = forms.IntegerField(label=_("名额"), min_value=1, max_value=1000)
    teacher = forms.CharField(label=_("授课老师"), max_length=50, required=False)
    description = forms.CharField(
        label=_("课程介绍"), required=False, max_length=2000, widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].label_from_instance = lambda d: d.name_zh
        self.fields["category"].label_from_instance = lambda c: c.name_zh


class EnrolForm(PhoneForm):
    candidates = forms.ModelMultipleChoiceField(
        label=_("选择学员"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].queryset = candidates
        self.fields["candidates"].label_from_instance = lambda c: f"{c.name}（{c.village}）"


class AttendanceForm(PhoneForm):
    """The session day, and one "present" box per active enrolment (`present_<id>`)."""

    session_on = _date(_("上课日期"))

    def __init__(self, *args, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrolments = list(enrolments)
        for enrolment in self.enrolments:
            person = enrolment.candidate or enrolment.worker
            self.fields[f"present_{enrolment.pk}"] = forms.BooleanField(
                label=str(person), required=False
            )

    def entries(self) -> list[tuple[int, bool]]:
        return [(e.pk, bool(self.cleaned_data.get(f"present_{e.pk}"))) for e in self.enrolments]


class ExamForm(PhoneForm):
    course = forms.ModelChoiceField(
        label=_("对应课程（按课程工种安排考试）"), queryset=Course.objects.none(), required=False
    )
    name = forms.CharField(label=_("考试名称"), max_length=100)
    category = forms.ModelChoiceField(
        label=_("工种"), queryset=Category.objects.order_by("code"), required=False
    )
    held_on = _date(_("考试日期"))
    place = forms.CharField(label=_("考点"), max_length=200, required=False)
    pass_mark = forms.IntegerField(label=_("合格分数"), min_value=1, max_value=100, initial=60)
    level = forms.CharField(label=_("证书等级"), max_length=30, required=False)

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        self.fields["category"].label_from_instance = lambda c: c.name_zh

    def clean(self):
        data = super().clean()
        course = data.get("course")
        if course is not None:
            data["category"] = course.category
        elif not data.get("category") and "category" not in self.errors:
            self.add_error("category", _("请选择工种或对应课程。"))
        return data


class ExamRegisterForm(PhoneForm):
    candidates = forms.ModelMultipleChoiceField(
        label=_("选择考生（须已有账号）"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].queryset = candidates
        self.fields["candidates"].label_from_instance = lambda c: f"{c.name}（{c.village}）"


class ScoreForm(PhoneForm):
    score = forms.IntegerField(label=_("成绩"), min_value=0, max_value=100)


class ScoreUploadForm(ImportUploadForm):
    file = forms.FileField(
        label=_("成绩表（.xlsx 或 .csv）"),
        help_text=_("第一行为表头：手机号、成绩。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class ClaimForm(PhoneForm):
    phone = PhoneFormField(label=_("手机号"))
    code = forms.RegexField(
        label=_("认领码（短信收到的6位数字）"),
        regex=r"^\d{4,8}$",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    password = forms.CharField(
        label=_("设置您自己的密码"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
