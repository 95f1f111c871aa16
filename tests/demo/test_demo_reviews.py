"""The demo shows reviews with a voice: demo-worker's replies, a review she reported that the
operator hid with its reason, a report still open, and tags counted on her profile."""

import pytest

from demo.seed import demo_seed
from marketplace.models import WorkerProfile
from metrics.reconcile import metrics_reconcile
from orders.models import Review, ReviewReport
from orders.selectors_reviews import worker_tag_counts

pytestmark = pytest.mark.django_db


def test_demo_shows_replies_a_hidden_review_an_open_report_and_tags_once():
    demo_seed(workers=120, households=40, orders=90)
    worker = WorkerProfile.objects.get(user__username="demo-worker")
    hers = Review.objects.filter(order__worker=worker, author_party="household")
    hidden = hers.get(hidden_at__isnull=False)
    assert hidden.hidden_reason and hidden.reports.get().status == "upheld"
    assert ReviewReport.objects.filter(status="open", reporter=worker.user).count() == 1
    assert hers.filter(replied_at__isnull=False).exists()
    assert Review.objects.filter(
        order__household__username="demo-household", author_party="worker", reply__gt=""
    ).exists()
    assert Review.tags.through.objects.exists()
    assert all(tag.count >= 1 for tag in worker_tag_counts(worker_id=worker.pk))
    assert metrics_reconcile().is_clean

    before = (
        Review.tags.through.objects.count(),
        ReviewReport.objects.count(),
        Review.objects.filter(replied_at__isnull=False).count(),
    )
    demo_seed(workers=120, households=40, orders=90)
    after = (
        Review.tags.through.objects.count(),
        ReviewReport.objects.count(),
        Review.objects.filter(replied_at__isnull=False).count(),
    )
    assert after == before
