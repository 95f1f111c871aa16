"""Offers and alerts reach a worker whose page is closed: Web Push, else SMS; provider outages
delay but neither lose nor duplicate; answers from the providers map to retry or give up."""

import datetime as dt

import pytest
from django.utils import timezone

from notifications.delivery import deliveries_run_due
from notifications.models import Channel, Delivery, DeliveryStatus, PushSubscription
from notifications.presence import presence_join
from orders.models import Offer
from orders.services.periodic import run_due_work
from orders.statuses import OfferStatus, OrderStatus
from tests import factories
from tests.conftest import client_for
from tests.notifications.reach_fixtures import fake_push, fake_sms  # noqa: F401
from tests.orders.flow_helpers import make_request

pytestmark = pytest.mark.django_db


def _subscribe(worker, fake_push, name="phone"):  # noqa: F811
    response = client_for(worker.user).post(
        "/api/v1/push/subscriptions/", fake_push.browser(name), format="json"
    )
    assert response.status_code == 201, response.content
    return response


def _verified(worker, phone="+8613512345678"):
    worker.user.phone = phone
    worker.user.phone_verified_at = timezone.now()
    worker.user.save(update_fields=["phone", "phone_verified_at"])
    return worker


def test_offer_reaches_a_closed_browser_by_push_and_accept_gives_her_the_order(
    fake_push,  # noqa: F811
    fake_sms,  # noqa: F811
):
    worker = _verified(factories.WorkerFactory())
    _subscribe(worker, fake_push)
    service_request = make_request()
    offer = Offer.objects.get(request=service_request, worker=worker)
    later = timezone.now() + dt.timedelta(minutes=3)

    run_due_work(now=later)

    assert len(fake_push.received) == 1
    message = fake_push.received[0]["message"]
    assert message["type"] == "offer.created" and message["offer"] == offer.pk
    assert [a["action"] for a in message["actions"]] == ["accept"]
    assert message["url"].startswith("/worker/offers/")
    assert fake_sms.messages == []  # the push reached her: no SMS
    rows = dict(
        Delivery.objects.filter(notification__user=worker.user).values_list("channel", "status")
    )
    assert rows == {"socket": "skipped", "push": "sent", "sms": "skipped"}
    offer.refresh_from_db()
    assert offer.expires_at == later + dt.timedelta(minutes=15)  # counted from the delivery

    response = client_for(worker.user).post(f"/api/v1/offers/{offer.pk}/accept/")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == OrderStatus.PENDING_CONTRACT

    run_due_work(now=later + dt.timedelta(minutes=1))  # the offer is not pushed twice
    types = [r["message"]["type"] for r in fake_push.received]
    assert types.count("offer.created") == 1


def test_offer_by_sms_when_push_is_unavailable_with_longer_time(fake_sms):  # noqa: F811
    worker = _verified(factories.WorkerFactory())
    service_request = make_request()
    offer = Offer.objects.get(request=service_request, worker=worker)
    later = timezone.now() + dt.timedelta(minutes=1)

    run_due_work(now=later)

    assert len(fake_sms.messages) == 1
    sms = fake_sms.messages[0]
    assert sms["phone"] == "13512345678" and sms["sign"] == "家政美家"
    assert sms["template"] == "SMS_000000002" and sms["params"] == {"offer": str(offer.pk)}
    assert fake_sms.refused_signatures == 0
    delivery = Delivery.objects.get(notification__user=worker.user, channel=Channel.SMS)
    assert (delivery.status, delivery.provider_id, delivery.cost_fen) == ("sent", "biz-1", 5)
    offer.refresh_from_db()
    assert offer.expires_at == later + dt.timedelta(minutes=30)


def test_a_live_socket_is_enough_and_nothing_else_goes(fake_push, fake_sms):  # noqa: F811
    worker = _verified(factories.WorkerFactory())
    _subscribe(worker, fake_push)
    presence_join(user_id=worker.user_id, channel_name="specific.live!1")
    make_request()
    run_due_work(now=timezone.now())
    assert fake_push.received == [] and fake_sms.messages == []
    statuses = set(
        Delivery.objects.filter(notification__user=worker.user).values_list("channel", "status")
    )
    assert statuses == {("socket", "sent"), ("push", "skipped"), ("sms", "skipped")}


