"""Request middleware: tenant routing, the tenant's language and the Sentry tenant tag."""

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django_tenants.middleware.main import TenantMainMiddleware

from tenants.views import unknown_host


class TenantMiddleware(TenantMainMiddleware):
    """django-tenants' host routing; a host outside ALLOWED_HOSTS gets the plain 404 page too."""

    def process_request(self, request):
        try:
            request.get_host()
        except DisallowedHost:
            return unknown_host(request)
        return super().process_request(request)


class TenantLanguageMiddleware:
    """Activate the visitor's chosen language, else the municipality's default (Danish).

    The browser's Accept-Language is ignored on purpose: a Danish municipality's site opens in
    its own language, and the visitor switches with the language link.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        supported = dict(settings.LANGUAGES)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        tenant = getattr(request, "tenant", None)
        default = getattr(tenant, "default_language", None) or settings.LANGUAGE_CODE
        language = chosen if chosen in supported else default
        # override, not activate: the worker thread's language must not leak into the next request.
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class SentryTenantTagMiddleware:
    """Tag every Sentry event with the municipality's schema, so an error names its tenant."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SENTRY_DSN:
            import sentry_sdk

            tenant = getattr(request, "tenant", None)
            sentry_sdk.set_tag("tenant", getattr(tenant, "schema_name", "unknown"))
        return self.get_response(request)


class SuspendedTenantReadOnlyMiddleware:
    """A suspended municipality's site stays readable, but nobody can take part: every write from
    the citizen site is refused with a clear page. Staff keep their console (to export, to talk
    to the platform) and everyone can still switch language."""

    WRITABLE_PREFIXES = ("/admin-konsol/", "/django-admin/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant = getattr(request, "tenant", None)
        if (
            getattr(tenant, "is_suspended", False)
            and request.method not in ("GET", "HEAD", "OPTIONS")
            and not request.path.startswith(self.WRITABLE_PREFIXES)
        ):
            from django.shortcuts import render

            return render(request, "suspended.html", status=403)
        return self.get_response(request)
