"""The metrics app hears about changed facts from the apps below it (backend.fact_changes)."""

import pytest
from django.apps import apps
from django.db import transaction

from backend import fact_changes
from metrics.models import OrderLedger
from metrics.services import metrics_record_order_changed, metrics_record_worker_changed
from tests import factories


def test_metrics_subscribes_once_to_both_kinds_of_fact():
    # ready() may run more than once (test runners, management commands): no double counts.
    apps.get_app_config("metrics").ready()
    assert fact_changes._order_listeners.count(metrics_record_order_changed) == 1
    assert fact_changes._worker_listeners.count(metrics_record_worker_changed) == 1


def test_a_report_reaches_every_listener_with_its_id(monkeypatch):
    monkeypatch.setattr(fact_changes, "_order_listeners", [])
    monkeypatch.setattr(fact_changes, "_worker_listeners", [])
    heard = []
    listener = lambda **ids: heard.append(ids)  # noqa: E731
    fact_changes.subscribe_order_facts(listener)
    fact_changes.subscribe_order_facts(listener)
    fact_changes.subscribe_worker_facts(listener)
    fact_changes.order_facts_changed(order_id=7)
    fact_changes.worker_facts_changed(worker_id=9)
    assert heard == [{"order_id": 7}, {"worker_id": 9}]


@pytest.mark.django_db
def test_rollups_roll_back_with_the_transaction_that_reported():
    order = factories.OrderFactory()
    OrderLedger.objects.filter(order_id=order.pk).delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        fact_changes.order_facts_changed(order_id=order.pk)
        assert OrderLedger.objects.filter(order_id=order.pk).exists()
        raise RuntimeError("the caller's transaction fails after reporting")
    assert not OrderLedger.objects.filter(order_id=order.pk).exists()
