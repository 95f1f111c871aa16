"""The one adapter to SMS: a console backend (the embedded default, writes to the log) and
Aliyun SMS (`alibabacloud-dysmsapi20170525`), chosen by settings.SMS_BACKEND.

Messages are provider templates with parameters (settings.SMS_TEMPLATES, SIGN_NAME): the words
are fixed by the approved template and only short plain values travel, so user text cannot
reach a phone as a link. Each answer is mapped to sent / retry / refused (give up).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from alibabacloud_dysmsapi20170525 import models as aliyun_models
from alibabacloud_dysmsapi20170525.client import Client as AliyunClient
from alibabacloud_tea_openapi import models as openapi_models
from darabonba.runtime import RuntimeOptions
from django.conf import settings

logger = logging.getLogger("meijia.sms")

SENT = "sent"
RETRY = "retry"
REFUSED = "refused"

# Aliyun codes that no retry can fix for this message (bad number, template or content);
# every other failure (throttling, system errors, balance, credentials) is retried with backoff.
ALIYUN_REFUSED = {
    "isv.MOBILE_NUMBER_ILLEGAL",
    "isv.MOBILE_COUNT_OVER_LIMIT",
    "isv.TEMPLATE_MISSING_PARAMETERS",
    "isv.TEMPLATE_PARAMS_ILLEGAL",
    "isv.SMS_TEMPLATE_ILLEGAL",
    "isv.SMS_SIGNATURE_ILLEGAL",
    "isv.SMS_SIGN_ILLEGAL",
    "isv.INVALID_PARAMETERS",
    "isv.INVALID_JSON_PARAM",
    "isv.PARAM_LENGTH_LIMIT",
    "isv.PARAM_NOT_SUPPORT_URL",
    "isv.BLACK_KEY_CONTROL_LIMIT",
    "isv.DENY_IP_RANGE",
}


@dataclass(frozen=True)
class SmsResult:
    outcome: str
    provider_id: str = ""
    detail: str = ""


def sms_send(*, phone: str, template: str, params: dict, out_id: str) -> SmsResult:
    """Send one templated SMS to an E.164 mainland number; never raises."""
    backend = settings.SMS_BACKEND
    if backend == "aliyun":
        return _aliyun_send(phone=phone, template=template, params=params, out_id=out_id)
    logger.info(
        "sms to %s template=%s params=%s out_id=%s",
        phone,
        template,
        json.dumps(params, ensure_ascii=False),
        out_id,
    )
    return SmsResult(SENT, provider_id=f"console-{out_id}")


def _aliyun_client() -> AliyunClient:
    conf = settings.SMS_ALIYUN
    return AliyunClient(
        openapi_models.Config(
            access_key_id=conf["ACCESS_KEY_ID"],
            access_key_secret=conf["ACCESS_KEY_SECRET"],
            endpoint=conf["ENDPOINT"],
            protocol=conf["PROTOCOL"],
        )
    )


def _aliyun_send(*, phone: str, template: str, params: dict, out_id: str) -> SmsResult:
    request = aliyun_models.SendSmsRequest(
        phone_numbers=phone.removeprefix("+86"),
        sign_name=settings.SMS_ALIYUN["SIGN_NAME"],
        template_code=settings.SMS_TEMPLATES[template],
        template_param=json.dumps(params, ensure_ascii=False),
        out_id=out_id,
    )
    runtime = RuntimeOptions(autoretry=False, connect_timeout=5000, read_timeout=10000)
    try:
        response = _aliyun_client().send_sms_with_options(request, runtime)
    except Exception as error:  # the SDK raises for HTTP 4xx/5xx and network failures
        code = getattr(error, "code", "") or type(error).__name__
        outcome = REFUSED if code in ALIYUN_REFUSED else RETRY
        return SmsResult(outcome, detail=f"{code}: {error}"[:300])
    body = response.body
    if body.code == "OK":
        return SmsResult(SENT, provider_id=body.biz_id or "")
    outcome = REFUSED if body.code in ALIYUN_REFUSED else RETRY
    return SmsResult(outcome, detail=f"{body.code}: {body.message}"[:300])
