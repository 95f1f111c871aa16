from django.urls import path

from personal_data import apis

urlpatterns = [
    path("me/data/", apis.DataSummaryApi.as_view(), name="data-summary"),
    path("me/data/archive/", apis.DataArchiveApi.as_view(), name="data-archive"),
    path("me/consents/", apis.ConsentListApi.as_view(), name="consent-list"),
    path(
        "me/consents/<int:consent_id>/withdraw/",
        apis.ConsentWithdrawApi.as_view(),
        name="consent-withdraw",
    ),
    path("me/deletion/", apis.AccountDeletionApi.as_view(), name="account-deletion"),
    path(
        "me/deletion/cancel/",
        apis.AccountDeletionCancelApi.as_view(),
        name="account-deletion-cancel",
    ),
    path(
        "operator/deletion-requests/",
        apis.OperatorDeletionListApi.as_view(),
        name="operator-deletion-list",
    ),
]
