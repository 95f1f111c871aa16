from django.urls import path

from notifications import apis

urlpatterns = [
    path("orders/<int:order_id>/messages/", apis.OrderMessagesApi.as_view(), name="order-messages"),
    path(
        "orders/<int:order_id>/messages/read/",
        apis.OrderMessagesReadApi.as_view(),
        name="order-messages-read",
    ),
    path("chats/unread/", apis.ChatUnreadApi.as_view(), name="chat-unread"),
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
]
