"""Routes of the orders app at the API root: requests, offers, orders, contracts, reviews,
occurrences, placements, payments, the agency console's order side, and order-side safety."""

from django.urls import include, path

from marketplace.apis.agencies import agency_paths
from orders.apis import (
    agency_orders,
    blocks,
    contracts,
    occurrences,
    offers,
    open_board,
    orders,
    placements,
    rebooking,
    receipts,
    reliability,
    requests,
    reviews,
    sos,
    start_codes,
    time_off,
)

urlpatterns = [
    # requests
    path("requests/", requests.RequestListCreateApi.as_view(), name="request-list"),
    path("requests/<int:request_id>/", requests.RequestDetailApi.as_view(), name="request-detail"),
    path(
        "requests/<int:request_id>/cancel/",
        requests.RequestCancelApi.as_view(),
        name="request-cancel",
    ),
    path(
        "requests/<int:request_id>/matches/",
        requests.RequestMatchesApi.as_view(),
        name="request-matches",
    ),
    path(
        "requests/<int:request_id>/invite/",
        requests.RequestInviteApi.as_view(),
        name="request-invite",
    ),
    # booking her again
    path("favourites/", rebooking.FavouriteListCreateApi.as_view(), name="favourite-list"),
    path(
        "favourites/<int:worker_id>/",
        rebooking.FavouriteDeleteApi.as_view(),
        name="favourite-delete",
    ),
    path("orders/<int:order_id>/rebook/", rebooking.OrderRebookApi.as_view(), name="order-rebook"),
    path(
        "workers/me/asked-again/",
        rebooking.AskedAgainListApi.as_view(),
        name="worker-asked-again",
    ),
    # 抢单大厅: open requests near a worker
    path("workers/me/open-requests/", open_board.OpenBoardApi.as_view(), name="open-board"),
    path(
        "open-requests/<int:request_id>/take/",
        open_board.OpenRequestTakeApi.as_view(),
        name="open-request-take",
    ),
    path(
        "requests/<int:request_id>/applications/",
        open_board.RequestApplicationListApi.as_view(),
        name="request-applications",
    ),
    path(
        "requests/<int:request_id>/applications/<int:request_application_id>/accept/",
        open_board.RequestApplicationAcceptApi.as_view(),
        name="request-application-accept",
    ),
    path(
        "requests/<int:request_id>/instant-accept/",
        open_board.RequestInstantAcceptApi.as_view(),
        name="request-instant-accept",
    ),
    # time off
    path("workers/me/time-off/", time_off.TimeOffListCreateApi.as_view(), name="time-off-list"),
    path(
        "workers/me/time-off/<int:time_off_id>/",
        time_off.TimeOffDeleteApi.as_view(),
        name="time-off-delete",
    ),
    # offers
    path("offers/", offers.OfferListApi.as_view(), name="offer-list"),
    path("offers/<int:offer_id>/accept/", offers.OfferAcceptApi.as_view(), name="offer-accept"),
    path("offers/<int:offer_id>/decline/", offers.OfferDeclineApi.as_view(), name="offer-decline"),
    # orders
    path("orders/", orders.OrderListApi.as_view(), name="order-list"),
    path("orders/<int:order_id>/", orders.OrderDetailApi.as_view(), name="order-detail"),
    path(
        "orders/<int:order_id>/check-in/", orders.OrderCheckInApi.as_view(), name="order-check-in"
    ),
    path(
        "orders/<int:order_id>/complete/", orders.OrderCompleteApi.as_view(), name="order-complete"
    ),
    path("orders/<int:order_id>/confirm/", orders.OrderConfirmApi.as_view(), name="order-confirm"),
    path("orders/<int:order_id>/cancel/", orders.OrderCancelApi.as_view(), name="order-cancel"),
    path("orders/<int:order_id>/no-show/", orders.OrderNoShowApi.as_view(), name="order-no-show"),
    path("orders/<int:order_id>/dispute/", orders.OrderDisputeApi.as_view(), name="order-dispute"),
    path(
        "orders/<int:order_id>/dispute/resolve/",
        orders.OrderDisputeResolveApi.as_view(),
        name="order-dispute-resolve",
    ),
    # contracts
    path("orders/<int:order_id>/contract/", contracts.ContractApi.as_view(), name="contract"),
    path(
        "orders/<int:order_id>/contract/sign/",
        contracts.ContractSignApi.as_view(),
        name="contract-sign",
    ),
    path(
        "orders/<int:order_id>/contract/amend/",
        contracts.ContractAmendApi.as_view(),
        name="contract-amend",
    ),
    path(
        "orders/<int:order_id>/contract/print/",
        contracts.ContractPrintApi.as_view(),
        name="contract-print",
    ),
    # reviews
    path("orders/<int:order_id>/reviews/", reviews.OrderReviewsApi.as_view(), name="order-reviews"),
    path(
        "workers/<int:worker_id>/reviews/",
        reviews.WorkerReviewsApi.as_view(),
        name="worker-reviews",
    ),
    path(
        "workers/<int:worker_id>/review-tags/",
        reviews.WorkerReviewTagsApi.as_view(),
        name="worker-review-tags",
    ),
    path("review-tags/", reviews.ReviewTagsApi.as_view(), name="review-tags"),
    path("reviews/<int:review_id>/reply/", reviews.ReviewReplyApi.as_view(), name="review-reply"),
    path(
        "reviews/<int:review_id>/reports/",
        reviews.ReviewReportApi.as_view(),
        name="review-report",
    ),
    path("review-reports/", reviews.ReviewReportsApi.as_view(), name="review-reports"),
    path(
        "review-reports/<int:report_id>/hide/",
        reviews.ReviewReportHideApi.as_view(),
        name="review-report-hide",
    ),
    path(
        "review-reports/<int:report_id>/dismiss/",
        reviews.ReviewReportDismissApi.as_view(),
        name="review-report-dismiss",
    ),
    # occurrences and placements
    path(
        "requests/<int:request_id>/occurrences/",
        occurrences.RequestOccurrencesApi.as_view(),
        name="request-occurrences",
    ),
    path(
        "occurrences/<int:occurrence_id>/move/",
        occurrences.OccurrenceMoveApi.as_view(),
        name="occurrence-move",
    ),
    path(
        "occurrences/<int:occurrence_id>/cancel/",
        occurrences.OccurrenceCancelApi.as_view(),
        name="occurrence-cancel",
    ),
    path(
        "orders/<int:order_id>/replace/",
        placements.PlacementReplaceApi.as_view(),
        name="order-replace",
    ),
    # payments
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
        ("substitutes-needed/", time_off.SubstitutesNeededApi, "substitutes-needed"),
        ("countersign/", agency_orders.CountersignAuthorisationApi, "countersign"),
        ("invoice-requests/", receipts.AgencyInvoiceRequestListApi, "invoice-requests"),
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
