"""API shapes of reviews: writing one, an order's reviews, a worker's published reviews."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from orders.models import Review
from orders.services.reviews import MAX_COMMENT_LENGTH


class ReviewInput(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=MAX_COMMENT_LENGTH)


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
        ]

    def get_author(self, review) -> dict:
        return {"display_name": review.author.display_name or _("匿名用户")}

    def get_is_published(self, review) -> bool:
        return review.published_at is not None


class WorkerReviewOutput(serializers.ModelSerializer):
    """A public review: the household appears only by its display name."""

    author = serializers.SerializerMethodField()
    category = serializers.CharField(source="order.request.category.code")

    class Meta:
        model = Review
        fields = ["id", "author", "category", "rating", "comment", "published_at"]

    def get_author(self, review) -> dict:
        return {"display_name": review.author.display_name or _("匿名用户")}
