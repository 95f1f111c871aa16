"""Routes of the request → offer → order flow (PRODUCT.md §5)."""

from django.urls import path

from orders.apis import flow

urlpatterns = [
    path("requests/", flow.RequestListCreateApi.as_view(), name="request-list"),
    path("requests/<int:request_id>/", flow.RequestDetailApi.as_view(), name="request-detail"),
    path(
        "requests/<int:request_id>/cancel/",
        flow.RequestCancelApi.as_view(),
        name="request-cancel",
    ),
    path(
        "requests/<int:request_id>/matches/",
        flow.RequestMatchesApi.as_view(),
        name="request-matches",
    ),
    path(
        "requests/<int:request_id>/invite/",
        flow.RequestInviteApi.as_view(),
        name="request-invite",
    ),
    path("offers/", flow.OfferListApi.as_view(), name="offer-list"),
    path("offers/<int:offer_id>/accept/", flow.OfferAcceptApi.as_view(), name="offer-accept"),
    path("offers/<int:offer_id>/decline/", flow.OfferDeclineApi.as_view(), name="offer-decline"),
    path("orders/", flow.OrderListApi.as_view(), name="order-list"),
    path("orders/<int:order_id>/", flow.OrderDetailApi.as_view(), name="order-detail"),
    path("orders/<int:order_id>/check-in/", flow.OrderCheckInApi.as_view(), name="order-check-in"),
    path("orders/<int:order_id>/complete/", flow.OrderCompleteApi.as_view(), name="order-complete"),
    path("orders/<int:order_id>/confirm/", flow.OrderConfirmApi.as_view(), name="order-confirm"),
    path("orders/<int:order_id>/cancel/", flow.OrderCancelApi.as_view(), name="order-cancel"),
    path("orders/<int:order_id>/no-show/", flow.OrderNoShowApi.as_view(), name="order-no-show"),
    path("orders/<int:order_id>/dispute/", flow.OrderDisputeApi.as_view(), name="order-dispute"),
    path(
        "orders/<int:order_id>/dispute/resolve/",
        flow.OrderDisputeResolveApi.as_view(),
        name="order-dispute-resolve",
    ),
]
