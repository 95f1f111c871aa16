"""Reads of reviews beyond one order's: a worker's tag counts, a trade's tags, the operator's
queue of review reports."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from backend.exceptions import NotFound, ValidationFailed
from marketplace.models import Category, ReviewTag, WorkerProfile
from marketplace.models.catalog import localized
from orders.models import Review, ReviewReport
from orders.statuses import Party


@dataclass(frozen=True)
class TagCount:
    code: str
    name: str
    count: int


def worker_tag_counts(*, worker_id: int) -> list[TagCount]:
    """How often households picked each tag in her published, not hidden, reviews; most often
    first. One query."""
    if not WorkerProfile.objects.filter(pk=worker_id).exists():
        raise NotFound(_("服务员不存在。"))
    rows = (
        Review.tags.through.objects.filter(
            review__order__worker_id=worker_id,
            review__author_party=Party.HOUSEHOLD,
            review__published_at__isnull=False,
            review__hidden_at__isnull=True,
        )
        .values("reviewtag__code", "reviewtag__name_zh", "reviewtag__name_en")
        .annotate(count=Count("review_id", distinct=True))
        .order_by("-count", "reviewtag__code")
    )
    # The same word in two trades (准时 for cleaning and for cooking) is counted once.
    merged: dict[str, TagCount] = {}
    for row in rows:
        code = row["reviewtag__code"]
        name = localized(row["reviewtag__name_zh"], row["reviewtag__name_en"])
        before = merged.get(code)
        merged[code] = TagCount(code, name, row["count"] + (before.count if before else 0))
    return sorted(merged.values(), key=lambda tag: (-tag.count, tag.code))


def review_tags_of_category(*, category_code: str):
    """The tags a household may pick for an order of this trade."""
    category = Category.objects.filter(code=category_code).first()
    if category is None:
        raise ValidationFailed(_("服务工种不存在。"), field="category")
    return ReviewTag.objects.filter(category=category, is_active=True).order_by(
        "sort_order", "code"
    )


def review_tags_for_order(*, category_id: int):
    return ReviewTag.objects.filter(category_id=category_id, is_active=True).order_by(
        "sort_order", "code"
    )


def review_reports(*, status: str = ReviewReport.Status.OPEN):
    """The operator's queue: reports of one status, oldest first, with the review, its order's
    trade and the people's display names loaded."""
    if status not in ReviewReport.Status.values:
        raise ValidationFailed(_("状态无效。"), field="status")
    return (
        ReviewReport.objects.filter(status=status)
        .select_related(
            "review__author",
            "review__order__request__category",
            "review__order__worker",
            "reporter",
        )
        .prefetch_related("review__tags")
        .order_by("created_at", "pk")
    )
