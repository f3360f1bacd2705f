"""A real Celery worker, fed through Redis, runs each task in the schema of the tenant that queued it."""

import pytest
from celery.contrib.testing.worker import start_worker
from django_tenants.utils import schema_context

from config.celery_app import app
from tenants.tasks import tenant_health_check


@pytest.mark.redis
def test_a_task_sent_through_redis_runs_in_the_queueing_tenants_schema(db, redis_required):
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        with schema_context("kolding"):
            kolding = tenant_health_check.delay()
        with schema_context("aarhus"):
            aarhus = tenant_health_check.delay()
        public = tenant_health_check.delay()
        assert kolding.get(timeout=20) == {"schema": "kolding", "name": "Kolding Kommune"}
        assert aarhus.get(timeout=20) == {"schema": "aarhus", "name": "Aarhus Kommune"}
        assert public.get(timeout=20)["schema"] == "public"
