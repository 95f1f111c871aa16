"""The API answers exactly what its published schema says, for every role, on seeded data.

The demo county (a year of orders in every state, reviews, disputes, courses) plus side A of the
ownership tests are seeded; then, signed in as each role, every GET operation is called (object
paths with ids taken from the caller's own lists first, then from side A) and a few writes whose
answers carry the same shapes (cancel, review). Every answer with a documented status must
validate against the schema: an enum field with no value is null (never ""), a list that pages is
documented as a page, a nullable field says so. The response shapes may be produced by
serializers or by plain dicts; this test only reads what goes over the wire.
"""

from __future__ import annotations

import pytest

from demo.seed import demo_seed
from marketplace.models import User
from tests import factories
from tests.conftest import client_for
from tests.fuzz.contract import violations
from tests.orders.flow_helpers import order_in
from tests.security.schema_tools import PARAMETER, api_schema
from tests.security.world import UnknownParameter, World

pytestmark = [pytest.mark.security, pytest.mark.django_db]

ROLES = ("household", "worker", "agency", "federation", "operator")
DEMO_ACCOUNTS = {
    "household": "demo-household",
    "worker": "demo-worker",
    "agency": "demo-agency",
    "federation": "demo-federation",
    "operator": "admin",
}
# Path parameters filled from the caller's own list first (so a household's detail pages show
# her orders in all their states), then from side A.
OWN_LISTS = {
    "order_id": "/api/v1/orders/",
    "request_id": "/api/v1/requests/",
    "offer_id": "/api/v1/offers/",
}
IDS_PER_PARAMETER = 4


@pytest.fixture
def county():
    demo_seed(workers=10, households=3, orders=30)
    return World()


def callers(world: World, role: str) -> list[User]:
    party = {
        "household": lambda: world.household,
        "worker": lambda: world.worker.user,
        "agency": lambda: world.agency_owner.user,
        "federation": lambda: world.officer,
        "operator": factories.operator_user,
    }[role]()
    return [party, User.objects.get(username=DEMO_ACCOUNTS[role])]


def get_operations() -> list[str]:
    return [path for path, item in sorted(api_schema()["paths"].items()) if "get" in item]


def own_ids(client, parameter: str) -> list[int]:
    listing = OWN_LISTS.get(parameter)
    if listing is None:
        return []
    response = client.get(listing)
    if response.status_code != 200:
        return []
    return [row["id"] for row in response.json()["results"][:IDS_PER_PARAMETER]]


def concrete_paths(world: World, client, path: str) -> list[str]:
    parameters = PARAMETER.findall(path)
    if not parameters:
        return [path]
    if len(parameters) == 1 and (ids := own_ids(client, parameters[0])):
        return [PARAMETER.sub(str(each), path) for each in ids]
    try:
        return [PARAMETER.sub(lambda match: str(world.object_id(path, match.group(1))), path)]
    except UnknownParameter:
        return []


def check_every_get(world: World, user) -> tuple[list[str], int]:
    client = client_for(user)
    found, checked = [], 0
    for path in get_operations():
        for url in concrete_paths(world, client, path):
            response = client.get(url)
            assert response.status_code < 500, f"GET {url} answered {response.status_code}"
            found += violations(path, "get", response)
            checked += response.status_code == 200
    return found, checked


def test_every_get_answer_matches_the_schema_for_every_role(county):
    """One seeding, every role in turn (seeding the county is most of the cost)."""
    found, answered = [], {}
    for role in ROLES:
        answered[role] = 0
        for user in callers(county, role):
            problems, checked = check_every_get(county, user)
            found += [f"{role}: {problem}" for problem in problems]
            answered[role] += checked
    assert found == []
    assert min(answered.values()) > 20, f"a role saw too little to check: {answered}"


def test_cancel_and_review_answers_match_the_schema():
    """The writes whose answers carry an order or a review: cancel (preview and for real) and
    a review of a completed order, then the lists that now hold them."""
    order = order_in("confirmed", starts_at=factories.future(72))
    household = client_for(order.household)
    cancel = "/api/v1/orders/{order_id}/cancel/"
    found = []
    preview = household.post(f"/api/v1/orders/{order.pk}/cancel/?preview=true", {}, format="json")
    found += violations(cancel, "post", preview)
    assert preview.status_code == 200 and "fee" in preview.json()
    cancelled = household.post(
        f"/api/v1/orders/{order.pk}/cancel/", {"reason": "家里有事"}, format="json"
    )
    assert cancelled.status_code == 200, cancelled.json()
    assert cancelled.json()["cancelled_by_party"] == "household"
    found += violations(cancel, "post", cancelled)

    done = order_in("completed")
    reviews = "/api/v1/orders/{order_id}/reviews/"
    posted = client_for(done.household).post(
        f"/api/v1/orders/{done.pk}/reviews/", {"rating": 5, "comment": "认真细致"}, format="json"
    )
    assert posted.status_code == 201
    found += violations(reviews, "post", posted)
    for user in (done.household, done.worker.user):
        found += violations(
            reviews, "get", client_for(user).get(f"/api/v1/orders/{done.pk}/reviews/")
        )
    worker_reviews = client_for(done.household).get(f"/api/v1/workers/{done.worker_id}/reviews/")
    found += violations("/api/v1/workers/{worker_id}/reviews/", "get", worker_reviews)
    detail = client_for(done.household).get(f"/api/v1/orders/{done.pk}/")
    assert detail.json()["cancelled_by_party"] is None
    assert detail.json()["no_show_party"] is None
    found += violations("/api/v1/orders/{order_id}/", "get", detail)
    assert found == []


def test_an_unset_enum_is_null_and_documented_as_nullable():
    """A one-off request has no placement terms: null on the wire and nullable in the schema,
    where "" was answered and no enum listed it."""
    world = World()
    request = client_for(world.household).get(f"/api/v1/requests/{world.open_request.pk}/")
    body = request.json()
    assert body["placement_mode"] is None and body["placement_price_unit"] is None
    schema = api_schema()["components"]["schemas"]
    for component, field in (
        ("Request", "placement_mode"),
        ("Request", "placement_price_unit"),
        ("Order", "cancelled_by_party"),
        ("Order", "no_show_party"),
    ):
        assert schema[component]["properties"][field].get("nullable") is True, (component, field)
