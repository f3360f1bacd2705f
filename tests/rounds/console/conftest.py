"""Console fixtures: one staff member per role in Aarhus, logged-in clients, a round with content."""

import pytest
from django.contrib.auth import get_user_model

from rounds.console.roles import CASE_WORKER, MODERATOR, TENANT_ADMIN, VOTING_DAY
from rounds.services.staff import staff_roles_set
from tests.conftest import host_client

DEPARTMENT = "Teknik og Miljø"


def make_staff(username: str, roles: list[str], departments: list[str] = ()):
    user = get_user_model().objects.create_user(username, password="console-test-password")
    staff_roles_set(user=user, roles=roles, departments=list(departments), actor=None)
    return user


@pytest.fixture
def people(aarhus):
    """Aarhus staff by role, plus a logged-in citizen with no role."""
    return {
        TENANT_ADMIN: make_staff("forvalter", [TENANT_ADMIN]),
        CASE_WORKER: make_staff("sagsbehandler", [CASE_WORKER], [DEPARTMENT]),
        MODERATOR: make_staff("moderator", [MODERATOR]),
        VOTING_DAY: make_staff("valgstyrer", [VOTING_DAY]),
        "citizen": get_user_model().objects.create_user("borger", password="console-test-password"),
    }


@pytest.fixture
def console_client(aarhus):
    """A client on Aarhus' host, logged in as `user` (force_login writes the session in Aarhus' schema)."""

    def login(user):
        client = host_client("aarhus.localhost")
        client.force_login(user)
        return client

    return login
