from django.urls import path

from notifications import apis, apis_reach

urlpatterns = [
    path("notifications/", apis.NotificationListApi.as_view(), name="notification-list"),
    path(
        "notifications/read-all/",
        apis.NotificationReadAllApi.as_view(),
        name="notification-read-all",
    ),
    path(
        "notifications/<int:notification_id>/read/",
        apis.NotificationReadApi.as_view(),
        name="notification-read",
    ),
    path("push/key/", apis_reach.PushKeyApi.as_view(), name="push-key"),
    path(
        "push/subscriptions/",
        apis_reach.PushSubscriptionApi.as_view(),
        name="push-subscriptions",
    ),
    path(
        "notifications/settings/",
        apis_reach.ReachSettingsApi.as_view(),
        name="notification-settings",
    ),
]
