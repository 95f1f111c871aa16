"""Events reach exactly their recipients' sockets, only after commit, and land in the inbox."""

import pytest
from channels.db import database_sync_to_async
from django.db import transaction

from notifications.events import ORDER_UPDATED, send_event_on_commit
from notifications.models import Notification
from orders.parties import order_party_user_ids
from tests import factories
from tests.notifications.sockets import close_all, connected, receive

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@database_sync_to_async
def three_users():
    return [factories.HouseholdFactory().user for _ in range(3)]


@database_sync_to_async
def send_in_transaction(*, recipients, payload, rollback=False):
    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            send_event_on_commit(event_type=ORDER_UPDATED, recipients=recipients, payload=payload)
            if rollback:
                raise Rollback
    except Rollback:
        pass


async def test_event_reaches_exactly_its_recipients_after_commit():
    alice, bob, carol = await three_users()
    sockets = [await connected(user) for user in (alice, bob, carol)]
    await send_in_transaction(recipients=[alice.pk, bob.pk, bob.pk], payload={"order": 7})
    for communicator, user in zip(sockets[:2], (alice, bob), strict=True):
        frame = await receive(communicator)
        assert frame["type"] == "order.updated" and frame["order"] == 7
        stored = await database_sync_to_async(Notification.objects.get)(pk=frame["notification_id"])
        assert stored.user_id == user.pk and stored.type == "order.updated"
        assert frame["created_at"]
        assert await communicator.receive_nothing(timeout=0.2)  # once, not per duplicate id
    assert await sockets[2].receive_nothing(timeout=0.3)
    assert await database_sync_to_async(Notification.objects.filter(user=carol).count)() == 0
    await close_all(*sockets)


async def test_rolled_back_event_is_neither_pushed_nor_stored():
    alice, bob, _ = await three_users()
    sockets = [await connected(user) for user in (alice, bob)]
    await send_in_transaction(recipients=[alice.pk, bob.pk], payload={"x": 1}, rollback=True)
    for communicator in sockets:
        assert await communicator.receive_nothing(timeout=0.3)
    assert await database_sync_to_async(Notification.objects.count)() == 0
    await close_all(*sockets)


async def test_order_event_reaches_household_worker_and_agency_staff_only(agency_order):
    order, staff_user = agency_order
    household, worker_user = order.household, order.worker.user
    stranger = (await three_users())[0]
    other_staff = await database_sync_to_async(lambda: factories.AgencyStaffFactory().user)()
    parties = await database_sync_to_async(order_party_user_ids)(order)
    assert parties == sorted([household.pk, worker_user.pk, staff_user.pk])

    party_sockets = [await connected(user) for user in (household, worker_user, staff_user)]
    outsiders = [await connected(user) for user in (stranger, other_staff)]
    await send_in_transaction(recipients=parties, payload={"order": order.pk, "status": "x"})
    for communicator in party_sockets:
        frame = await receive(communicator)
        assert (frame["type"], frame["order"]) == ("order.updated", order.pk)
    for communicator in outsiders:
        assert await communicator.receive_nothing(timeout=0.3)
    await close_all(*party_sockets, *outsiders)


async def test_every_socket_of_a_user_gets_the_event():
    alice, _, _ = await three_users()
    phone, laptop = await connected(alice), await connected(alice)
    await send_in_transaction(recipients=[alice.pk], payload={"n": 1})
    assert (await receive(phone))["n"] == 1
    assert (await receive(laptop))["n"] == 1
    await close_all(phone, laptop)
