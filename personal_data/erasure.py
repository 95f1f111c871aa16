"""What deleting an account erases, anonymises and keeps (docs/privacy.md).

Erased or blanked: her name, phone, e-mail, ID number, addresses and coordinates, her bio and
service-card photo (the card is revoked), the text of chat messages, review comments, replies
and report notes she wrote, the e-mail her invoices went to, the content of her inbox and the
phone its text messages went to, push subscriptions, phone codes and reset links, and every
session (the password becomes unusable, refresh tokens are blacklisted, the account is
inactive).

Kept, because the law or the other parties need them: signed contracts exactly as signed (the
text and its SHA-256), orders, payments and the ledger, review ratings (the author is now the
anonymous account), credentials and training records (the federation's counts), and the consent
records (the proof of what she agreed to, now withdrawn). None of the facts the metrics count
changes — not a status, a date, a division or a rating — so `metrics_reconcile` still agrees.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from chat.models import ChatMessage
from marketplace.locks import lock_worker
from marketplace.models import (
    Consent,
    FederationOfficerProfile,
    HouseholdProfile,
    IdentityChange,
    PhoneCode,
    ResetLink,
    ServiceCard,
    User,
    WorkerProfile,
)
from notifications.models import (
    Delivery,
    Notification,
    PushSubscription,
    QuietHours,
    ReachPreference,
)
from orders.models import InvoiceRequest, Order, Review, ReviewReport, ServiceRequest
from programme.models import Candidate

ERASED_NAME = "已注销用户"
ERASED_MESSAGE = "（该用户已注销，消息内容已删除）"


def account_erase(*, user: User, now=None) -> User:
    """Erase and anonymise her personal data in the caller's transaction (see the module
    docstring for what is kept). Locks her worker profile when she has one."""
    now = now or timezone.now()
    _erase_profiles(user, now=now)
    ChatMessage.objects.filter(sender=user).update(body=ERASED_MESSAGE)
    Review.objects.filter(author=user).update(comment="")
    # Her replies to reviews of her, her notes to reports, the e-mail invoices went to; the
    # invoice's title and tax number stay with the money records.
    Review.objects.filter(order__in=_her_orders(user)).exclude(author=user).update(reply="")
    ReviewReport.objects.filter(reporter=user).update(note="")
    InvoiceRequest.objects.filter(requested_by=user).update(email="")
    ServiceRequest.objects.filter(household=user).update(address="", description="")
    # The inbox rows stay empty: their deliveries carry the SMS cost (a money record).
    Notification.objects.filter(user=user).update(payload={})
    Delivery.objects.filter(notification__user=user).update(phone="", error="")
    PushSubscription.objects.filter(user=user).delete()
    ReachPreference.objects.filter(user=user).delete()
    QuietHours.objects.filter(user=user).delete()
    PhoneCode.objects.filter(user=user).delete()
    ResetLink.objects.filter(user=user).delete()
    Consent.objects.filter(user=user, withdrawn_at__isnull=True).update(withdrawn_at=now)
    _end_sessions(user)
    user.username = f"deleted-{user.pk}"
    user.display_name = ERASED_NAME
    user.first_name = user.last_name = user.email = user.phone = ""
    user.phone_verified_at = None
    user.is_active = False
    user.set_unusable_password()  # every web session and token checks the password hash
    user.save()
    return user


def _her_orders(user: User):
    return Order.objects.filter(Q(household=user) | Q(worker__user=user))


def _erase_profiles(user: User, *, now) -> None:
    HouseholdProfile.objects.filter(user=user).update(
        name=ERASED_NAME, phone="", address="", latitude=None, longitude=None
    )
    FederationOfficerProfile.objects.filter(user=user).update(name=ERASED_NAME, title="")
    worker = WorkerProfile.objects.filter(user=user).first()
    if worker is None:
        return
    worker = lock_worker(worker.pk)
    worker.set_id_card_number("")
    worker.real_name = ERASED_NAME
    worker.phone = ""
    worker.bio = ""
    worker.base_latitude = worker.base_longitude = worker.geo_cell = None
    worker.is_accepting_offers = False
    worker.is_verified = False
    # The division stays: the trained and employed women are counted in it.
    worker.save()
    ServiceCard.objects.filter(worker=worker, revoked_at__isnull=True).update(revoked_at=now)
    for card in ServiceCard.objects.filter(worker=worker).exclude(photo=""):
        card.photo.delete(save=False)
        card.photo = ""
        card.save(update_fields=["photo"])
    IdentityChange.objects.filter(worker=worker).update(old_value_masked="", old_value_digest="")
    Candidate.objects.filter(worker=worker).update(
        name=ERASED_NAME, phone=f"x{worker.pk}"[:11], village="", notes=""
    )


def _end_sessions(user: User) -> None:
    tokens = OutstandingToken.objects.filter(user=user).exclude(Q(blacklistedtoken__isnull=False))
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in tokens], ignore_conflicts=True
    )
