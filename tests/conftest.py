"""Shared fixtures: an API client per role (JWT bearer, like a real client)."""

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from tests import factories


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
