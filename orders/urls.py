from django.urls import include, path

from marketplace.apis.agencies import agency_paths
from orders.apis import agency_orders, blocks, reliability, sos, start_codes

# Requests, matches, offers and the order flow; contracts, reviews, occurrences and placements.
urlpatterns = [
    path("", include("orders.apis.flow_urls")),
    path("", include("orders.apis.agreement_urls")),
    path("", include("orders.apis.payment_urls")),
]

# The agency console's order side, under `agencies/me/…` and `agencies/<id>/…`.
urlpatterns += agency_paths(
    [
        ("", agency_orders.AgencyDetailApi, "detail"),
        ("dispatch/", agency_orders.DispatchApi, "dispatch"),
        ("open-requests/", agency_orders.OpenRequestListApi, "open-requests"),
        ("orders/", agency_orders.AgencyOrderListApi, "orders"),
        ("contracts/", agency_orders.AgencyContractListApi, "contracts"),
        ("disputes/", agency_orders.AgencyDisputeListApi, "disputes"),
    ]
)

# Safety on the order side: start codes, SOS, blocking the household; a worker's reliability.
urlpatterns += [
    path(
        "orders/<int:order_id>/start-code/", start_codes.StartCodeApi.as_view(), name="start-code"
    ),
    path(
        "orders/<int:order_id>/start-code/regenerate/",
        start_codes.StartCodeRegenerateApi.as_view(),
        name="start-code-regenerate",
    ),
    path("orders/<int:order_id>/sos/", sos.SosApi.as_view(), name="order-sos"),
    path(
        "orders/<int:order_id>/block-household/",
        blocks.BlockHouseholdApi.as_view(),
        name="order-block-household",
    ),
    path(
        "workers/me/reliability/",
        reliability.OwnReliabilityApi.as_view(),
        name="reliability-own",
    ),
    path("workers/me/appeals/", reliability.OwnAppealsApi.as_view(), name="appeals-own"),
]
