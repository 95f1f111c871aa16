"""Forms of the reach pages: notification settings, phone verification, password reset."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.phones import PhoneFormField
from notifications.kinds import KINDS, PREFERENCE_KINDS
from web.forms import PhoneForm


class ReachSettingsForm(PhoneForm):
    """One push and one SMS checkbox per kind, quiet hours, and (workers) the pause."""

    quiet_enabled = forms.BooleanField(
        label=_("夜间免打扰（不发短信，紧急求助除外）"), required=False
    )
    quiet_starts = forms.TimeField(
        label=_("免打扰开始"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    quiet_ends = forms.TimeField(
        label=_("免打扰结束"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def __init__(self, *args, is_worker: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for code in PREFERENCE_KINDS:
            kind = KINDS[code]
            self.fields[f"{code}_push"] = forms.BooleanField(
                label=_("%(kind)s：浏览器通知") % {"kind": kind.label}, required=False
            )
            if kind.sms and kind.user_may_mute_sms:
                self.fields[f"{code}_sms"] = forms.BooleanField(
                    label=_("%(kind)s：短信") % {"kind": kind.label}, required=False
                )
        if is_worker:
            self.fields["paused"] = forms.BooleanField(
                label=_("休息中（暂停接收新邀约）"), required=False
            )

    @staticmethod
    def initial_from(preferences: dict, quiet: dict, *, paused: bool | None) -> dict:
        initial = {
            "quiet_enabled": quiet["enabled"],
            "quiet_starts": quiet["starts"],
            "quiet_ends": quiet["ends"],
        }
        for code, channels in preferences.items():
            initial[f"{code}_push"] = channels["push"]
            initial[f"{code}_sms"] = channels["sms"]
        if paused is not None:
            initial["paused"] = paused
        return initial

    def preferences(self) -> dict[str, dict]:
        data = self.cleaned_data
        result = {}
        for code in PREFERENCE_KINDS:
            channels = {"push": data.get(f"{code}_push", False)}
            if f"{code}_sms" in self.fields:
                channels["sms"] = data.get(f"{code}_sms", False)
            result[code] = channels
        return result

    def quiet(self) -> dict:
        data = self.cleaned_data
        return {
            "enabled": data["quiet_enabled"],
            "starts": data["quiet_starts"],
            "ends": data["quiet_ends"],
        }


class PhoneNumberForm(PhoneForm):
    phone = PhoneFormField(label=_("手机号"))


class CodeForm(PhoneForm):
    code = forms.RegexField(
        regex=r"^\d{4,8}$",
        label=_("短信验证码"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class NewPasswordForm(PhoneForm):
    password = forms.CharField(
        label=_("新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class ResetByCodeForm(PhoneNumberForm, CodeForm, NewPasswordForm):
    field_order = ["phone", "code", "password"]
