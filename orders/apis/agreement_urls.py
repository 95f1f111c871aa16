from django.urls import path

from orders.apis import agreements

urlpatterns = [
    path("orders/<int:order_id>/contract/", agreements.ContractApi.as_view(), name="contract"),
    path(
        "orders/<int:order_id>/contract/sign/",
        agreements.ContractSignApi.as_view(),
        name="contract-sign",
    ),
    path(
        "orders/<int:order_id>/contract/amend/",
        agreements.ContractAmendApi.as_view(),
        name="contract-amend",
    ),
    path(
        "orders/<int:order_id>/contract/print/",
        agreements.ContractPrintApi.as_view(),
        name="contract-print",
    ),
    path(
        "orders/<int:order_id>/reviews/", agreements.OrderReviewsApi.as_view(), name="order-reviews"
    ),
    path(
        "workers/<int:worker_id>/reviews/",
        agreements.WorkerReviewsApi.as_view(),
        name="worker-reviews",
    ),
    path(
        "requests/<int:request_id>/occurrences/",
        agreements.RequestOccurrencesApi.as_view(),
        name="request-occurrences",
    ),
    path(
        "occurrences/<int:occurrence_id>/move/",
        agreements.OccurrenceMoveApi.as_view(),
        name="occurrence-move",
    ),
    path(
        "occurrences/<int:occurrence_id>/cancel/",
        agreements.OccurrenceCancelApi.as_view(),
        name="occurrence-cancel",
    ),
    path(
        "orders/<int:order_id>/replace/",
        agreements.PlacementReplaceApi.as_view(),
        name="order-replace",
    ),
]
