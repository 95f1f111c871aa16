from django.urls import include, path

# Requests, matches, offers and the order flow; contracts, reviews, occurrences and placements.
urlpatterns = [
    path("", include("orders.apis.flow_urls")),
    path("", include("orders.apis.agreement_urls")),
    path("", include("orders.apis.payment_urls")),
]
