"""API shapes of reviews: writing one, an order's reviews, a worker's published reviews, their
replies, tags and reports."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from marketplace.models import ReviewTag
from orders.models import Review, ReviewReport
from orders.models.reviews import (
    MAX_HIDDEN_REASON_LENGTH,
    MAX_REPLY_LENGTH,
    MAX_REPORT_NOTE_LENGTH,
)
from orders.services.reviews import MAX_COMMENT_LENGTH, MAX_TAGS


class ReviewInput(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=MAX_COMMENT_LENGTH)
    tags = serializers.ListField(
        child=serializers.SlugField(max_length=40),
        required=False,
        max_length=MAX_TAGS,
        help_text="codes of the order's trade's review tags (GET review-tags/?category=); "
        "a household's review of the worker only",
    )


class ReviewTagOutput(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = ReviewTag
        fields = ["code", "name"]
        read_only_fields = fields


class ReviewOutput(serializers.ModelSerializer):
    order = serializers.IntegerField(source="order_id")
    author = serializers.SerializerMethodField()
    is_published = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = [
            "id",
            "order",
            "author",
            "author_party",
            "rating",
            "comment",
            "created_at",
            "published_at",
            "is_published",
            "tags",
            "reply",
            "replied_at",
            "is_hidden",
            "hidden_reason",
        ]

    tags = ReviewTagOutput(many=True, read_only=True)
    is_hidden = serializers.BooleanField(read_only=True)

    def get_author(self, review) -> dict:
        return {"display_name": review.author.display_name or _("匿名用户")}

    def get_is_published(self, review) -> bool:
        return review.published_at is not None


class WorkerReviewOutput(serializers.ModelSerializer):
    """A public review: the household appears only by its display name."""

    author = serializers.SerializerMethodField()
    category = serializers.CharField(source="order.request.category.code")
    tags = ReviewTagOutput(many=True, read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "author",
            "category",
            "rating",
            "comment",
            "published_at",
            "tags",
            "reply",
            "replied_at",
        ]

    def get_author(self, review) -> dict:
        return {"display_name": review.author.display_name or _("匿名用户")}


class ReviewReplyInput(serializers.Serializer):
    reply = serializers.CharField(max_length=MAX_REPLY_LENGTH)


class ReviewReportInput(serializers.Serializer):
    reason = serializers.ChoiceField(choices=ReviewReport.Reason.choices)
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_REPORT_NOTE_LENGTH
    )


class ReviewReportOutput(serializers.ModelSerializer):
    """A report as its reporter sees it: no other reporter, no operator."""

    review = serializers.IntegerField(source="review_id", read_only=True)

    class Meta:
        model = ReviewReport
        fields = ["id", "review", "reason", "note", "status", "created_at", "resolved_at"]
        read_only_fields = fields


class ReportedReviewOutput(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    order = serializers.IntegerField(source="order_id", read_only=True)
    category = serializers.CharField(source="order.request.category.code", read_only=True)
    tags = ReviewTagOutput(many=True, read_only=True)
    is_hidden = serializers.BooleanField(read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "order",
            "category",
            "author",
            "author_party",
            "rating",
            "comment",
            "tags",
            "reply",
            "published_at",
            "is_hidden",
            "hidden_reason",
        ]
        read_only_fields = fields

    def get_author(self, review) -> dict:
        return {"display_name": review.author.display_name or _("匿名用户")}


class OperatorReviewReportOutput(serializers.ModelSerializer):
    """A report in the operator's queue, with the review it is about."""

    review = ReportedReviewOutput(read_only=True)
    reporter = serializers.SerializerMethodField()

    class Meta:
        model = ReviewReport
        fields = [
            "id",
            "review",
            "reporter",
            "reporter_party",
            "reason",
            "note",
            "status",
            "created_at",
            "resolved_at",
            "resolution_note",
        ]
        read_only_fields = fields

    def get_reporter(self, report) -> dict:
        return {"display_name": report.reporter.display_name or _("匿名用户")}


class ReviewHideInput(serializers.Serializer):
    reason = serializers.CharField(
        max_length=MAX_HIDDEN_REASON_LENGTH, help_text="shown to the review's author"
    )


class ReportDismissInput(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_HIDDEN_REASON_LENGTH
    )


class TagCountOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField()


class WorkerTagCountsOutput(serializers.Serializer):
    worker = serializers.IntegerField()
    tags = TagCountOutput(many=True)
