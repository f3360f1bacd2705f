"""The platform operators' admin on the public site.

A separate AdminSite: registering Municipality on Django's default site would show every
municipality in each tenant's own admin (the public schema is on every tenant's search path).
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext_lazy as _
from django_tenants.admin import TenantAdminMixin

from config.login_throttle import ThrottledAdminLoginForm
from tenants.models import Domain, Municipality


class PlatformAdminSite(admin.AdminSite):
    site_header = _("Borgerbudget platform")
    site_title = _("Borgerbudget platform")
    login_form = ThrottledAdminLoginForm


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


# --- Identity providers (MitID brokers, NemLog-in bridges): the secret is never shown again ---
from django import forms  # noqa: E402

from tenants.models_identity import IdentityProvider  # noqa: E402


class IdentityProviderForm(forms.ModelForm):
    issuer = forms.URLField(
        label=_("issuer"),
        max_length=300,
        assume_scheme="https",
        help_text=IdentityProvider._meta.get_field("issuer").help_text,
    )
    client_secret = forms.CharField(
        label=_("client secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the stored secret."),
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "municipality", "name", "issuer", "client_id", "client_secret", "client_auth", "scopes",
            "birthdate_claim", "age_claim", "postcode_claim", "municipality_code_claim", "name_claim",
            "is_active",
        ]  # fmt: skip

    def clean_client_secret(self) -> str:
        return self.cleaned_data["client_secret"] or (self.instance.client_secret if self.instance.pk else "")


@admin.register(IdentityProvider, site=platform_admin)
class IdentityProviderAdmin(admin.ModelAdmin):
    form = IdentityProviderForm
    list_display = ("name", "municipality", "issuer", "client_id", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "issuer", "municipality__name")
