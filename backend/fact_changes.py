"""Changed facts, reported to the apps that count them, inside the caller's transaction.

The federation's metrics count facts that live on lower floors — an order's status, a signed
contract, a published review (orders), a training record, a certificate or a health check
(marketplace, programme). The metrics app reads all of those apps, so it stands above them and
they cannot import it. Instead each service that changes such a fact says so here, explicitly,
in the same transaction; the metrics app subscribes in its `AppConfig.ready()` and brings its
rollups in line before the transaction commits, so counts and facts commit or roll back
together.
"""

from __future__ import annotations

from collections.abc import Callable

OrderListener = Callable[..., None]
WorkerListener = Callable[..., None]

_order_listeners: list[OrderListener] = []
_worker_listeners: list[WorkerListener] = []


def subscribe_order_facts(listener: OrderListener) -> None:
    """Call `listener(order_id=…)` whenever an order's counted facts change (once per listener)."""
    if listener not in _order_listeners:
        _order_listeners.append(listener)


def subscribe_worker_facts(listener: WorkerListener) -> None:
    """Call `listener(worker_id=…)` whenever a worker's credentials change (once per listener)."""
    if listener not in _worker_listeners:
        _worker_listeners.append(listener)


def order_facts_changed(*, order_id: int) -> None:
    """An order was created, changed status, had its contract signed or a review published."""
    for listener in _order_listeners:
        listener(order_id=order_id)


def worker_facts_changed(*, worker_id: int) -> None:
    """A worker's training, certificates, health checks or division changed."""
    for listener in _worker_listeners:
        listener(worker_id=worker_id)
