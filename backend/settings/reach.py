"""Reaching people when the app is closed: Web Push (VAPID), SMS and the delivery worker.

Imported at the end of base.py; every value can be overridden from the environment.
README "Push notifications and SMS" says how to configure them.
"""

import os


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# Web Push: `python manage.py generate_vapid_keys` prints a pair. Without keys, push is off
# (subscriptions are refused and deliveries skip the channel).
VAPID_PUBLIC_KEY = os.environ.get("VAPID_PUBLIC_KEY", "")
VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "")
VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "mailto:ops@meijia.example")

# SMS: "console" (writes the message to the log; the embedded default) or "aliyun".
SMS_BACKEND = os.environ.get("SMS_BACKEND", "console")
SMS_ALIYUN = {
    "ACCESS_KEY_ID": os.environ.get("ALIYUN_ACCESS_KEY_ID", ""),
    "ACCESS_KEY_SECRET": os.environ.get("ALIYUN_ACCESS_KEY_SECRET", ""),
    "ENDPOINT": os.environ.get("ALIYUN_SMS_ENDPOINT", "dysmsapi.aliyuncs.com"),
    # "https" in production; tests point the SDK at a loopback fake over "http".
    "PROTOCOL": os.environ.get("ALIYUN_SMS_PROTOCOL", "https"),
    "SIGN_NAME": os.environ.get("ALIYUN_SMS_SIGN_NAME", "家政美家"),
}
# One approved template per kind of message (Aliyun template codes); params named in
# notifications/kinds.py.
SMS_TEMPLATES = {
    "code": os.environ.get("SMS_TEMPLATE_CODE", "SMS_000000001"),
    "offer": os.environ.get("SMS_TEMPLATE_OFFER", "SMS_000000002"),
    "order_cancelled": os.environ.get("SMS_TEMPLATE_ORDER_CANCELLED", "SMS_000000003"),
    "sos": os.environ.get("SMS_TEMPLATE_SOS", "SMS_000000004"),
}

REACH = {
    # Price of one SMS segment (70 characters) in fen, recorded on each delivery.
    "SMS_COST_FEN": _env_int("SMS_COST_FEN", 5),
    # Messages per phone per local day (SOS is never held back).
    "SMS_DAILY_LIMIT_PER_PHONE": _env_int("SMS_DAILY_LIMIT_PER_PHONE", 10),
    # Retries: the first after RETRY_BASE_SECONDS, doubling up to RETRY_MAX_SECONDS, giving up
    # after MAX_ATTEMPTS or once a notification is MAX_AGE_MINUTES old.
    "RETRY_BASE_SECONDS": _env_int("DELIVERY_RETRY_BASE_SECONDS", 30),
    "RETRY_MAX_SECONDS": _env_int("DELIVERY_RETRY_MAX_SECONDS", 600),
    "MAX_ATTEMPTS": _env_int("DELIVERY_MAX_ATTEMPTS", 12),
    "MAX_AGE_MINUTES": _env_int("DELIVERY_MAX_AGE_MINUTES", 360),
    # A worker holds a delivery this long while sending; after it another worker may retry.
    "LEASE_SECONDS": _env_int("DELIVERY_LEASE_SECONDS", 60),
    "BATCH": _env_int("DELIVERY_BATCH", 200),
    # A socket refreshes its presence row this often; a row older than twice that is gone.
    "PRESENCE_REFRESH_SECONDS": _env_int("PRESENCE_REFRESH_SECONDS", 30),
    # A push subscription lasts this long unless the browser said less (or renews it).
    "PUSH_SUBSCRIPTION_DAYS": _env_int("PUSH_SUBSCRIPTION_DAYS", 60),
    "PUSH_TTL_SECONDS": _env_int("PUSH_TTL_SECONDS", 900),
    # Default quiet hours for SMS (wall clock, Asia/Shanghai), until the user sets her own.
    "QUIET_HOURS": (
        os.environ.get("QUIET_HOURS_START", "22:00"),
        os.environ.get("QUIET_HOURS_END", "07:00"),
    ),
    # An offer reached only by SMS stays open this long from the SMS (others: OFFER_TTL).
    "OFFER_SMS_TTL_MINUTES": _env_int("OFFER_SMS_TTL_MINUTES", 30),
    # One-time codes: digits, life, tries, resend cooldown, and sends per phone / address / hour.
    "CODE_DIGITS": 6,
    "CODE_MINUTES": _env_int("PHONE_CODE_MINUTES", 10),
    "CODE_MAX_TRIES": _env_int("PHONE_CODE_MAX_TRIES", 5),
    "CODE_RESEND_SECONDS": _env_int("PHONE_CODE_RESEND_SECONDS", 60),
    "CODE_SENDS_PER_PHONE_HOUR": _env_int("PHONE_CODE_SENDS_PER_PHONE_HOUR", 5),
    "CODE_SENDS_PER_ADDRESS_HOUR": _env_int("PHONE_CODE_SENDS_PER_ADDRESS_HOUR", 20),
    # A reset link handed over by agency staff or an officer lasts this long.
    "RESET_LINK_HOURS": _env_int("RESET_LINK_HOURS", 24),
}
