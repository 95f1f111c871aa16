"""Thin views of receipts and invoices: an order's receipt (JSON and PDF), the household's
invoice requests, the agency's list of them, and issuing or rejecting one."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.exceptions import PermissionDeniedError
from marketplace.apis.agencies import STATUS_PARAMETER, AgencyApi
from orders.apis.serializers import receipts as shapes
from orders.models import InvoiceRequest
from orders.receipts.pdf import receipt_pdf
from orders.receipts.selectors import receipt_of, receipt_order
from orders.selectors_invoices import invoice_requests_of_agency, invoice_requests_of_order
from orders.services import invoices as services
from orders.statuses import Party


class OrderReceiptApi(APIView):
    """The receipt of a paid order: the order's parties and operators (409 before payment)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=shapes.ReceiptSerializer)
    def get(self, request, order_id: int):
        receipt = receipt_of(user=request.user, order_id=order_id)
        return Response(shapes.ReceiptSerializer(receipt).data)


class OrderReceiptPdfApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The receipt as an A4 PDF"
            )
        }
    )
    def get(self, request, order_id: int):
        receipt = receipt_of(user=request.user, order_id=order_id)
        response = HttpResponse(receipt_pdf(receipt), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="receipt-{receipt.number}.pdf"'
        return response


class OrderInvoiceRequestsApi(APIView):
    """The order's invoice requests (household, agency, operators); the household asks."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=shapes.InvoiceRequestSerializer(many=True))
    def get(self, request, order_id: int):
        order, party = receipt_order(user=request.user, order_id=order_id)
        if party == Party.WORKER:
            raise PermissionDeniedError(
                gettext("发票申请只对雇主和家政企业可见。"), code="wrong_party"
            )
        rows = invoice_requests_of_order(order=order)
        return Response(shapes.InvoiceRequestSerializer(rows, many=True).data)

    @extend_schema(
        request=shapes.InvoiceRequestCreateSerializer,
        responses={201: shapes.InvoiceRequestSerializer},
    )
    def post(self, request, order_id: int):
        serializer = shapes.InvoiceRequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invoice = services.invoice_request_create(
            order_id=order_id, actor=request.user, **serializer.validated_data
        )
        return Response(
            shapes.InvoiceRequestSerializer(invoice).data, status=status.HTTP_201_CREATED
        )


class AgencyInvoiceRequestListApi(AgencyApi):
    queryset = InvoiceRequest.objects.none()  # for the schema; reads go through selectors
    serializer_class = shapes.InvoiceRequestSerializer

    @extend_schema(
        parameters=[STATUS_PARAMETER], responses=shapes.InvoiceRequestSerializer(many=True)
    )
    def get(self, request, agency_id: int | None = None):
        queryset = invoice_requests_of_agency(
            agency=self.agency(), status=request.query_params.get("status") or None
        )
        return self.paginated(queryset, shapes.InvoiceRequestSerializer)


class InvoiceIssueApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=shapes.InvoiceIssueSerializer, responses=shapes.InvoiceRequestSerializer)
    def post(self, request, invoice_request_id: int):
        serializer = shapes.InvoiceIssueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invoice = services.invoice_request_issue(
            invoice_request_id=invoice_request_id,
            actor=request.user,
            **serializer.validated_data,
        )
        return Response(shapes.InvoiceRequestSerializer(invoice).data)


class InvoiceRejectApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=shapes.InvoiceRejectSerializer, responses=shapes.InvoiceRequestSerializer
    )
    def post(self, request, invoice_request_id: int):
        serializer = shapes.InvoiceRejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invoice = services.invoice_request_reject(
            invoice_request_id=invoice_request_id,
            actor=request.user,
            reason=serializer.validated_data["reason"],
        )
        return Response(shapes.InvoiceRequestSerializer(invoice).data)
