from django.urls import path

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
