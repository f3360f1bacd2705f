from django.conf import settings
from django.db.models import QuerySet

from tenants.models import Municipality


def municipality_list_public() -> QuerySet[Municipality]:
    """Municipalities shown on the public site, with their domains, alphabetically."""
    return (
        Municipality.objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME)
        .prefetch_related("domains")
        .order_by("name")
    )
