"""Everything the platform holds about one user, kind by kind, read in pages.

Each section is a name (the archive's `<name>.json`) and a generator of plain dicts; rows are
read `PAGE` at a time by primary key, so no section is ever held in memory whole. What belongs
to other people inside shared records is left out (orders/privacy.py): the other party appears
by role and display name only, never a phone or an ID number, and contracts are given as she
may see them (`contract_display`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.db.models import Q, QuerySet
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from chat.models import ChatMessage
from marketplace.models import (
    AgencyStaff,
    Certificate,
    Consent,
    HealthCheck,
    HouseholdProfile,
    IdentityChange,
    TimeOff,
    TrainingRecord,
    User,
    WorkerProfile,
)
from notifications.models import Delivery, Notification, PushSubscription, SignedOutSession
from orders.models import (
    Contract,
    InvoiceRequest,
    Order,
    Payment,
    Review,
    ReviewReport,
    ServiceRequest,
)
from orders.privacy import contract_display
from personal_data.models import DeletionRequest
from programme.models import (
    Candidate,
    CompetitionEntry,
    Enrolment,
    ExamRegistration,
    JobApplication,
)

PAGE = 200
Row = dict
Section = tuple[str, Callable[[User], Iterator[Row]]]


def paged(queryset: QuerySet, *fields: str) -> Iterator[Row]:
    """`queryset.values(*fields)` read PAGE rows at a time, in primary-key order."""
    last = 0
    while True:
        page = list(queryset.filter(pk__gt=last).order_by("pk").values("pk", *fields)[:PAGE])
        if not page:
            return
        last = page[-1]["pk"]
        yield from page


def paged_objects(queryset: QuerySet) -> Iterator:
    """The model instances of `queryset`, PAGE at a time, in primary-key order."""
    last = 0
    while True:
        page = list(queryset.filter(pk__gt=last).order_by("pk")[:PAGE])
        if not page:
            return
        last = page[-1].pk
        yield from page


def her_orders(user: User) -> QuerySet[Order]:
    """The orders she is a party to as the household or the worker."""
    return Order.objects.filter(Q(household=user) | Q(worker__user=user))


def account(user: User) -> Iterator[Row]:
    yield from paged(
        User.objects.filter(pk=user.pk),
        "username",
        "role",
        "display_name",
        "phone",
        "phone_verified_at",
        "email",
        "date_joined",
        "last_login",
        "is_active",
    )


def profile(user: User) -> Iterator[Row]:
    for household in HouseholdProfile.objects.filter(user=user).select_related("division"):
        yield {
            "record": "household",
            "name": household.name,
            "phone": household.phone,
            "division": household.division.name_zh if household.division else None,
            "address": household.address,
            "latitude": household.latitude,
            "longitude": household.longitude,
            "created_at": household.created_at,
        }
    for worker in WorkerProfile.objects.filter(user=user).select_related("division"):
        yield {
            "record": "worker",
            "real_name": worker.real_name,
            "phone": worker.phone,
            # Her own number, in clear: she may read it (workers/me) and so may copy it.
            "id_card_number": worker.id_card_number,
            "division": worker.division.name_zh if worker.division else None,
            "base_latitude": worker.base_latitude,
            "base_longitude": worker.base_longitude,
            "service_radius_km": worker.service_radius_km,
            "categories": list(worker.categories.values_list("code", flat=True)),
            "hourly_rate_fen": worker.hourly_rate,
            "availability": worker.availability,
            "bio": worker.bio,
            "is_verified": worker.is_verified,
            "rating_count": worker.rating_count,
            "completed_jobs": worker.completed_jobs,
            "created_at": worker.created_at,
        }
    yield from (
        {"record": "agency_staff", **row}
        for row in paged(AgencyStaff.objects.filter(user=user), "agency__name", "staff_role")
    )


def credentials(user: User) -> Iterator[Row]:
    workers = {"worker__user": user}
    for row in paged(
        Certificate.objects.filter(**workers),
        "category__code",
        "number",
        "level",
        "issuer",
        "issued_on",
        "expires_on",
        "is_revoked",
        "verified_at",
    ):
        yield {"record": "certificate", **row}
    for row in paged(
        TrainingRecord.objects.filter(**workers),
        "course",
        "kind",
        "provider",
        "completed_on",
        "verified_at",
    ):
        yield {"record": "training", **row}
    for row in paged(
        HealthCheck.objects.filter(**workers),
        "done_on",
        "valid_until",
        "institution",
        "verified_at",
    ):
        yield {"record": "health_check", **row}
    for row in paged(TimeOff.objects.filter(**workers), "starts_on", "ends_on", "reason"):
        yield {"record": "time_off", **row}
    for row in paged(
        IdentityChange.objects.filter(**workers), "field", "old_value_masked", "changed_at"
    ):
        yield {"record": "identity_change", **row}


def requests(user: User) -> Iterator[Row]:
    yield from paged(
        ServiceRequest.objects.filter(household=user),
        "category__code",
        "division__code",
        "address",
        "latitude",
        "longitude",
        "starts_at",
        "ends_at",
        "budget",
        "description",
        "kind",
        "status",
        "cancel_reason",
        "created_at",
    )


def orders(user: User) -> Iterator[Row]:
    queryset = her_orders(user).select_related(
        "household", "worker__user", "agency", "request__category"
    )
    for order in paged_objects(queryset):
        is_household = order.household_id == user.pk
        yield {
            "id": order.pk,
            "as": "household" if is_household else "worker",
            "status": order.status,
            "category": order.request.category.code,
            "price_fen": order.price,
            "starts_at": order.starts_at,
            "ends_at": order.ends_at,
            "completed_at": order.completed_at,
            "cancelled_at": order.cancelled_at,
            "cancellation_fee_fen": order.cancellation_fee,
            # The other party by display name only (orders/privacy.py: no phone, no ID number).
            "other_party": str(order.worker.user) if is_household else str(order.household),
            "agency": order.agency.name if order.agency else None,
        }


def contracts(user: User) -> Iterator[Row]:
    queryset = Contract.objects.filter(order__in=her_orders(user)).select_related("order")
    for contract in paged_objects(queryset.prefetch_related("signatures")):
        text, terms, is_redacted = contract_display(contract=contract, user=user)
        yield {
            "order": contract.order_id,
            "version": contract.version,
            "status": contract.status,
            "text": text,
            "terms": terms,
            "is_redacted": is_redacted,
            "text_sha256": contract.text_sha256,
            "signed_at": contract.signed_at,
            "signatures": [
                {
                    "party": signature.party,
                    "signed_at": signature.signed_at,
                    "is_mine": signature.signer_id == user.pk,
                    # Where she signed from is hers; another signer's address is not.
                    "ip_address": signature.ip_address if signature.signer_id == user.pk else None,
                }
                for signature in contract.signatures.all()
            ],
        }


def payments(user: User) -> Iterator[Row]:
    yield from paged(
        Payment.objects.filter(order__in=her_orders(user)),
        "order_id",
        "provider",
        "status",
        "currency",
        "amount_authorized",
        "amount_captured",
        "amount_refunded",
        "created_at",
    )


def reviews(user: User) -> Iterator[Row]:
    for row in paged(
        Review.objects.filter(author=user), "order_id", "rating", "comment", "reply", "created_at"
    ):
        yield {"direction": "written", **row}
    received = Review.objects.filter(order__in=her_orders(user), published_at__isnull=False)
    for row in paged(
        received.exclude(author=user),
        "order_id",
        "author_party",
        "rating",
        "comment",
        "reply",
        "replied_at",
        "published_at",
    ):
        yield {"direction": "received", **row}
    for row in paged(
        ReviewReport.objects.filter(reporter=user), "review_id", "reason", "note", "status"
    ):
        yield {"direction": "reported", **row}


def invoices(user: User) -> Iterator[Row]:
    yield from paged(
        InvoiceRequest.objects.filter(requested_by=user),
        "order_id",
        "kind",
        "title",
        "tax_number",
        "email",
        "amount",
        "status",
        "invoice_number",
        "issued_on",
        "created_at",
    )


def chat_messages(user: User) -> Iterator[Row]:
    yield from paged(ChatMessage.objects.filter(sender=user), "order_id", "body", "created_at")


def notifications(user: User) -> Iterator[Row]:
    yield from paged(
        Notification.objects.filter(user=user), "type", "payload", "created_at", "read_at"
    )


def deliveries(user: User) -> Iterator[Row]:
    yield from paged(
        Delivery.objects.filter(notification__user=user),
        "notification_id",
        "channel",
        "status",
        "attempts",
        "phone",
        "created_at",
        "settled_at",
    )


def sessions(user: User) -> Iterator[Row]:
    for row in paged(
        OutstandingToken.objects.filter(user=user),
        "created_at",
        "expires_at",
        "blacklistedtoken__blacklisted_at",
    ):
        yield {"record": "sign_in", **row}
    for row in paged(SignedOutSession.objects.filter(user=user), "signed_out_at"):
        yield {"record": "sign_out", **row}
    for row in paged(
        PushSubscription.objects.filter(user=user), "user_agent", "created_at", "expires_at"
    ):
        yield {"record": "push_subscription", **row}


def consents(user: User) -> Iterator[Row]:
    yield from paged(
        Consent.objects.filter(user=user), "kind", "purpose", "version", "given_at", "withdrawn_at"
    )


def programme(user: User) -> Iterator[Row]:
    workers = {"worker__user": user}
    for row in paged(Candidate.objects.filter(**workers), "name", "phone", "village", "notes"):
        yield {"record": "candidate", **row}
    for row in paged(
        Enrolment.objects.filter(**workers), "course__name", "status", "result", "enrolled_at"
    ):
        yield {"record": "enrolment", **row}
    for row in paged(ExamRegistration.objects.filter(**workers), "exam__name", "score", "result"):
        yield {"record": "exam", **row}
    for row in paged(
        CompetitionEntry.objects.filter(**workers), "competition__name", "score", "rank", "prize"
    ):
        yield {"record": "competition", **row}
    for row in paged(
        JobApplication.objects.filter(**workers), "opening__title", "status", "applied_at"
    ):
        yield {"record": "job_application", **row}


def deletion_requests(user: User) -> Iterator[Row]:
    yield from paged(
        DeletionRequest.objects.filter(user=user),
        "status",
        "requested_at",
        "erase_after",
        "cancelled_at",
        "refused_reason",
    )


SECTIONS: list[Section] = [
    ("account", account),
    ("profile", profile),
    ("credentials", credentials),
    ("requests", requests),
    ("orders", orders),
    ("contracts", contracts),
    ("payments", payments),
    ("invoices", invoices),
    ("reviews", reviews),
    ("chat_messages", chat_messages),
    ("notifications", notifications),
    ("deliveries", deliveries),
    ("sessions", sessions),
    ("consents", consents),
    ("programme", programme),
    ("deletion_requests", deletion_requests),
]
