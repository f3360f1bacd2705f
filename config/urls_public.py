"""URLs of the platform's public site (BASE_DOMAIN): the municipality list and platform admin."""

from django.urls import include, path

from tenants import views
from tenants.admin import platform_admin

urlpatterns = [
    path("", views.landing, name="landing"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("platform-admin/", platform_admin.urls),
]
