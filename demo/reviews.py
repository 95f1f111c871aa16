"""Reviews with a voice in the demo: households' tags on the year's reviews, demo-worker's
replies, a review she reported that the operator hid (with its reason), one still waiting in
the operator's queue, and demo-household's reply to a worker's review of it.

Everything is keyed by usernames and the orders' times, never database ids, and goes through
the review services, so the rating counters and the rollups move as they do in real use.
"""

from __future__ import annotations

import random
from collections import defaultdict

from backend.exceptions import DomainError
from demo.bulk import DemoSummary
from marketplace.models import ReviewTag, User, WorkerProfile
from orders.models import Review, ReviewReport
from orders.services.review_voice import review_reply, review_report, review_report_uphold
from orders.statuses import Party

WORKER_REPLIES = [
    "谢谢您的认可，下次还为您服务！",
    "感谢评价，有需要随时找我。",
]
HOUSEHOLD_REPLY = "谢谢阿姨，合作很愉快。"
HIDDEN_COMMENT = "这个阿姨电话13800001234，住在前屯村，人不行，大家别找她"
HIDDEN_REASON = "含服务员的电话和住址，且为人身攻击"
OPEN_REPORT_NOTE = "这条说的是平台收费，不是我的服务"


def _published_household_reviews():
    return Review.objects.filter(
        author_party=Party.HOUSEHOLD, published_at__isnull=False, hidden_at__isnull=True
    )


def demo_review_tags_ensure(*, summary: DemoSummary) -> None:
    """Tag the year's published household reviews: good ratings get one to three of the trade's
    words, a middling one at most one; each draw is keyed by the worker's and the household's
    usernames and the order's completion time."""
    tags_of_trade: dict[int, list[ReviewTag]] = defaultdict(list)
    for tag in ReviewTag.objects.filter(is_active=True).order_by("sort_order", "code"):
        tags_of_trade[tag.category_id].append(tag)
    rows = []
    reviews = (
        _published_household_reviews()
        .filter(tags__isnull=True)
        .values_list(
            "pk",
            "rating",
            "order__request__category_id",
            "order__worker__user__username",
            "order__household__username",
            "order__completed_at",
        )
    )
    for pk, rating, category_id, worker, household, completed_at in reviews:
        rng = random.Random(f"review-tags/{worker}/{household}/{completed_at.isoformat()}")
        choices = tags_of_trade.get(category_id, [])
        if rating >= 4:
            count = rng.randint(1, 3)
        elif rating == 3:
            count = rng.randint(0, 1)
        else:
            count = 0
        for tag in rng.sample(choices, min(count, len(choices))):
            rows.append(Review.tags.through(review_id=pk, reviewtag_id=tag.pk))
    Review.tags.through.objects.bulk_create(rows, batch_size=1000)
    summary.add("review_tags", len(rows))


def _her_reviews(worker: WorkerProfile) -> list[Review]:
    """demo-worker's published household reviews, oldest first (ties by household)."""
    return list(
        _published_household_reviews()
        .filter(order__worker=worker)
        .select_related("order__household")
        .order_by("published_at", "order__household__username")
    )


def demo_review_voice_ensure(*, summary: DemoSummary) -> None:
    """Replies, a hidden review and an open report, once (skipped when any reply exists)."""
    if Review.objects.filter(replied_at__isnull=False).exists() or ReviewReport.objects.exists():
        return
    worker = WorkerProfile.objects.filter(user__username="demo-worker").select_related("user")
    worker = worker.first()
    operator = User.objects.filter(username="admin").first()
    household = User.objects.filter(username="demo-household").first()
    if worker is None or operator is None:
        return
    hers = _her_reviews(worker)
    try:
        if hers and worker.rating_count >= 1 and worker.rating_sum >= hers[0].rating:
            hidden = hers.pop(0)
            Review.objects.filter(pk=hidden.pk).update(comment=HIDDEN_COMMENT)
            report = review_report(
                review_id=hidden.pk, user=worker.user, reason=ReviewReport.Reason.PERSONAL_DATA
            )
            review_report_uphold(report_id=report.pk, operator=operator, reason=HIDDEN_REASON)
            summary.add("hidden_reviews", 1)
        if hers:
            reported = hers.pop(0)
            review_report(
                review_id=reported.pk,
                user=worker.user,
                reason=ReviewReport.Reason.NOT_ABOUT_SERVICE,
                note=OPEN_REPORT_NOTE,
            )
            summary.add("open_review_reports", 1)
        for reply, review in zip(WORKER_REPLIES, reversed(hers), strict=False):
            review_reply(review_id=review.pk, user=worker.user, reply=reply)
            summary.add("review_replies", 1)
        if household is not None:
            of_household = (
                Review.objects.filter(
                    order__household=household,
                    author_party=Party.WORKER,
                    published_at__isnull=False,
                )
                .order_by("-published_at")
                .first()
            )
            if of_household is not None:
                review_reply(review_id=of_household.pk, user=household, reply=HOUSEHOLD_REPLY)
                summary.add("review_replies", 1)
    except DomainError:  # a changed demo history: show what could be shown
        return


def demo_reviews_ensure(*, summary: DemoSummary) -> None:
    demo_review_tags_ensure(summary=summary)
    demo_review_voice_ensure(summary=summary)
