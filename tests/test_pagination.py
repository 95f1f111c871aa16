"""Pages past any real list answer 404 on every paginated feed, however large the number (an
OFFSET past 2^63 once reached SQLite and answered 500)."""

import pytest

from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/api/v1/workers/me/invitations/", "/api/v1/offers/", "/api/v1/orders/"]
)
@pytest.mark.parametrize("page", ["2", "1000001", str(10**20)])
def test_a_page_past_the_end_is_not_found(path, page):
    worker = factories.WorkerFactory()
    response = client_for(worker.user).get(path, {"page": page})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_first_page_of_an_empty_feed_is_empty():
    worker = factories.WorkerFactory()
    response = client_for(worker.user).get("/api/v1/workers/me/invitations/")
    assert response.status_code == 200
    assert response.json()["count"] == 0
