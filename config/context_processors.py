from django.conf import settings


def platform(request):
    """What every template needs to know about the platform and the current municipality."""
    tenant = getattr(request, "tenant", None)
    is_public = tenant is None or tenant.schema_name == settings.PUBLIC_SCHEMA_NAME
    return {"municipality": None if is_public else tenant, "base_domain": settings.BASE_DOMAIN}
