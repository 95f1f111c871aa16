from django.urls import path

from chat import apis

urlpatterns = [
    path("orders/<int:order_id>/messages/", apis.OrderMessagesApi.as_view(), name="order-messages"),
    path(
        "orders/<int:order_id>/messages/read/",
        apis.OrderMessagesReadApi.as_view(),
        name="order-messages-read",
    ),
    path("chats/unread/", apis.ChatUnreadApi.as_view(), name="chat-unread"),
]
