"""Chat sends stored in batches (the socket's path): each send answered as chat_message_send
answers it, ids in the order given, pushes only after commit, a bounded number of queries."""

import asyncio
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.exceptions import DomainError
from chat.batch_services import ChatSend, chat_messages_send
from chat.models import MAX_MESSAGE_LENGTH, ChatMessage
from chat.services import chat_message_send
from orders.statuses import OrderStatus
from tests import factories
from tests.notifications.sockets import close_all, connected, receive_type


def answer(result):
    """A comparable form of a send's answer: the error's class and code, or (body, created)."""
    if isinstance(result, DomainError):
        return type(result).__name__, result.code, result.field
    message, created = result
    return message.body, created


def one_message_way(send: ChatSend):
    try:
        return chat_message_send(
            order_id=send.order_id, sender=send.sender, body=send.body, client_id=send.client_id
        )
    except DomainError as error:
        return error


@pytest.fixture
def closed_order():
    order = factories.OrderFactory(status=OrderStatus.COMPLETED)
    order.completed_at = timezone.now() - timedelta(days=400)
    order.save(update_fields=["completed_at"])
    return order


BAD_SENDS = [
    ("", "c1"),
    ("   ", "c2"),
    ("x" * (MAX_MESSAGE_LENGTH + 1), "c3"),
    (None, "c4"),
    (7, "c5"),
    ("ok", ""),
    ("ok", "x" * 65),
    ("ok", 12),
]


@pytest.mark.django_db
def test_each_send_gets_the_answer_the_one_message_service_gives(closed_order):
    order = factories.OrderFactory()
    household, worker = order.household, order.worker.user
    stranger = factories.HouseholdFactory().user
    sends = [ChatSend(order.pk, household, body, client_id) for body, client_id in BAD_SENDS]
    sends += [
        ChatSend(order.pk, stranger, "hello", "s1"),
        ChatSend(10**9, household, "hello", "s2"),
        ChatSend(closed_order.pk, closed_order.household, "late", None),
        ChatSend(order.pk, household, "first", "ok1"),
        ChatSend(order.pk, worker, "reply", None),
    ]
    batched = [answer(result) for result in chat_messages_send(sends=sends)]
    ChatMessage.objects.all().delete()
    one_by_one = [answer(one_message_way(send)) for send in sends]
    assert batched == one_by_one
    assert batched[-2:] == [("first", True), ("reply", True)]
    assert batched[len(BAD_SENDS)][:2] == ("NotFound", "not_found")
    assert batched[len(BAD_SENDS) + 2][:2] == ("Conflict", "chat_closed")
    assert {code for _, code, _ in batched[: len(BAD_SENDS)]} <= {"empty", "too_long", "invalid"}


@pytest.mark.django_db
def test_resends_answer_with_the_stored_message_in_the_batch_and_after_it(closed_order):
    order = factories.OrderFactory()
    household = order.household
    stored_late = ChatMessage.objects.create(
        order=closed_order, sender=closed_order.household, body="before", client_id="old"
    )
    first, again, other = chat_messages_send(
        sends=[
            ChatSend(order.pk, household, "one", "same"),
            ChatSend(order.pk, household, "one (resent)", "same"),
            ChatSend(order.pk, household, "two", "other"),
        ]
    )
    assert first[1] is True and again == (first[0], False) and other[1] is True
    # Stored by an earlier batch: the insert is refused and the batch goes one send at a time.
    resent, fresh, closed = chat_messages_send(
        sends=[
            ChatSend(order.pk, household, "one", "same"),
            ChatSend(order.pk, household, "three", "new"),
            ChatSend(closed_order.pk, closed_order.household, "before", "old"),
        ]
    )
    assert resent == (ChatMessage.objects.get(client_id="same"), False)
    assert fresh[1] is True and fresh[0].body == "three"
    assert closed == (stored_late, False)  # a resend is answered even once the chat closed
    assert list(
        ChatMessage.objects.filter(order=order).order_by("id").values_list("body", flat=True)
    ) == ["one", "two", "three"]


@pytest.mark.django_db
def test_a_batch_costs_the_same_few_queries_however_many_sends_it_holds():
    orders = [factories.OrderFactory() for _ in range(5)]

    def queries(count: int) -> int:
        sends = [
            ChatSend(orders[n % 5].pk, orders[n % 5].household, f"m{n}", f"q{count}-{n}")
            for n in range(count)
        ]
        with CaptureQueriesContext(connection) as captured:
            results = chat_messages_send(sends=sends)
        assert all(created for _, created in results)
        return len(captured)

    assert queries(1) == queries(40) <= 4  # begin, lock the orders, insert, commit


@pytest.mark.django_db(transaction=True)
def test_ids_follow_the_order_given_and_pushes_wait_for_the_commit(monkeypatch):
    order = factories.OrderFactory()
    pushed = []
    monkeypatch.setattr(
        "chat.batch_services.push_on_commit",
        lambda **kw: transaction.on_commit(lambda: pushed.append(kw)),
    )
    sends = [ChatSend(order.pk, order.household, f"m{n}", None) for n in range(10)]
    with transaction.atomic():
        results = chat_messages_send(sends=sends)
        assert pushed == []
    ids = [message.pk for message, _ in results]
    assert ids == sorted(ids) and [m.body for m, _ in results] == [f"m{n}" for n in range(10)]
    assert [p["frame"]["id"] for p in pushed] == ids
    expected = sorted({order.household_id, order.worker.user_id})
    assert all(p["recipients"] == expected for p in pushed)


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_many_sockets_sending_at_once_deliver_everything_in_order(settings):
    settings.MEIJIA = {**settings.MEIJIA, "SOCKET_CHAT_BURST": 1000, "SOCKET_FRAME_BURST": 1000}
    orders = await database_sync_to_async(lambda: [factories.OrderFactory() for _ in range(6)])()
    senders = [await connected(order.household) for order in orders]
    receivers = [await connected(order.worker.user) for order in orders]
    per_socket = 15
    for n in range(per_socket):
        for sender, order in zip(senders, orders, strict=True):
            await sender.send_json_to(
                {"type": "chat.send", "order": order.pk, "body": f"m{n}", "client_id": f"c{n}"}
            )

    async def bodies(communicator) -> list[str]:
        return [
            (await receive_type(communicator, "chat.message", timeout=10))["body"]
            for _ in range(per_socket)
        ]

    received = await asyncio.gather(*(bodies(r) for r in receivers))
    assert received == [[f"m{n}" for n in range(per_socket)]] * len(orders)
    stored = await database_sync_to_async(
        lambda: list(ChatMessage.objects.order_by("id").values_list("order_id", "body"))
    )()
    assert len(stored) == per_socket * len(orders)
    for order in orders:  # stored in the order sent, ids growing
        assert [b for o, b in stored if o == order.pk] == [f"m{n}" for n in range(per_socket)]
    await close_all(*senders, *receivers)
