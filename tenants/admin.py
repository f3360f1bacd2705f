"""The platform operators' admin on the public site.

A separate AdminSite: registering Municipality on Django's default site would show every
municipality in each tenant's own admin (the public schema is on every tenant's search path).
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext_lazy as _
from django_tenants.admin import TenantAdminMixin

from tenants.models import Domain, Municipality


class PlatformAdminSite(admin.AdminSite):
    site_header = _("Borgerbudget platform")
    site_title = _("Borgerbudget platform")


platform_admin = PlatformAdminSite(name="platform_admin")
platform_admin.register(User, UserAdmin)
platform_admin.register(Group, GroupAdmin)


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Municipality, site=platform_admin)
class MunicipalityAdmin(TenantAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "schema_name", "status", "inhabitants", "shares_with_network")
    list_filter = ("status", "shares_with_network")
    search_fields = ("name", "code", "slug")
    readonly_fields = ("schema_name", "created_at")
    inlines = [DomainInline]
