"""The tenant URLconf plus a view that fails: only for the Sentry boundary test."""

from django.urls import path

from config.urls_tenants import urlpatterns as tenant_patterns


def boom(request):
    raise RuntimeError("kaboom in a municipality")


urlpatterns = [path("boom/", boom), *tenant_patterns]
