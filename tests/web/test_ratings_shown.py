"""One rating everywhere: the profile, the career page, the match card and the API show the
same mean of her published reviews to one decimal; none before her first review."""

import pytest

from tests import factories
from tests.conftest import client_for
from tests.web.conftest import session_client

pytestmark = pytest.mark.django_db


def shown_on_pages(worker, household_request) -> dict[str, str]:
    pages = {
        "profile": session_client(worker.user).get("/worker/profile/"),
        "career": session_client(worker.user).get("/worker/career/"),
        "match": session_client(household_request.household).get(
            f"/requests/{household_request.pk}/"
        ),
    }
    shown = {}
    for name, response in pages.items():
        html = response.content.decode()
        assert response.status_code == 200, name
        marker = "data-rating>"
        assert marker in html, name
        shown[name] = html.split(marker, 1)[1].split("<", 1)[0]
    return shown


def test_a_new_worker_has_no_rating_anywhere():
    worker = factories.WorkerFactory()
    household_request = factories.ServiceRequestFactory()
    shown = shown_on_pages(worker, household_request)
    assert set(shown.values()) == {"暂无评价"}, shown
    assert client_for(worker.user).get("/api/v1/workers/me/").json()["rating"] is None
    matches = (
        client_for(household_request.household)
        .get(f"/api/v1/requests/{household_request.pk}/matches/")
        .json()["results"]
    )
    assert [m["rating"] for m in matches if m["worker"] == worker.pk] == [None]


def test_a_rated_worker_shows_one_number_everywhere():
    worker = factories.WorkerFactory()
    worker.rating_sum, worker.rating_count = 33, 7  # 4.714…
    worker.save(update_fields=["rating_sum", "rating_count"])
    household_request = factories.ServiceRequestFactory()
    shown = shown_on_pages(worker, household_request)
    assert all("4.7" in text and "4.71" not in text for text in shown.values()), shown
    assert client_for(worker.user).get("/api/v1/workers/me/").json()["rating"] == 4.7
    matches = (
        client_for(household_request.household)
        .get(f"/api/v1/requests/{household_request.pk}/matches/")
        .json()["results"]
    )
    assert [m["rating"] for m in matches if m["worker"] == worker.pk] == [4.7]
