from django.urls import path

from marketplace.apis import agencies as api
from marketplace.apis.auth import LogoutApi, RegisterApi, TokenObtainApi, TokenRefreshApi
from marketplace.apis.people import MeApi, WorkerDetailApi, WorkerMeApi
from marketplace.apis.reference import CategoryListApi, DivisionListApi

urlpatterns = [
    path("auth/register/", RegisterApi.as_view(), name="auth-register"),
    path("auth/token/", TokenObtainApi.as_view(), name="auth-token"),
    path("auth/token/refresh/", TokenRefreshApi.as_view(), name="auth-token-refresh"),
    path("auth/logout/", LogoutApi.as_view(), name="auth-logout"),
    path("me/", MeApi.as_view(), name="me"),
    path("categories/", CategoryListApi.as_view(), name="category-list"),
    path("divisions/", DivisionListApi.as_view(), name="division-list"),
    path("workers/me/", WorkerMeApi.as_view(), name="worker-me"),
    path("workers/<int:worker_id>/", WorkerDetailApi.as_view(), name="worker-detail"),
]

# ---- agencies (marketplace.apis.agencies): staff use `agencies/me/…`, operators `agencies/<id>/…`


def _agency_routes() -> list:
    routes = [
        ("", api.AgencyDetailApi, "detail"),
        ("staff/", api.StaffListApi, "staff-list"),
        ("staff/<int:staff_id>/", api.StaffDetailApi, "staff-detail"),
        ("roster/", api.RosterListApi, "roster-list"),
        ("roster/<int:entry_id>/end/", api.RosterEndApi, "roster-end"),
        ("workers/<int:worker_id>/credentials/", api.WorkerCredentialsApi, "worker-credentials"),
        (
            "workers/<int:worker_id>/verify-identity/",
            api.WorkerIdentityVerifyApi,
            "worker-verify-identity",
        ),
        (
            "certificates/<int:credential_id>/revoke/",
            api.CertificateRevokeApi,
            "certificate-revoke",
        ),
        ("dispatch/", api.DispatchApi, "dispatch"),
        ("open-requests/", api.OpenRequestListApi, "open-requests"),
        ("orders/", api.AgencyOrderListApi, "orders"),
        ("contracts/", api.AgencyContractListApi, "contracts"),
        ("disputes/", api.AgencyDisputeListApi, "disputes"),
    ]
    worker_routes = [
        ("workers/me/invitations/", api.WorkerInvitationListApi, "worker-invitations"),
        ("workers/me/roster/", api.WorkerRosterListApi, "worker-roster"),
        ("workers/me/roster/<int:entry_id>/end/", api.WorkerRosterEndApi, "worker-roster-end"),
        (
            "roster-invitations/<int:entry_id>/accept/",
            api.RosterInvitationAcceptApi,
            "roster-invitation-accept",
        ),
        (
            "roster-invitations/<int:entry_id>/decline/",
            api.RosterInvitationDeclineApi,
            "roster-invitation-decline",
        ),
    ]
    for kind, segment in api.CREDENTIAL_PATHS.items():
        views = api.credential_views(kind)
        name = segment.rstrip("s")
        routes += [
            (f"workers/<int:worker_id>/{segment}/", views["add"], f"worker-{name}-add"),
            (f"{segment}/<int:credential_id>/verify/", views["verify"], f"{name}-verify"),
            (f"{segment}/<int:credential_id>/unverify/", views["unverify"], f"{name}-unverify"),
        ]
        worker_routes.append((f"workers/me/{segment}/", views["own"], f"worker-own-{name}"))
    patterns = []
    for prefix, kwargs_name in (("agencies/me/", "me"), ("agencies/<int:agency_id>/", "id")):
        for suffix, view, name in routes:
            patterns.append(
                path(prefix + suffix, view.as_view(), name=f"agency-{kwargs_name}-{name}")
            )
    patterns += [path(route, view.as_view(), name=name) for route, view, name in worker_routes]
    return patterns


urlpatterns += _agency_routes()

# ---- trust and safety (marketplace.apis.safety, issue 8)
from marketplace.apis import safety as safety_api  # noqa: E402

urlpatterns += [
    path("cards/<str:token>/", safety_api.PublicCardApi.as_view(), name="card-public"),
    path("workers/me/card/", safety_api.OwnCardApi.as_view(), name="card-own"),
    path("workers/me/card/photo/", safety_api.OwnCardPhotoApi.as_view(), name="card-photo"),
    path(
        "workers/<int:worker_id>/card/revoke/",
        safety_api.CardRevokeApi.as_view(),
        name="card-revoke",
    ),
    path(
        "workers/<int:worker_id>/card/reissue/",
        safety_api.CardReissueApi.as_view(),
        name="card-reissue",
    ),
    path("orders/<int:order_id>/start-code/", safety_api.StartCodeApi.as_view(), name="start-code"),
    path(
        "orders/<int:order_id>/start-code/regenerate/",
        safety_api.StartCodeRegenerateApi.as_view(),
        name="start-code-regenerate",
    ),
    path("orders/<int:order_id>/sos/", safety_api.SosApi.as_view(), name="order-sos"),
    path(
        "orders/<int:order_id>/block-household/",
        safety_api.BlockHouseholdApi.as_view(),
        name="order-block-household",
    ),
    path("workers/me/blocks/", safety_api.OwnBlocksApi.as_view(), name="blocks-own"),
    path(
        "workers/me/blocks/<int:block_id>/",
        safety_api.OwnBlockDeleteApi.as_view(),
        name="block-delete",
    ),
    path("workers/me/reliability/", safety_api.OwnReliabilityApi.as_view(), name="reliability-own"),
    path("workers/me/appeals/", safety_api.OwnAppealsApi.as_view(), name="appeals-own"),
    path("appeals/", safety_api.AppealsToDecideApi.as_view(), name="appeals-to-decide"),
    path(
        "appeals/<int:appeal_id>/decide/",
        safety_api.AppealDecideApi.as_view(),
        name="appeal-decide",
    ),
    path("workers/me/career/", safety_api.OwnCareerApi.as_view(), name="career-own"),
    path("workers/me/career/share/", safety_api.OwnCareerShareApi.as_view(), name="career-share"),
    path("career/shared/<str:token>/", safety_api.SharedCareerApi.as_view(), name="career-shared"),
]
