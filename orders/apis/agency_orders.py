"""The agency console's order side: its summary with order counts, dispatch, the open requests it
may dispatch to, and its orders, contracts and disputes.

Staff act for their own agency (`agencies/me/…`); operators for any (`agencies/<id>/…`), as in
marketplace.apis.agencies, whose AgencyApi these views extend."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from marketplace import serializers_agencies as s
from marketplace.apis.agencies import STATUS_PARAMETER, AgencyApi
from marketplace.models import AgencyStaff
from marketplace.services import agencies as services
from orders import selectors
from orders.apis.serializers import agency_orders as order_shapes
from orders.apis.serializers.orders import OrderSerializer
from orders.models import Contract, Dispute, Order, ServiceRequest
from orders.services.countersign_authorisations import countersign_authorise, countersign_revoke
from orders.services.dispatch import offer_dispatch


# The agency, with its staff, roster and order counts: the counts are why it is served here,
# above the orders it counts. (A comment, not a docstring: the schema's text stays as it was.)
class AgencyDetailApi(AgencyApi):
    def _render(self, request):
        agency = self.agency()
        staff = AgencyStaff.objects.filter(user=request.user, agency=agency).first()
        context = {
            "counts": selectors.agency_counts(agency=agency),
            "my_staff_role": staff.staff_role if staff else None,
        }
        return Response(s.AgencySerializer(agency, context=context).data)

    @extend_schema(responses=s.AgencySerializer)
    def get(self, request, agency_id: int | None = None):
        return self._render(request)

    @extend_schema(request=s.AgencyUpdateSerializer, responses=s.AgencySerializer)
    def patch(self, request, agency_id: int | None = None):
        serializer = s.AgencyUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.agency_update(
            agency=self.agency(), actor=request.user, **serializer.validated_data
        )
        return self._render(request)


class DispatchApi(AgencyApi):
    @extend_schema(
        request=order_shapes.DispatchSerializer,
        responses={
            201: order_shapes.DispatchOfferSerializer,
            200: order_shapes.DispatchOfferSerializer,
        },
    )
    def post(self, request, agency_id: int | None = None):
        agency = self.agency()
        serializer = order_shapes.DispatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        offer, created = offer_dispatch(
            agency=agency,
            actor=request.user,
            request_id=serializer.validated_data["request"],
            worker_id=serializer.validated_data["worker"],
        )
        return Response(
            order_shapes.DispatchOfferSerializer(offer).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class OpenRequestListApi(AgencyApi):
    """Open requests near the agency's division that it may dispatch a roster worker to."""

    queryset = ServiceRequest.objects.none()  # for the schema; reads go through selectors
    serializer_class = order_shapes.OpenRequestSerializer

    @extend_schema(responses=order_shapes.OpenRequestSerializer(many=True))
    def get(self, request, agency_id: int | None = None):
        briefs = selectors.open_requests_for_agency(agency=self.agency())
        return self.paginated(briefs, order_shapes.OpenRequestSerializer)


class AgencyOrderListApi(AgencyApi):
    queryset = Order.objects.none()  # for the schema; reads go through selectors
    serializer_class = OrderSerializer

    @extend_schema(parameters=[STATUS_PARAMETER], responses=OrderSerializer(many=True))
    def get(self, request, agency_id: int | None = None):
        queryset = selectors.orders_of_agency(
            agency=self.agency(), status=request.query_params.get("status") or None
        )
        return self.paginated(queryset, OrderSerializer)


class AgencyContractListApi(AgencyApi):
    queryset = Contract.objects.none()  # for the schema; reads go through selectors
    serializer_class = order_shapes.AgencyContractSerializer

    @extend_schema(
        parameters=[STATUS_PARAMETER], responses=order_shapes.AgencyContractSerializer(many=True)
    )
    def get(self, request, agency_id: int | None = None):
        queryset = selectors.contracts_of_agency(
            agency=self.agency(), status=request.query_params.get("status") or None
        )
        return self.paginated(queryset, order_shapes.AgencyContractSerializer)


class AgencyDisputeListApi(AgencyApi):
    queryset = Dispute.objects.none()  # for the schema; reads go through selectors
    serializer_class = order_shapes.AgencyDisputeSerializer

    @extend_schema(
        parameters=[STATUS_PARAMETER], responses=order_shapes.AgencyDisputeSerializer(many=True)
    )
    def get(self, request, agency_id: int | None = None):
        queryset = selectors.disputes_of_agency(
            agency=self.agency(), status=request.query_params.get("status") or None
        )
        return self.paginated(queryset, order_shapes.AgencyDisputeSerializer)


class CountersignAuthorisationApi(AgencyApi):
    """The agency's standing authorisation to countersign its rostered workers' standard
    contracts: GET the one in force and the history, POST to give it (owner), DELETE to revoke
    it (owner)."""

    def _render(self, http_status=status.HTTP_200_OK):
        agency = self.agency()
        history = list(selectors.countersign_authorisations_of_agency(agency=agency)[:20])
        data = {
            "in_force": next((a for a in history if a.is_in_force), None),
            "history": history,
            "contracts_awaiting_agency": selectors.contracts_awaiting_agency(
                agency_id=agency.pk
            ).count(),
        }
        return Response(order_shapes.CountersignStateSerializer(data).data, status=http_status)

    @extend_schema(responses=order_shapes.CountersignStateSerializer)
    def get(self, request, agency_id: int | None = None):
        return self._render()

    @extend_schema(request=None, responses={201: order_shapes.CountersignStateSerializer})
    def post(self, request, agency_id: int | None = None):
        countersign_authorise(agency=self.agency(), actor=request.user)
        return self._render(status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=order_shapes.CountersignStateSerializer)
    def delete(self, request, agency_id: int | None = None):
        countersign_revoke(agency=self.agency(), actor=request.user)
        return self._render()