def test_unverified_phone_gets_no_sms(fake_sms):  # noqa: F811
    worker = factories.WorkerFactory()  # her phone was never verified
    make_request()
    run_due_work(now=timezone.now())
    assert fake_sms.messages == []
    delivery = Delivery.objects.get(notification__user=worker.user, channel=Channel.SMS)
    assert (delivery.status, delivery.error) == ("skipped", "no_verified_phone")


def test_ten_minute_outage_delays_but_neither_loses_nor_duplicates(fake_sms):  # noqa: F811
    workers = [_verified(factories.WorkerFactory(), f"+861351234000{i}") for i in range(3)]
    make_request()
    offers = {o.worker_id: o for o in Offer.objects.filter(worker__in=workers)}
    assert len(offers) == 3
    start = timezone.now()
    fake_sms.down = True
    clock = start
    while clock < start + dt.timedelta(minutes=30):
        fake_sms.down = clock < start + dt.timedelta(minutes=10)
        run_due_work(now=clock)
        if fake_sms.down:
            assert fake_sms.messages == []
        clock += dt.timedelta(seconds=30)

    assert sorted(m["phone"] for m in fake_sms.messages) == [f"1351234000{i}" for i in range(3)]
    assert len({m["out_id"] for m in fake_sms.messages}) == 3
    rows = Delivery.objects.filter(
        channel=Channel.SMS, notification__user__in=[w.user for w in workers]
    )
    assert {r.status for r in rows} == {DeliveryStatus.SENT}
    assert all(r.attempts > 3 for r in rows)  # it really retried through the outage
    for offer in Offer.objects.filter(pk__in=[o.pk for o in offers.values()]):
        # still open: the outage did not eat her time, which counts from the SMS
        assert offer.status in (OfferStatus.PENDING, OfferStatus.EXPIRED)
        delivery = rows.get(notification__payload__offer=offer.pk)
        if offer.status == OfferStatus.PENDING:
            assert offer.expires_at == delivery.settled_at + dt.timedelta(minutes=30)


@pytest.mark.parametrize(
    ("code", "status", "attempts"),
    [("isv.MOBILE_NUMBER_ILLEGAL", "failed", 1), ("isp.SYSTEM_ERROR", "pending", 1)],
)
def test_provider_error_codes_map_to_give_up_or_retry(fake_sms, code, status, attempts):  # noqa: F811
    worker = _verified(factories.WorkerFactory())
    make_request()
    fake_sms.answer_code = code
    deliveries_run_due(now=timezone.now())
    delivery = Delivery.objects.get(notification__user=worker.user, channel=Channel.SMS)
    assert (delivery.status, delivery.attempts) == (status, attempts)
    assert code in delivery.error


def test_gone_subscription_is_removed_and_sms_takes_over(fake_push, fake_sms):  # noqa: F811
    worker = _verified(factories.WorkerFactory())
    _subscribe(worker, fake_push, "old")
    fake_push.gone.add("old")
    make_request()
    run_due_work(now=timezone.now())
    assert not PushSubscription.objects.filter(user=worker.user).exists()
    assert len(fake_sms.messages) == 1


def test_sms_per_phone_per_day_is_capped(fake_sms, settings):  # noqa: F811
    settings.REACH = {**settings.REACH, "SMS_DAILY_LIMIT_PER_PHONE": 1}
    worker = _verified(factories.WorkerFactory())
    make_request()
    make_request()
    run_due_work(now=timezone.now())
    assert len(fake_sms.messages) == 1
    errors = sorted(
        Delivery.objects.filter(notification__user=worker.user, channel=Channel.SMS).values_list(
            "error", flat=True
        )
    )
    assert errors == ["", "rate_limited"]
