from celery import shared_task
from django.db import connection


@shared_task
def tenant_health_check() -> dict[str, str]:
    """Report which municipality's schema the task ran in: operators use it to check the workers."""
    tenant = getattr(connection, "tenant", None)
    return {"schema": connection.schema_name, "name": getattr(tenant, "name", "")}
