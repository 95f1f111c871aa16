import pytest

from marketplace.models import Category, Division
from tests import factories


@pytest.mark.django_db
def test_reference_data_and_factories():
    assert Division.objects.count() == 16
    assert Category.objects.filter(code="hourly_cleaning", requires_certificate=False).exists()
    worker = factories.WorkerFactory()
    assert worker.certificates.count() == 1  # housekeeper needs one; hourly cleaning none
    assert worker.training_records.count() == 1
    assert worker.health_checks.count() == 1


@pytest.mark.django_db
def test_order_factory_links_parties():
    order = factories.OrderFactory()
    assert order.household.is_household
    assert order.request.occurrences.get().worker == order.worker
