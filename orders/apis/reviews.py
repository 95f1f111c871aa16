"""Thin views of reviews: an order's (read and write) and a worker's published ones."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import StandardPagination
from orders.apis.common import paginated
from orders.apis.serializers.reviews import ReviewInput, ReviewOutput, WorkerReviewOutput
from orders.services import reviews


class OrderReviewsApi(APIView):
    pagination_class = StandardPagination

    @extend_schema(responses=ReviewOutput(many=True))
    def get(self, request, order_id: int):
        queryset = reviews.reviews_visible_on_order(order_id=order_id, user=request.user)
        return paginated(self, request, queryset, ReviewOutput)

    @extend_schema(request=ReviewInput, responses={201: ReviewOutput})
    def post(self, request, order_id: int):
        data = ReviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        review = reviews.review_create(
            order_id=order_id,
            user=request.user,
            rating=data.validated_data["rating"],
            comment=data.validated_data.get("comment", ""),
        )
        return Response(ReviewOutput(review).data, status=status.HTTP_201_CREATED)


class WorkerReviewsApi(APIView):
    pagination_class = StandardPagination

    @extend_schema(responses=WorkerReviewOutput(many=True))
    def get(self, request, worker_id: int):
        queryset = reviews.reviews_of_worker(worker_id=worker_id)
        return paginated(self, request, queryset, WorkerReviewOutput)
