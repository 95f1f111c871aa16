"""Thin views for contracts, reviews, visits (occurrences) and placement replacement."""

from django.http import HttpResponse
from django.template.loader import render_to_string
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import StandardPagination
from orders.apis.agreement_serializers import (
    ContractAmendInput,
    ContractOutput,
    ContractQuery,
    ContractSignInput,
    OccurrenceCancelInput,
    OccurrenceMoveInput,
    OccurrenceOutput,
    ReplaceInput,
    ReplaceOutput,
    ReviewInput,
    ReviewOutput,
    WorkerReviewOutput,
)
from orders.privacy import contract_display
from orders.services import contracts, occurrences, placements, reviews
from orders.services.contracts import PARTY_LABELS


def _paginated(view, request, queryset, serializer_class):
    paginator = StandardPagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


class ContractApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("version", int, required=False)],
        responses=ContractOutput,
    )
    def get(self, request, order_id: int):
        query = ContractQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        contract = contracts.contract_for_party(
            order_id=order_id, user=request.user, version=query.validated_data.get("version")
        )
        return Response(ContractOutput(contract, context={"request": request}).data)


class ContractSignApi(APIView):
    @extend_schema(request=ContractSignInput, responses=ContractOutput)
    def post(self, request, order_id: int):
        data = ContractSignInput(data=request.data)
        data.is_valid(raise_exception=True)
        contract = contracts.contract_sign(
            order_id=order_id,
            user=request.user,
            ip_address=request.META.get("REMOTE_ADDR"),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            text_sha256=data.validated_data.get("text_sha256"),
        )
        contract = contracts.contract_current(order=contract.order, version=contract.version)
        return Response(ContractOutput(contract, context={"request": request}).data)


class ContractAmendApi(APIView):
    @extend_schema(request=ContractAmendInput, responses={201: ContractOutput})
    def post(self, request, order_id: int):
        data = ContractAmendInput(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        reason = changes.pop("reason")
        contract = contracts.contract_amend(
            order_id=order_id, user=request.user, changes=changes, reason=reason
        )
        contract = contracts.contract_current(order=contract.order, version=contract.version)
        return Response(
            ContractOutput(contract, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ContractPrintApi(APIView):
    """A printable A4 HTML page of one contract version (parties only)."""

    @extend_schema(
        parameters=[OpenApiParameter("version", int, required=False)],
        responses={(200, "text/html"): str},
    )
    def get(self, request, order_id: int):
        query = ContractQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        contract = contracts.contract_for_party(
            order_id=order_id, user=request.user, version=query.validated_data.get("version")
        )
        # Shown as this party may see it (never saved: the stored text is the signed one).
        contract.text = contract_display(contract=contract, user=request.user)[0]
        by_party = {signature.party: signature for signature in contract.signatures.all()}
        parties = [
            {"label": PARTY_LABELS.get(party, party), "signature": by_party.get(party)}
            for party in contract.required_parties
        ]
        html = render_to_string(
            "orders/contract_print.html", {"contract": contract, "parties": parties}, request
        )
        return HttpResponse(html, content_type="text/html; charset=utf-8")


class OrderReviewsApi(APIView):
    @extend_schema(responses=ReviewOutput(many=True))
    def get(self, request, order_id: int):
        queryset = reviews.reviews_visible_on_order(order_id=order_id, user=request.user)
        return _paginated(self, request, queryset, ReviewOutput)

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
    @extend_schema(responses=WorkerReviewOutput(many=True))
    def get(self, request, worker_id: int):
        queryset = reviews.reviews_of_worker(worker_id=worker_id)
        return _paginated(self, request, queryset, WorkerReviewOutput)


class RequestOccurrencesApi(APIView):
    @extend_schema(responses=OccurrenceOutput(many=True))
    def get(self, request, request_id: int):
        queryset = occurrences.occurrences_for_user(request_id=request_id, user=request.user)
        return _paginated(self, request, queryset, OccurrenceOutput)


class OccurrenceMoveApi(APIView):
    @extend_schema(request=OccurrenceMoveInput, responses=OccurrenceOutput)
    def post(self, request, occurrence_id: int):
        data = OccurrenceMoveInput(data=request.data)
        data.is_valid(raise_exception=True)
        occurrence = occurrences.occurrence_move(
            occurrence_id=occurrence_id, user=request.user, **data.validated_data
        )
        return Response(OccurrenceOutput(occurrence).data)


class OccurrenceCancelApi(APIView):
    @extend_schema(request=OccurrenceCancelInput, responses=OccurrenceOutput(many=True))
    def post(self, request, occurrence_id: int):
        data = OccurrenceCancelInput(data=request.data)
        data.is_valid(raise_exception=True)
        cancelled = occurrences.occurrence_cancel(
            occurrence_id=occurrence_id, user=request.user, **data.validated_data
        )
        return Response({"cancelled": OccurrenceOutput(cancelled, many=True).data})


class PlacementReplaceApi(APIView):
    @extend_schema(request=ReplaceInput, responses=ReplaceOutput)
    def post(self, request, order_id: int):
        data = ReplaceInput(data=request.data)
        data.is_valid(raise_exception=True)
        order = placements.placement_replace(
            order_id=order_id, user=request.user, reason=data.validated_data["reason"]
        )
        service_request = order.request
        service_request.refresh_from_db()
        return Response(
            {
                "order": {
                    "id": order.pk,
                    "status": order.status,
                    "settlement_amount": order.settlement_amount,
                },
                "request": {
                    "id": service_request.pk,
                    "status": service_request.status,
                    "starts_at": service_request.starts_at,
                    "ends_at": service_request.ends_at,
                },
            }
        )
