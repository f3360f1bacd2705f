"""Tenant isolation: data, sessions, cache and tasks of one municipality never reach another."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django_tenants.utils import tenant_context

from tenants.models import Municipality
from tenants.tasks import tenant_health_check
from tests.conftest import ADMIN, host_client


def test_a_row_written_in_one_schema_is_invisible_from_another(db):
    aarhus = Municipality.objects.get(schema_name="aarhus")
    kolding = Municipality.objects.get(schema_name="kolding")
    with tenant_context(aarhus):
        get_user_model().objects.create_user("aarhus-only-citizen")
        assert get_user_model().objects.filter(username="aarhus-only-citizen").exists()
    with tenant_context(kolding):
        assert not get_user_model().objects.filter(username="aarhus-only-citizen").exists()


def test_a_request_to_kolding_never_sees_aarhus_data(db):
    aarhus = Municipality.objects.get(schema_name="aarhus")
    with tenant_context(aarhus):
        get_user_model().objects.create_user("aarhus-only-citizen")
    connection.set_schema_to_public()
    kolding_client = host_client("kolding.localhost")
    kolding_client.post("/django-admin/login/", {"username": ADMIN.username, "password": ADMIN.password})
    response = kolding_client.get("/django-admin/auth/user/")
    assert response.status_code == 200
    assert "aarhus-only-citizen" not in response.content.decode()
    aarhus_client = host_client("aarhus.localhost")
    aarhus_client.post("/django-admin/login/", {"username": ADMIN.username, "password": ADMIN.password})
    assert "aarhus-only-citizen" in aarhus_client.get("/django-admin/auth/user/").content.decode()


def test_a_session_cookie_from_aarhus_is_no_login_on_kolding(db):
    aarhus_client = host_client("aarhus.localhost")
    response = aarhus_client.post(
        "/django-admin/login/?next=/django-admin/",
        {"username": ADMIN.username, "password": ADMIN.password},
    )
    assert response.status_code == 302
    assert aarhus_client.get("/django-admin/").status_code == 200
    session_cookie = aarhus_client.cookies["sessionid"]
    # Host-only: no Domain attribute, so browsers never send it to another subdomain...
    assert session_cookie["domain"] == ""
    # ...and even when it is sent, Kolding's schema has no such session.
    kolding_client = host_client("kolding.localhost")
    kolding_client.cookies["sessionid"] = session_cookie.value
    response = kolding_client.get("/django-admin/")
    assert response.status_code == 302
    assert "/django-admin/login/" in response["Location"]


def test_the_csrf_cookie_is_host_only(aarhus_client):
    aarhus_client.get("/django-admin/login/")
    assert aarhus_client.cookies["csrftoken"]["domain"] == ""


def _cache_roundtrip_is_isolated():
    aarhus = Municipality.objects.get(schema_name="aarhus")
    kolding = Municipality.objects.get(schema_name="kolding")
    with tenant_context(aarhus):
        cache.set("front-page", "Aarhus' front page", 60)
        assert cache.get("front-page") == "Aarhus' front page"
    with tenant_context(kolding):
        assert cache.get("front-page") is None
        cache.set("front-page", "Kolding's front page", 60)
    with tenant_context(aarhus):
        assert cache.get("front-page") == "Aarhus' front page"
        cache.delete("front-page")
    with tenant_context(kolding):
        cache.delete("front-page")


def test_a_cached_value_set_in_one_tenant_is_not_read_in_another(db):
    _cache_roundtrip_is_isolated()


@pytest.mark.redis
def test_a_cached_value_in_redis_is_not_read_in_another_tenant(db, redis_required):
    from django.conf import settings

    assert "redis" in settings.CACHES["default"]["BACKEND"].lower()
    _cache_roundtrip_is_isolated()


def test_an_eager_celery_task_runs_in_the_schema_that_queued_it(db, celery_eager):
    for schema, name in (("aarhus", "Aarhus Kommune"), ("kolding", "Kolding Kommune")):
        with tenant_context(Municipality.objects.get(schema_name=schema)):
            result = tenant_health_check.delay().get(timeout=10)
        assert result == {"schema": schema, "name": name}
