"""Thin views of reviews: an order's (read and write), a worker's published ones and their tag
counts, a trade's tags, replies, reports and the operator's report queue."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import StandardPagination
from marketplace.permissions import IsOperator
from orders import selectors_reviews
from orders.apis.common import paginated
from orders.apis.serializers.reviews import (
    OperatorReviewReportOutput,
    ReportDismissInput,
    ReviewHideInput,
    ReviewInput,
    ReviewOutput,
    ReviewReplyInput,
    ReviewReportInput,
    ReviewReportOutput,
    ReviewTagOutput,
    WorkerReviewOutput,
    WorkerTagCountsOutput,
)
from orders.models import ReviewReport
from orders.services import review_voice, reviews


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
            tags=data.validated_data.get("tags", ()),
        )
        return Response(ReviewOutput(review).data, status=status.HTTP_201_CREATED)


class WorkerReviewsApi(APIView):
    pagination_class = StandardPagination

    @extend_schema(responses=WorkerReviewOutput(many=True))
    def get(self, request, worker_id: int):
        queryset = reviews.reviews_of_worker(worker_id=worker_id)
        return paginated(self, request, queryset, WorkerReviewOutput)


class WorkerReviewTagsApi(APIView):
    @extend_schema(responses=WorkerTagCountsOutput)
    def get(self, request, worker_id: int):
        counts = selectors_reviews.worker_tag_counts(worker_id=worker_id)
        return Response(WorkerTagCountsOutput({"worker": worker_id, "tags": counts}).data)


class ReviewTagsApi(APIView):
    pagination_class = StandardPagination

    @extend_schema(
        parameters=[OpenApiParameter("category", str, required=True, description="trade code")],
        responses=ReviewTagOutput(many=True),
    )
    def get(self, request):
        queryset = selectors_reviews.review_tags_of_category(
            category_code=request.query_params.get("category", "")
        )
        return paginated(self, request, queryset, ReviewTagOutput)


class ReviewReplyApi(APIView):
    @extend_schema(request=ReviewReplyInput, responses=ReviewOutput)
    def post(self, request, review_id: int):
        data = ReviewReplyInput(data=request.data)
        data.is_valid(raise_exception=True)
        review = review_voice.review_reply(
            review_id=review_id, user=request.user, reply=data.validated_data["reply"]
        )
        review = reviews.reviews_visible_on_order(order_id=review.order_id, user=request.user).get(
            pk=review.pk
        )
        return Response(ReviewOutput(review).data)


class ReviewReportApi(APIView):
    @extend_schema(request=ReviewReportInput, responses={201: ReviewReportOutput})
    def post(self, request, review_id: int):
        data = ReviewReportInput(data=request.data)
        data.is_valid(raise_exception=True)
        report = review_voice.review_report(
            review_id=review_id,
            user=request.user,
            reason=data.validated_data["reason"],
            note=data.validated_data.get("note", ""),
        )
        return Response(ReviewReportOutput(report).data, status=status.HTTP_201_CREATED)


class ReviewReportsApi(APIView):
    permission_classes = [IsOperator]
    pagination_class = StandardPagination

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status", str, enum=ReviewReport.Status.values, description="default: open"
            )
        ],
        responses=OperatorReviewReportOutput(many=True),
    )
    def get(self, request):
        queryset = selectors_reviews.review_reports(
            status=request.query_params.get("status", ReviewReport.Status.OPEN)
        )
        return paginated(self, request, queryset, OperatorReviewReportOutput)


class ReviewReportHideApi(APIView):
    permission_classes = [IsOperator]

    @extend_schema(request=ReviewHideInput, responses=OperatorReviewReportOutput)
    def post(self, request, report_id: int):
        data = ReviewHideInput(data=request.data)
        data.is_valid(raise_exception=True)
        report = review_voice.review_report_uphold(
            report_id=report_id, operator=request.user, reason=data.validated_data["reason"]
        )
        return Response(OperatorReviewReportOutput(report).data)


class ReviewReportDismissApi(APIView):
    permission_classes = [IsOperator]

    @extend_schema(request=ReportDismissInput, responses=OperatorReviewReportOutput)
    def post(self, request, report_id: int):
        data = ReportDismissInput(data=request.data)
        data.is_valid(raise_exception=True)
        report = review_voice.review_report_dismiss(
            report_id=report_id, operator=request.user, note=data.validated_data.get("note", "")
        )
        return Response(OperatorReviewReportOutput(report).data)
