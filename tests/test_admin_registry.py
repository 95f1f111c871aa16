"""Every model of the project is in the operator's admin, and the records only services may
write (ledger, events, signatures, rollups) are read-only there: each changelist opens, and
no add, change or delete is offered."""

import pytest
from django.apps import apps
from django.contrib import admin

from backend.admin_records import ReadOnlyAdmin
from tests import factories

PROJECT_APPS = {"marketplace", "orders", "notifications", "chat", "metrics", "programme"}
READ_ONLY = {
    "orders.LedgerEntry",
    "orders.Payment",
    "orders.PaymentOperation",
    "orders.WebhookEvent",
    "orders.RequestEvent",
    "orders.ContractSignature",
    "orders.CountersignAuthorisation",
    "orders.StartCode",
    "orders.SafetyAlert",
    "chat.ChatMessage",
    "chat.ReadMarker",
    "notifications.Notification",
    "metrics.DailyCount",
    "metrics.MonthlyCount",
    "metrics.OrderLedger",
    "metrics.DistinctMember",
    "metrics.DistinctDayCell",
    "metrics.DistinctMonthCell",
    "metrics.SubjectLock",
}


def project_models():
    return [m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS]


def test_every_project_model_is_registered():
    missing = [m._meta.label for m in project_models() if m not in admin.site._registry]
    assert missing == []


@pytest.mark.parametrize("label", sorted(READ_ONLY))
def test_records_are_read_only(label):
    model_admin = admin.site._registry[apps.get_model(label)]
    assert isinstance(model_admin, ReadOnlyAdmin)


@pytest.mark.django_db
def test_every_changelist_opens_for_an_operator(client):
    client.force_login(factories.operator_user())
    for model in project_models():
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        response = client.get(url)
        assert response.status_code == 200, url
        if model._meta.label in READ_ONLY:
            assert f"{url}add/" not in response.content.decode(), url
