"""Shared fixtures: an API client per role (JWT bearer, like a real client)."""

import pytest
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from marketplace import reference_data
from marketplace.models import Category, Division, ReviewTag
from tests import factories

DB_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, dropped at the end even if a connection outlived its test (a server
    subprocess's or a worker thread's): on PostgreSQL those sessions are ended first, since
    DROP DATABASE refuses while one is open and would leave the database behind."""
    yield
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture(autouse=True)
def empty_cache():
    """Throttle and lock-out counters live in the cache, keyed by user id or address; ids are
    reused after a rolled-back test, so each test starts with an empty cache."""
    cache.clear()


@pytest.fixture(autouse=True)
def reference_rows(request):
    """Make sure the divisions and trades that migration 0002 loads are present.

    A transactional test ends by flushing every table, these rows too; the next test that uses
    the database gets them back here, whatever kind of test it is.
    """
    if request.node.get_closest_marker("django_db") is None and not (
        DB_FIXTURES & set(request.fixturenames)
    ):
        return
    request.getfixturevalue("_django_db_helper")
    if not (Division.objects.exists() and Category.objects.exists() and ReviewTag.objects.exists()):
        reference_data.load(Division, Category, ReviewTag)


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        token = RefreshToken.for_user(user).access_token
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.user = user
    return client


@pytest.fixture
def anon_client():
    return APIClient()


@pytest.fixture
def household():
    return factories.HouseholdFactory()


@pytest.fixture
def worker():
    return factories.WorkerFactory()


@pytest.fixture
def agency_staff():
    return factories.AgencyStaffFactory()


@pytest.fixture
def federation_officer():
    return factories.FederationOfficerFactory()


@pytest.fixture
def operator():
    return factories.operator_user()


@pytest.fixture
def household_client(household):
    return client_for(household.user)


@pytest.fixture
def worker_client(worker):
    return client_for(worker.user)


@pytest.fixture
def agency_client(agency_staff):
    return client_for(agency_staff.user)


@pytest.fixture
def federation_client(federation_officer):
    return client_for(federation_officer.user)


@pytest.fixture
def operator_client(operator):
    return client_for(operator)
