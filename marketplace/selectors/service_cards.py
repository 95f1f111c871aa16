"""Reads of the service card: its colour from her credentials, and its signed token."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.models import Certificate, HealthCheck, ServiceCard, WorkerProfile

CARD_SALT = "meijia.service-card"


EXPIRING_DAYS = 30


GREEN, YELLOW, RED = "green", "yellow", "red"


@dataclass(frozen=True)
class CardStatus:
    """green: verified, a valid certificate and a valid health check; yellow: one of them
    expires within EXPIRING_DAYS; red: unverified, or expired / revoked / missing."""

    colour: str
    reasons: list[str] = field(default_factory=list)
    certificate_expires_on: dt.date | None = None
    health_check_valid_until: dt.date | None = None


def card_status(*, worker: WorkerProfile, today: dt.date | None = None) -> CardStatus:
    """The card's colour from her verified credentials (an hourly cleaner needs no certificate
    unless she holds only trades that require one)."""
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=EXPIRING_DAYS)
    red: list[str] = []
    yellow: list[str] = []
    if not worker.is_verified:
        red.append(_("未通过实名认证"))
    certificates = list(
        Certificate.objects.filter(worker=worker, verified_at__isnull=False).select_related(
            "category"
        )
    )
    needs_certificate = (
        any(category.requires_certificate for category in worker.categories.all())
        or not worker.categories.exists()
    )
    live = [
        c for c in certificates if not c.is_revoked and (not c.expires_on or c.expires_on >= today)
    ]
    certificate_until = None
    if live:
        ends = [c.expires_on for c in live]
        certificate_until = None if any(e is None for e in ends) else max(ends)
        if certificate_until is not None and certificate_until <= soon:
            yellow.append(_("资格证书将于%(date)s到期") % {"date": certificate_until})
    if any(c.is_revoked for c in certificates):
        red.append(_("资格证书已被吊销"))
    elif not live and needs_certificate:
        red.append(_("资格证书已过期") if certificates else _("没有有效的资格证书"))
    checks = list(HealthCheck.objects.filter(worker=worker, verified_at__isnull=False))
    valid_checks = [h for h in checks if h.done_on <= today <= h.valid_until]
    health_until = max((h.valid_until for h in valid_checks), default=None)
    if health_until is None:
        red.append(_("健康体检已过期") if checks else _("没有有效的健康体检"))
    elif health_until <= soon:
        yellow.append(_("健康体检将于%(date)s到期") % {"date": health_until})
    colour = RED if red else YELLOW if yellow else GREEN
    return CardStatus(colour, red or yellow, certificate_until, health_until)


def card_token(card: ServiceCard) -> str:
    """What the QR carries: (public id, version) signed with the card salt; no database id."""
    return signing.dumps({"c": card.public_id, "v": card.version}, salt=CARD_SALT, compress=True)


def card_from_token(token: str) -> ServiceCard | None:
    """The card a token names, or None when it is forged, garbled, old or revoked."""
    try:
        data = signing.loads(token, salt=CARD_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    card = (
        ServiceCard.objects.select_related("worker__user")
        .filter(public_id=str(data.get("c", "")))
        .first()
    )
    if card is None or card.is_revoked or card.version != data.get("v"):
        return None
    return card
