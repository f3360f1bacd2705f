"""URLs of a municipality's site (<subdomain>.BASE_DOMAIN)."""

from django.contrib import admin
from django.urls import include, path

from config.login_throttle import ThrottledAdminLoginForm

admin.site.login_form = ThrottledAdminLoginForm

urlpatterns = [
    path("", include("rounds.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin-konsol/", include("rounds.console.urls")),
    path("django-admin/", admin.site.urls),
]
