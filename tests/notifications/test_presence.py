"""Presence: an open socket makes its user present for the delivery worker (shared through the
database, so any process can ask); closing it ends that; a dead process's rows age out."""

import datetime as dt

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from notifications.models import SocketPresence
from notifications.presence import is_present, presence_join, presence_prune
from tests import factories
from tests.notifications.sockets import receive, token_socket


@database_sync_to_async
def _user():
    return factories.HouseholdFactory().user


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_an_open_socket_is_presence_and_closing_ends_it():
    user = await _user()
    first, second = token_socket(user), token_socket(user)
    assert (await first.connect())[0] and (await second.connect())[0]
    await first.send_json_to({"type": "ping"})
    assert await receive(first) == {"type": "pong"}
    assert await database_sync_to_async(is_present)(user.pk)
    assert await database_sync_to_async(SocketPresence.objects.filter(user=user).count)() == 2
    await first.disconnect()
    assert await database_sync_to_async(is_present)(user.pk)  # the other socket is still open
    await second.disconnect()
    assert not await database_sync_to_async(is_present)(user.pk)


@pytest.mark.django_db
def test_rows_of_a_dead_process_age_out():
    user = factories.HouseholdFactory().user
    presence_join(user_id=user.pk, channel_name="specific.dead!1")
    later = timezone.now() + dt.timedelta(seconds=61)
    assert is_present(user.pk)
    assert not is_present(user.pk, now=later)
    assert presence_prune(now=later) == 1
