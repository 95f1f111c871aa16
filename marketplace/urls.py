from django.urls import path

from marketplace.apis import agencies as api
from marketplace.apis import appeals, blocks, phone, service_cards
from marketplace.apis.auth import LogoutApi, RegisterApi, TokenObtainApi, TokenRefreshApi
from marketplace.apis.people import MeApi, WorkerDetailApi, WorkerMeApi
from marketplace.apis.reference import CategoryListApi, DivisionListApi

urlpatterns = [
    path("auth/register/", RegisterApi.as_view(), name="auth-register"),
    path("auth/token/", TokenObtainApi.as_view(), name="auth-token"),
    path("auth/token/refresh/", TokenRefreshApi.as_view(), name="auth-token-refresh"),
    path("auth/logout/", LogoutApi.as_view(), name="auth-logout"),
    path("auth/phone/code/", phone.PhoneCodeApi.as_view(), name="auth-phone-code"),
    path("auth/phone/verify/", phone.PhoneVerifyApi.as_view(), name="auth-phone-verify"),
    path("auth/password-reset/", phone.PasswordResetApi.as_view(), name="password-reset"),
    path(
        "auth/password-reset/confirm/",
        phone.PasswordResetConfirmApi.as_view(),
        name="password-reset-confirm",
    ),
    path("auth/claim/", phone.AccountClaimApi.as_view(), name="account-claim"),
    path("auth/password-reset/link/", phone.ResetLinkUseApi.as_view(), name="reset-link-use"),
    path("users/<int:user_id>/reset-link/", phone.ResetLinkCreateApi.as_view(), name="reset-link"),
    path("me/", MeApi.as_view(), name="me"),
    path("categories/", CategoryListApi.as_view(), name="category-list"),
    path("divisions/", DivisionListApi.as_view(), name="division-list"),
    path("workers/me/", WorkerMeApi.as_view(), name="worker-me"),
    path("workers/<int:worker_id>/", WorkerDetailApi.as_view(), name="worker-detail"),
]

# ---- agencies: staff use `agencies/me/…`, operators `agencies/<id>/…`; the agency itself
# and its order side are in orders.urls


def _agency_routes() -> list:
    routes = [
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
    patterns = api.agency_paths(routes)
    patterns += [path(route, view.as_view(), name=name) for route, view, name in worker_routes]
    return patterns


urlpatterns += _agency_routes()

# ---- service cards, a worker's household blocks, appeals to decide

urlpatterns += [
    path("cards/<str:token>/", service_cards.PublicCardApi.as_view(), name="card-public"),
    path("workers/me/card/", service_cards.OwnCardApi.as_view(), name="card-own"),
    path("workers/me/card/photo/", service_cards.OwnCardPhotoApi.as_view(), name="card-photo"),
    path(
        "workers/<int:worker_id>/card/revoke/",
        service_cards.CardRevokeApi.as_view(),
        name="card-revoke",
    ),
    path(
        "workers/<int:worker_id>/card/reissue/",
        service_cards.CardReissueApi.as_view(),
        name="card-reissue",
    ),
    path("workers/me/blocks/", blocks.OwnBlocksApi.as_view(), name="blocks-own"),
    path(
        "workers/me/blocks/<int:block_id>/",
        blocks.OwnBlockDeleteApi.as_view(),
        name="block-delete",
    ),
    path("appeals/", appeals.AppealsToDecideApi.as_view(), name="appeals-to-decide"),
    path(
        "appeals/<int:appeal_id>/decide/",
        appeals.AppealDecideApi.as_view(),
        name="appeal-decide",
    ),
]
