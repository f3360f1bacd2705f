"""How a municipality's voters prove who they are with MitID: an OpenID Connect provider.

A MitID broker (Signicat, Idura/Criipto, Signaturgruppen, ...) or a SAML-to-OIDC bridge in front
of NemLog-in. It lives in the public schema next to the municipality it belongs to, so platform
operators can connect a municipality without entering its schema.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class IdentityProvider(models.Model):
    """One OpenID Connect client registration of a municipality at a broker or bridge."""

    class ClientAuth(models.TextChoices):
        BASIC = "client_secret_basic", _("HTTP Basic (client_secret_basic)")
        POST = "client_secret_post", _("In the form (client_secret_post)")

    municipality = models.ForeignKey(
        "tenants.Municipality",
        on_delete=models.CASCADE,
        related_name="identity_providers",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=100, help_text=_('Shown to voters, e.g. "MitID (Idura)".'))
    issuer = models.URLField(
        _("issuer"),
        max_length=300,
        help_text=_("The provider's issuer URL; discovery reads /.well-known/openid-configuration there."),
    )
    client_id = models.CharField(_("client ID"), max_length=200)
    client_secret = models.CharField(_("client secret"), max_length=500, blank=True)
    client_auth = models.CharField(
        _("client authentication"), max_length=30, choices=ClientAuth.choices, default=ClientAuth.BASIC
    )
    scopes = models.CharField(
        _("scopes"),
        max_length=300,
        default="openid",
        help_text=_("Space-separated. Never ask for a CPR scope (e.g. Signicat's nin): it is not stored."),
    )
    # Claim names differ between brokers; a dotted name reads inside an object (address.postal_code).
    birthdate_claim = models.CharField(_("birth date claim"), max_length=100, default="birthdate", blank=True)
    age_claim = models.CharField(_("age claim"), max_length=100, default="age", blank=True)
    postcode_claim = models.CharField(_("postcode claim"), max_length=100, default="postal_code", blank=True)
    municipality_code_claim = models.CharField(
        _("municipality code claim"), max_length=100, default="municipality_code", blank=True
    )
    name_claim = models.CharField(_("name claim"), max_length=100, default="name", blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"], condition=Q(is_active=True), name="one_active_identity_provider"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality})"

    @property
    def scope_list(self) -> list[str]:
        scopes = self.scopes.split()
        return scopes if "openid" in scopes else ["openid", *scopes]
