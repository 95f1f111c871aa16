"""Thin views of payments: status and ledger of an order, offline records, card authorisation,
Stripe webhooks, and the monthly statements of agencies and workers."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.idempotency import idempotency_key_from
from backend.exceptions import NotFound, PermissionDeniedError
from marketplace.permissions import IsAgencyStaff, IsHousehold, IsWorker
from orders.models import Order, Payment
from orders.models.payments import LedgerAccount, OfflineMethod
from orders.parties import party_of
from orders.payments import statements, stripe_api
from orders.payments.amounts import amount_due, order_received_total
from orders.payments.authorisation import payment_authorize, payment_provider
from orders.payments.offline import payment_record_offline
from orders.payments.webhooks import webhook_receive
from orders.statuses import Party

# The ledger lines each party sees on an order: the household its money, the worker her share,
# the agency everything on its order.
VISIBLE_ACCOUNTS = {
    Party.HOUSEHOLD: (LedgerAccount.CARD_HOLD, LedgerAccount.STRIPE_BALANCE),
    Party.WORKER: (LedgerAccount.WORKER_PAYABLE,),
}


class OfflinePaymentSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=OfflineMethod.choices)
    amount = serializers.IntegerField(min_value=1)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True)


def _order_payment_data(order: Order, party: str | None) -> dict:
    payment = Payment.objects.filter(order=order).first()
    lines = order.ledger.order_by("created_at", "id")
    if party in VISIBLE_ACCOUNTS:
        lines = lines.filter(account__in=VISIBLE_ACCOUNTS[party])
    received = order_received_total(order.pk)
    due = amount_due(order)
    return {
        "order": order.pk,
        "provider": payment.provider if payment else payment_provider(),
        "online_available": stripe_api.is_enabled(),
        "status": payment.status if payment else "unpaid",
        "mode": payment.mode if payment else "",
        "currency": "CNY",
        "price": order.price,
        "amount_due": due,
        "amount_authorized": payment.amount_authorized if payment else 0,
        "amount_received": received,
        "amount_outstanding": max((order.price if due is None else due) - received, 0),
        "ledger": [
            {
                "id": line.pk,
                "movement": line.movement,
                "account": line.account,
                "kind": line.kind,
                "amount": line.amount,
                "created_at": line.created_at.isoformat(),
            }
            for line in lines
        ],
    }


def _order_of_party(request, order_id: int) -> tuple[Order, str | None]:
    order = Order.objects.select_related("worker").filter(pk=order_id).first()
    party = party_of(request.user, order) if order is not None else None
    if order is None or (party is None and not request.user.is_operator):
        raise NotFound(gettext("订单不存在。"))
    return order, party


class OrderPaymentsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, order_id: int):
        order, party = _order_of_party(request, order_id)
        return Response(_order_payment_data(order, party))


class OfflinePaymentApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=OfflinePaymentSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, order_id: int):
        serializer = OfflinePaymentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        operation = payment_record_offline(
            order_id=order_id,
            actor=request.user,
            idempotency_key=idempotency_key_from(request),
            **serializer.validated_data,
        )
        order, party = _order_of_party(request, order_id)
        data = _order_payment_data(order, party)
        data["record"] = {
            "id": operation.pk,
            "method": operation.method,
            "amount": operation.amount,
            "reference": operation.reference,
        }
        return Response(data, status=status.HTTP_201_CREATED)


class AuthorizePaymentApi(APIView):
    permission_classes = [IsHousehold]

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request, order_id: int):
        authorization = payment_authorize(order_id=order_id, actor=request.user)
        return Response(
            {
                "order": order_id,
                "mode": authorization.mode,
                "intent": authorization.intent_id,
                "client_secret": authorization.client_secret,
                "publishable_key": _publishable_key(),
                "status": authorization.payment.status,
            }
        )


def _publishable_key() -> str:
    return settings.STRIPE_PUBLISHABLE_KEY


class StripeWebhookApi(APIView):
    """Stripe calls this: no user authentication, the signature is the credential."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(request=None, responses={200: None})
    def post(self, request):
        if not stripe_api.is_enabled():
            return Response({"code": "offline_provider"}, status=status.HTTP_404_NOT_FOUND)
        try:
            event, processed = webhook_receive(
                payload=request.body, signature=request.META.get("HTTP_STRIPE_SIGNATURE", "")
            )
        except stripe_api.StripeUnavailable:
            return Response({"code": "retry"}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        return Response({"event": event.event_id, "processed": processed})


MONTH_PARAMETER = OpenApiParameter("month", str, description="YYYY-MM (default: this month)")


def _month(request) -> str:
    return request.query_params.get("month") or timezone.localdate().strftime("%Y-%m")


def _render(statement, as_csv: bool, filename: str):
    if not as_csv:
        return Response(statement.as_dict())
    response = HttpResponse(
        statements.statement_csv(statement), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}-{statement.month}.csv"'
    return response


class AgencyStatementApi(APIView):
    permission_classes = [IsAgencyStaff]
    as_csv = False

    @extend_schema(parameters=[MONTH_PARAMETER], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        staff = getattr(request.user, "agency_staff", None)
        if staff is None:
            raise PermissionDeniedError(gettext("您不属于任何家政企业。"))
        statement = statements.statement_of_agency(agency=staff.agency, month=_month(request))
        return _render(statement, self.as_csv, f"agency-{staff.agency_id}-statement")


class WorkerStatementApi(APIView):
    permission_classes = [IsWorker]
    as_csv = False

    @extend_schema(parameters=[MONTH_PARAMETER], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        worker = request.user.worker
        statement = statements.statement_of_worker(worker=worker, month=_month(request))
        return _render(statement, self.as_csv, f"worker-{worker.pk}-statement")
