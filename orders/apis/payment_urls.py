from django.urls import path

from orders.apis import payments as api
from orders.apis import receipts

urlpatterns = [
    path("orders/<int:order_id>/payments/", api.OrderPaymentsApi.as_view(), name="order-payments"),
    path(
        "orders/<int:order_id>/payments/offline/",
        api.OfflinePaymentApi.as_view(),
        name="order-payment-offline",
    ),
    path(
        "orders/<int:order_id>/payments/authorize/",
        api.AuthorizePaymentApi.as_view(),
        name="order-payment-authorize",
    ),
    path("payments/stripe/webhook/", api.StripeWebhookApi.as_view(), name="stripe-webhook"),
    path("agencies/me/statements/", api.AgencyStatementApi.as_view(), name="agency-statements"),
    path(
        "agencies/me/statements.csv",
        api.AgencyStatementApi.as_view(as_csv=True),
        name="agency-statements-csv",
    ),
    path("workers/me/statements/", api.WorkerStatementApi.as_view(), name="worker-statements"),
    path(
        "workers/me/statements.csv",
        api.WorkerStatementApi.as_view(as_csv=True),
        name="worker-statements-csv",
    ),
    # receipts and invoices
    path(
        "orders/<int:order_id>/receipt/", receipts.OrderReceiptApi.as_view(), name="order-receipt"
    ),
    path(
        "orders/<int:order_id>/receipt.pdf",
        receipts.OrderReceiptPdfApi.as_view(),
        name="order-receipt-pdf",
    ),
    path(
        "orders/<int:order_id>/invoice-requests/",
        receipts.OrderInvoiceRequestsApi.as_view(),
        name="order-invoice-requests",
    ),
    path(
        "invoice-requests/<int:invoice_request_id>/issue/",
        receipts.InvoiceIssueApi.as_view(),
        name="invoice-request-issue",
    ),
    path(
        "invoice-requests/<int:invoice_request_id>/reject/",
        receipts.InvoiceRejectApi.as_view(),
        name="invoice-request-reject",
    ),
]
