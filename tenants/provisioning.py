"""Provisioning: the platform row, new municipalities (schema, domain, first admin)."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context, schema_exists

from tenants.models import Domain, Municipality
from tenants.validators import schema_name_for, validate_municipality_code, validate_subdomain

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AdminAccount:
    username: str
    password: str
    email: str = ""


def tenant_host(subdomain: str) -> str:
    return f"{subdomain}.{settings.BASE_DOMAIN}"


def platform_ensure() -> Municipality:
    """Create or update the platform's own row (schema public) and its domain, BASE_DOMAIN."""
    platform, _created = Municipality.objects.get_or_create(
        schema_name=settings.PUBLIC_SCHEMA_NAME,
        defaults={"name": "Borgerbudget", "slug": "platform", "status": Municipality.Status.ACTIVE},
    )
    Domain.objects.update_or_create(
        domain=settings.BASE_DOMAIN, defaults={"tenant": platform, "is_primary": True}
    )
    return platform


def municipality_problems(*, name: str, code: str, subdomain: str) -> dict[str, list[str]]:
    """Every reason the municipality cannot be created, by field; empty when it can."""
    problems: dict[str, list[str]] = {}

    def check(field: str, validator, value) -> None:
        try:
            validator(value)
        except ValidationError as exc:
            problems.setdefault(field, []).extend(exc.messages)

    if not name.strip():
        problems["name"] = [_("A municipality needs a name.")]
    check("code", validate_municipality_code, code)
    check("subdomain", validate_subdomain, subdomain)
    if "code" not in problems and Municipality.objects.filter(code=code).exists():
        taken_by = Municipality.objects.get(code=code)
        problems["code"] = [
            _("Code %(code)s is already used by %(name)s.") % {"code": code, "name": taken_by}
        ]
    if "subdomain" not in problems:
        schema = schema_name_for(subdomain)
        host = tenant_host(subdomain)
        if Domain.objects.filter(domain=host).exists():
            problems["subdomain"] = [_("The subdomain %(host)s is already taken.") % {"host": host}]
        elif (
            Municipality.objects.filter(schema_name=schema).exists()
            or Municipality.objects.filter(slug=subdomain).exists()
            or schema_exists(schema)
        ):
            problems["subdomain"] = [
                _("The database schema %(schema)s for %(subdomain)s already exists.")
                % {"schema": schema, "subdomain": subdomain}
            ]
    return problems


def municipality_provision(
    *,
    name: str,
    code: str,
    subdomain: str,
    inhabitants: int | None = None,
    status: str = Municipality.Status.TRIAL,
    shares_with_network: bool = False,
    admin: AdminAccount | None = None,
) -> Municipality:
    """Create a municipality: its schema with every tenant migration, its domain and first admin.

    Raises ValidationError listing every problem before anything is created. If creating the
    schema or the admin fails half-way, the schema and rows are removed again, so a retry starts clean.
    """
    if problems := municipality_problems(name=name, code=code, subdomain=subdomain):
        raise ValidationError(problems)
    platform_ensure()
    municipality = Municipality(
        schema_name=schema_name_for(subdomain),
        name=name.strip(),
        slug=subdomain,
        code=code,
        inhabitants=inhabitants,
        status=status,
        shares_with_network=shares_with_network,
    )
    try:
        municipality.full_clean()
        municipality.save(verbosity=0)  # creates the schema and runs every tenant migration
        Domain.objects.create(domain=tenant_host(subdomain), tenant=municipality, is_primary=True)
        if admin:
            tenant_admin_ensure(municipality, admin)
    except BaseException:
        logger.exception("Provisioning %s failed; removing the half-made schema", subdomain)
        municipality_discard(municipality)
        raise
    return municipality


def tenant_admin_ensure(municipality: Municipality, admin: AdminAccount):
    """Create the municipality's admin account in its own schema, or reset its password."""
    with schema_context(municipality.schema_name):
        user_model = get_user_model()
        user, _created = user_model.objects.get_or_create(
            username=admin.username, defaults={"email": admin.email}
        )
        user.is_staff = True
        user.is_superuser = True
        user.set_password(admin.password)
        user.save()
        return user


def municipality_discard(municipality: Municipality) -> None:
    """Remove a municipality's schema, domains and row (used to undo a failed provisioning)."""
    connection.set_schema_to_public()
    with transaction.atomic():
        if municipality.pk:
            Domain.objects.filter(tenant_id=municipality.pk).delete()
            Municipality.objects.filter(pk=municipality.pk).delete()
    if municipality.schema_name and schema_exists(municipality.schema_name):
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{municipality.schema_name}" CASCADE')
