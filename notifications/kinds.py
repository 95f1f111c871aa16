"""Which kinds of notification leave the app, over which channels, with what words.

A kind groups event types for the user's preferences (settings page) and decides the rules:
push goes to a user who is not on a live socket (or always, for SOS); SMS goes either always
(the kinds that must not be missed) or only when neither the socket nor a push reached her
(offers). Event types not listed here stay in the inbox and on the socket only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The event types of notifications.events (PRODUCT.md §5), spelled here so that the delivery
# modules that events.py calls do not import it back.
OFFER_CREATED = "offer.created"
ORDER_UPDATED = "order.updated"
NOTIFICATION = "notification"
ACCOUNT_CODE = "account.code"
SAFETY_SOS = "safety.sos"  # orders.services.sos names it; the value is the contract
SAFETY_OVERDUE = "safety.overdue"

SMS_ALWAYS = "always"
SMS_UNREACHED = "unreached"


@dataclass(frozen=True)
class Kind:
    code: str
    label: object  # lazy text
    push: bool
    sms: str | None  # SMS_ALWAYS, SMS_UNREACHED or None
    push_when_live: bool = False
    ignores_quiet_hours: bool = False
    user_may_mute_sms: bool = True


KINDS = {
    "offer": Kind("offer", gettext_lazy("新邀约"), push=True, sms=SMS_UNREACHED),
    "order_cancelled": Kind("order_cancelled", gettext_lazy("订单取消"), push=True, sms=SMS_ALWAYS),
    "order": Kind("order", gettext_lazy("订单进展"), push=True, sms=None),
    "sos": Kind(
        "sos",
        gettext_lazy("紧急求助"),
        push=True,
        sms=SMS_ALWAYS,
        push_when_live=True,
        ignores_quiet_hours=True,
        user_may_mute_sms=False,
    ),
    "message": Kind("message", gettext_lazy("其他消息"), push=True, sms=None),
    "code": Kind(
        "code",
        gettext_lazy("验证码"),
        push=False,
        sms=SMS_ALWAYS,
        ignores_quiet_hours=True,
        user_may_mute_sms=False,
    ),
}
# The kinds a user sets on the settings page (codes are not optional).
PREFERENCE_KINDS = ("offer", "order_cancelled", "order", "sos", "message")


def kind_of(event_type: str, payload: dict) -> Kind | None:
    """The kind of an inbox row, or None when it travels by socket only."""
    if event_type == OFFER_CREATED:
        return KINDS["offer"]
    if event_type == ORDER_UPDATED:
        if payload.get("to_status") == "cancelled" and payload.get("from_status") != "cancelled":
            return KINDS["order_cancelled"]
        return KINDS["order"]
    if event_type in (SAFETY_SOS, SAFETY_OVERDUE):
        return KINDS["sos"]
    if event_type == ACCOUNT_CODE:
        return KINDS["code"]
    if event_type == NOTIFICATION:
        return KINDS["message"]
    return None


def push_message(event_type: str, payload: dict) -> dict:
    """Title, body, the page it opens and its actions, for the service worker."""
    kind = kind_of(event_type, payload)
    title = str(kind.label) if kind else _("家政美家")
    message = payload.get("message") or ""
    url = "/"
    actions: list[dict] = []
    if event_type == OFFER_CREATED:
        message = message or _("您有一个新的服务邀约，请尽快查看。")
        url = f"/worker/offers/#offer-{payload.get('offer')}"
        actions = [{"action": "accept", "title": _("接受")}]
    elif event_type == ORDER_UPDATED:
        message = message or (_("订单 #%(order)s 状态已更新。") % {"order": payload.get("order")})
        url = f"/orders/{payload.get('order')}/"
    return {
        "title": title,
        "body": message[:200],
        "url": url,
        "tag": f"{event_type}:{payload.get('offer') or payload.get('order') or ''}",
        "actions": actions,
        "offer": payload.get("offer"),
    }


def sms_template(event_type: str, payload: dict) -> tuple[str, dict]:
    """The template key (settings.SMS_TEMPLATES) and its parameters.

    Parameters are plain values (numbers, a name cut to 20 characters): the provider's
    template fixes every other word, so nothing a user typed can turn into a link or a lie.
    """
    kind = kind_of(event_type, payload)
    code = kind.code if kind else "message"
    if code == "code":
        return "code", {"code": payload.get("code", "")}
    if code == "offer":
        return "offer", {"offer": str(payload.get("offer", ""))}
    if code == "order_cancelled":
        return "order_cancelled", {"order": str(payload.get("order", ""))}
    if code == "sos":
        name = str(payload.get("worker_name") or payload.get("worker") or "")[:20]
        return "sos", {"order": str(payload.get("order", "")), "name": name}
    return code, {}
