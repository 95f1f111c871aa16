"""Reviews: each side of a completed order rates the other once, within the review window.

A review stays hidden until both sides have reviewed or the window
(MEIJIA["REVIEW_WINDOW_DAYS"] days after `completed_at`) has closed, so neither side answers
the other. Publishing is a conditional UPDATE … WHERE published_at IS NULL per review, and only
the call whose UPDATE changed the row moves the worker's rating counters (F()), so two
concurrent publishers never count a review twice. Only published household→worker reviews feed
`rating_sum`/`rating_count`, hence the Bayesian rating used in ranking moves only with visible
reviews; hiding one (orders.services.review_voice) takes it back out. A household's review may
carry tags from the order's trade (marketplace.ReviewTag).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.exceptions import Conflict, NotFound, PermissionDeniedError, ValidationFailed
from backend.fact_changes import order_facts_changed
from marketplace.models import ReviewTag, User, WorkerProfile
from notifications.events import NOTIFICATION, send_event_on_commit
from orders.locks import lock_order
from orders.models import Order, Review
from orders.parties import party_of
from orders.statuses import OrderStatus, Party

MAX_COMMENT_LENGTH = 1000
MAX_TAGS = 6
REVIEWING_PARTIES = (Party.HOUSEHOLD, Party.WORKER)


def review_window_days() -> int:
    return settings.MEIJIA["REVIEW_WINDOW_DAYS"]


def review_window_ends_at(order: Order) -> dt.datetime | None:
    if order.completed_at is None:
        return None
    return order.completed_at + dt.timedelta(days=review_window_days())


def _publish(*, review_ids: list[int], now: dt.datetime) -> list[Review]:
    """Publish the given reviews that are still hidden; returns those this call published."""
    published = []
    hidden = Review.objects.filter(pk__in=review_ids, published_at__isnull=True)
    for review in hidden.select_related("order").order_by("pk"):
        changed = Review.objects.filter(pk=review.pk, published_at__isnull=True).update(
            published_at=now
        )
        if not changed:
            continue  # another caller published it first and counted it
        review.published_at = now
        published.append(review)
        order_facts_changed(order_id=review.order_id)
        if review.author_party == Party.HOUSEHOLD:
            WorkerProfile.objects.filter(pk=review.order.worker_id).update(
                rating_sum=F("rating_sum") + review.rating,
                rating_count=F("rating_count") + 1,
            )
    return published


def _notify_published(*, order: Order) -> None:
    send_event_on_commit(
        event_type=NOTIFICATION,
        recipients=[order.household_id, order.worker.user_id],
        payload={
            "kind": "review.published",
            "order": order.pk,
            "message": _("订单评价已公开。"),
        },
    )


def _chosen_tags(*, order: Order, party: str, codes) -> list[ReviewTag]:
    """The tags named by `codes`, each one of the order's trade; only a household tags."""
    codes = list(dict.fromkeys(codes or ()))
    if not codes:
        return []
    if party != Party.HOUSEHOLD:
        raise ValidationFailed(_("只有雇主评价服务员时可以选择标签。"), field="tags")
    if len(codes) > MAX_TAGS:
        raise ValidationFailed(_("最多选择6个标签。"), field="tags")
    tags = list(
        ReviewTag.objects.filter(
            category_id=order.request.category_id, code__in=codes, is_active=True
        )
    )
    if len(tags) != len(codes):
        raise ValidationFailed(_("所选标签不属于该服务工种。"), field="tags")
    return tags


def review_create(*, order_id: int, user: User, rating, comment: str = "", tags=()) -> Review:
    """Rate the other side of a completed order; publishes both when the second one arrives.

    Locks the order row. Raises NotFound (not a party), PermissionDeniedError (agency staff),
    ValidationFailed (rating / comment / tags: codes of the order's trade, household only),
    Conflict "order_not_completed", "review_window_closed", "already_reviewed".
    """
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationFailed(_("评分须为1到5的整数。"), field="rating")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT_LENGTH:
        raise ValidationFailed(_("评价不能超过1000字。"), field="comment")
    now = timezone.now()
    with transaction.atomic():
        order = lock_order(order_id, related=("worker", "request"))
        party = party_of(user, order) if order is not None else None
        if party is None:
            raise NotFound(_("订单不存在。"))
        if party not in REVIEWING_PARTIES:
            raise PermissionDeniedError(_("只有雇主和服务员可以评价。"), code="cannot_review")
        if order.status != OrderStatus.COMPLETED or order.completed_at is None:
            raise Conflict(
                _("订单完成后才能评价。"),
                code="order_not_completed",
                extra={"current_status": order.status},
            )
        if now > review_window_ends_at(order):
            raise Conflict(_("评价期已结束。"), code="review_window_closed")
        chosen = _chosen_tags(order=order, party=party, codes=tags)
        try:
            with transaction.atomic():
                review = Review.objects.create(
                    order=order, author=user, author_party=party, rating=rating, comment=comment
                )
        except IntegrityError as error:
            raise Conflict(_("您已评价过该订单。"), code="already_reviewed") from error
        if chosen:
            review.tags.set(chosen)

        sides = list(Review.objects.filter(order=order).values_list("pk", flat=True))
        if len(sides) == len(REVIEWING_PARTIES):
            published = _publish(review_ids=sides, now=now)
            if published:
                _notify_published(order=order)
                review.published_at = now
        else:
            other = order.worker.user_id if party == Party.HOUSEHOLD else order.household_id
            send_event_on_commit(
                event_type=NOTIFICATION,
                recipients=[other],
                payload={
                    "kind": "review.received",
                    "order": order.pk,
                    "message": _("对方已评价，您的评价提交后双方评价将同时公开。"),
                },
            )
    return review


def review_windows_close(*, now: dt.datetime | None = None) -> int:
    """Publish hidden reviews of orders whose window has closed; returns how many it published.

    Idempotent and safe under concurrent runs: each review is published by exactly one
    conditional UPDATE, and only that caller counts it.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=review_window_days())
    candidates = list(
        Review.objects.filter(published_at__isnull=True, order__completed_at__lte=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    count = 0
    for start in range(0, len(candidates), 500):
        with transaction.atomic():
            published = _publish(review_ids=candidates[start : start + 500], now=now)
            count += len(published)
            for order in Order.objects.filter(
                pk__in={review.order_id for review in published}
            ).select_related("worker"):
                _notify_published(order=order)
    return count


# --- reads -----------------------------------------------------------------------------------


def reviews_visible_on_order(*, order_id: int, user: User):
    """A party's view of an order's reviews: its own always (hidden ones with the operator's
    reason), the others' once published and unless an operator hid them."""
    order = Order.objects.select_related("worker").filter(pk=order_id).first()
    party = party_of(user, order) if order is not None else None
    if party is None:
        raise NotFound(_("订单不存在。"))
    return (
        Review.objects.filter(order=order)
        .filter(Q(author=user) | Q(published_at__isnull=False, hidden_at__isnull=True))
        .select_related("author")
        .prefetch_related("tags")
        .order_by("created_at", "pk")
    )


def reviews_of_worker(*, worker_id: int):
    """Published household reviews of one worker that no operator hid, newest first."""
    if not WorkerProfile.objects.filter(pk=worker_id).exists():
        raise NotFound(_("服务员不存在。"))
    return (
        Review.objects.filter(
            order__worker_id=worker_id,
            author_party=Party.HOUSEHOLD,
            published_at__isnull=False,
            hidden_at__isnull=True,
        )
        .select_related("author", "order__request__category")
        .prefetch_related("tags")
        .order_by("-published_at", "-pk")
    )
