"""Thin views of an order's contract: read, sign, amend, print."""

from django.http import HttpResponse
from django.template.loader import render_to_string
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.client_address import client_address
from orders.apis.serializers.contracts import (
    ContractAmendInput,
    ContractOutput,
    ContractQuery,
    ContractSignInput,
)
from orders.privacy import contract_display
from orders.services import contracts
from orders.services.contracts import PARTY_LABELS


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
            ip_address=client_address(request),
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
