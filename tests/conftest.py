"""Test fixtures: tenant schemas are created once per test database and reused (--reuse-db).

Two municipalities exist in every test run, Aarhus and Kolding, because isolation tests need two.
A test that takes `aarhus` runs inside Aarhus' schema; pytest-django rolls back its writes.
"""

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import tenant_context

from tenants.models import Municipality
from tenants.provisioning import AdminAccount, municipality_provision, platform_ensure

TEST_MUNICIPALITIES = {
    "aarhus": ("Aarhus Kommune", "0751"),
    "kolding": ("Kolding Kommune", "0621"),
}
ADMIN = AdminAccount("admin", "test-admin-password", "admin@example.invalid")


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's database setup, always for the default database.

    pytest-django sets up only the databases that collected tests mark as used; tests that
    commit for real (provisioning, concurrency) use django_db_blocker instead of the `db`
    fixture, and run alone they would otherwise reach the development database.
    """
    from django.test.utils import setup_databases, teardown_databases

    keepdb = django_db_keepdb and not django_db_createdb
    with django_db_blocker.unblock():
        db_cfg = setup_databases(
            verbosity=request.config.option.verbose, interactive=False, aliases={"default"}, keepdb=keepdb
        )
        _test_municipalities_ensure()
    yield
    if not keepdb:
        with django_db_blocker.unblock():
            teardown_databases(db_cfg, verbosity=request.config.option.verbose)


def _test_municipalities_ensure():
    platform_ensure()
    for subdomain, (name, code) in TEST_MUNICIPALITIES.items():
        if not Municipality.objects.filter(schema_name=subdomain).exists():
            municipality_provision(
                name=name, code=code, subdomain=subdomain, status=Municipality.Status.ACTIVE, admin=ADMIN
            )


@pytest.fixture
def committed_db(django_db_setup, django_db_blocker):
    """Database access that commits, for tests that need real transactions (threads, schemas)."""
    with django_db_blocker.unblock():
        assert connection.settings_dict["NAME"].startswith("test_"), (
            "refusing to commit outside the test database"
        )
        yield
        connection.set_schema_to_public()


def _enter(schema: str):
    municipality = Municipality.objects.get(schema_name=schema)
    with tenant_context(municipality):
        yield municipality
    connection.set_schema_to_public()


@pytest.fixture
def aarhus(db):
    yield from _enter("aarhus")


@pytest.fixture
def kolding(db):
    yield from _enter("kolding")


def host_client(host: str) -> Client:
    return Client(HTTP_HOST=host)


@pytest.fixture
def aarhus_client(db) -> Client:
    return host_client("aarhus.localhost")


@pytest.fixture
def kolding_client(db) -> Client:
    return host_client("kolding.localhost")


@pytest.fixture
def public_client(db) -> Client:
    return host_client("localhost")


@pytest.fixture
def redis_required(settings):
    """Skip unless REDIS_URL points at a real Redis (CI runs these with REDIS_URL set and no skips)."""
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379/0")


@pytest.fixture
def celery_eager(settings):
    """Skip when Celery talks to a real broker: the test is about the eager (no Redis) default."""
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip("Celery is not eager here (REDIS_URL is set)")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and cached lookups live in the cache: every test starts without them."""
    from django.core.cache import cache

    cache.clear()
    yield
