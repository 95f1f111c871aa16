"""Ten workers accept offers of one request at the same moment: exactly one order.

Runs on the file-backed SQLite test database by default and on PostgreSQL with DATABASE_URL.
"""

import threading

import pytest
from django.db import connection

from notifications.models import Notification
from orders.models import Offer, Order, OrderEvent, ServiceRequest
from orders.statuses import OfferStatus, RequestStatus
from tests import factories
from tests.conftest import client_for
from tests.orders.flow_helpers import make_request

THREADS = 10


@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_accepts_give_one_order(settings):
    settings.MEIJIA = {**settings.MEIJIA, "OFFER_WAVE_SIZE": THREADS + 2}
    workers = [factories.WorkerFactory() for _ in range(THREADS + 2)]
    service_request = make_request()
    offers = {o.worker_id: o for o in Offer.objects.filter(request=service_request)}
    assert len(offers) == THREADS + 2
    racers = workers[:THREADS]
    bystanders = workers[THREADS:]
    clients = [client_for(w.user) for w in racers]
    barrier = threading.Barrier(THREADS)
    results: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def accept(client, offer_id):
        try:
            barrier.wait()
            response = client.post(f"/api/v1/offers/{offer_id}/accept/")
            with lock:
                results.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=accept, args=(client, offers[worker.pk].pk))
        for client, worker in zip(clients, racers, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    codes = sorted(code for code, _ in results)
    assert codes == [201] + [409] * (THREADS - 1), results
    assert all(body["code"] == "taken" for code, body in results if code == 409)
    winner_body = next(body for code, body in results if code == 201)

    assert Order.objects.count() == 1
    order = Order.objects.get()
    assert order.pk == winner_body["id"]
    assert OrderEvent.objects.filter(order=order).count() == 1
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.MATCHED
    statuses = dict(
        Offer.objects.filter(request=service_request).values_list("worker_id", "status")
    )
    assert statuses[order.worker_id] == OfferStatus.ACCEPTED
    others = [w for w in workers if w.pk != order.worker_id]
    assert all(statuses[w.pk] == OfferStatus.WITHDRAWN for w in others)
    withdrawn_to = set(
        Notification.objects.filter(type="offer.withdrawn").values_list("user_id", flat=True)
    )
    assert withdrawn_to == {w.user_id for w in others}
    assert {w.user_id for w in bystanders} <= withdrawn_to
    assert ServiceRequest.objects.filter(status=RequestStatus.MATCHED).count() == 1
