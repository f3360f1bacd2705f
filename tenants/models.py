from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from tenants.validators import validate_brand_colour, validate_municipality_code


class Municipality(TenantMixin):
    """A municipality: one tenant with its own PostgreSQL schema and subdomain.

    The row with schema ``public`` is the platform itself (the public site's host); it has no code.
    """

    class Status(models.TextChoices):
        TRIAL = "trial", _("Trial")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=63, unique=True)
    code = models.CharField(
        _("municipality code"),
        max_length=4,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_municipality_code],
        help_text=_("The four-digit Danish municipality code, e.g. 0751 for Aarhus."),
    )
    inhabitants = models.PositiveIntegerField(_("inhabitants"), null=True, blank=True)
    default_language = models.CharField(
        _("default language"), max_length=5, choices=settings.LANGUAGES, default="da"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.TRIAL)
    shares_with_network = models.BooleanField(
        _("shares outcomes with the national network"),
        default=False,
        help_text=_("Consent to publish this municipality's round outcomes in the national comparison."),
    )
    brand_colour = models.CharField(
        _("brand colour"),
        max_length=7,
        default="#1f4e79",
        validators=[validate_brand_colour],
        help_text=_("Used for the header, buttons and links; must keep a contrast of 4.5:1 with white."),
    )
    logo_url = models.URLField(
        _("logo"), blank=True, help_text=_("Address of the municipality's logo (SVG or PNG).")
    )
    accessibility_statement_url = models.URLField(
        _("accessibility statement"),
        blank=True,
        help_text=_(
            "The municipality's accessibility statement (e.g. on was.digst.dk); /was redirects there."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    # Provisioning creates the schema itself (tenants/provisioning.py), so a failure can be undone.
    auto_create_schema = True
    auto_drop_schema = False

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(schema_name="public") | Q(code__regex=r"^[0-9]{4}$"),
                name="municipality_has_code",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_platform(self) -> bool:
        return self.schema_name == settings.PUBLIC_SCHEMA_NAME

    @property
    def is_suspended(self) -> bool:
        return self.status == self.Status.SUSPENDED

    def primary_url(self) -> str:
        domain = self.get_primary_domain()
        return domain_url(domain.domain) if domain else ""


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self) -> str:
        return self.domain


def domain_url(host: str) -> str:
    """The address of a host as visitors reach it (scheme and port from settings)."""
    scheme = "https" if settings.SECURE_COOKIES else "http"
    port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
    return f"{scheme}://{host}{port}/"


from tenants.models_identity import IdentityProvider  # noqa: E402, F401
