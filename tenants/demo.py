"""The demo municipalities: the cases of the seed memo (Bilag 2), with their real codes."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings
from django_tenants.utils import tenant_context

from rounds.demo import DEMO_STAFF, STAFF_PASSWORD, demo_rounds_seed, demo_staff_ensure
from tenants.models import Domain, Municipality
from tenants.provisioning import (
    AdminAccount,
    municipality_provision,
    platform_ensure,
    tenant_admin_ensure,
    tenant_host,
)


@dataclass(frozen=True)
class DemoMunicipality:
    name: str
    code: str
    subdomain: str
    inhabitants: int


DEMO_MUNICIPALITIES = (
    DemoMunicipality("Aarhus Kommune", "0751", "aarhus", 373_388),
    DemoMunicipality("Kolding Kommune", "0621", "kolding", 95_818),
    DemoMunicipality("Hedensted Kommune", "0766", "hedensted", 47_634),
    DemoMunicipality("Odense Kommune", "0461", "odense", 210_803),
    DemoMunicipality("Faaborg-Midtfyn Kommune", "0430", "faaborg-midtfyn", 51_552),
)

# Development credentials, printed by seed_demo. Never use seed_demo on a production database.
PLATFORM_ADMIN = AdminAccount("platform", "platform-demo", "platform@example.invalid")
MUNICIPALITY_ADMIN_PASSWORD = "demo-admin"
SILENT_EMAIL = "django.core.mail.backends.dummy.EmailBackend"


def platform_superuser_ensure(account: AdminAccount) -> None:
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(username=account.username)
    user.email = account.email
    user.is_staff = user.is_superuser = True
    user.set_password(account.password)
    user.save()


def demo_seed(log=print) -> list[Municipality]:
    """Create (or bring up to date) the demo municipalities, their domains and admins. Idempotent."""
    with transaction.atomic():
        platform_ensure()
        platform_superuser_ensure(PLATFORM_ADMIN)
    seeded = []
    for demo in DEMO_MUNICIPALITIES:
        admin = AdminAccount("admin", MUNICIPALITY_ADMIN_PASSWORD, f"admin@{demo.subdomain}.example.invalid")
        municipality = Municipality.objects.filter(code=demo.code).first()
        if municipality is None:
            log(f"Creating {demo.name} ...")
            municipality = municipality_provision(
                name=demo.name,
                code=demo.code,
                subdomain=demo.subdomain,
                inhabitants=demo.inhabitants,
                status=Municipality.Status.ACTIVE,
                shares_with_network=True,
                admin=admin,
            )
        else:
            # BASE_DOMAIN may have changed since the last run: keep the primary domain in step.
            Domain.objects.update_or_create(
                domain=tenant_host(demo.subdomain), defaults={"tenant": municipality, "is_primary": True}
            )
            Domain.objects.filter(tenant=municipality).exclude(domain=tenant_host(demo.subdomain)).update(
                is_primary=False
            )
            tenant_admin_ensure(municipality, admin)
        # Demo citizens have invented addresses: the decision-chain emails go nowhere.
        with tenant_context(municipality), override_settings(EMAIL_BACKEND=SILENT_EMAIL):
            demo_rounds_seed(demo.code, log=log)
            demo_staff_ensure()
        seeded.append(municipality)
    return seeded


def demo_summary(municipalities: list[Municipality]) -> str:
    from tenants.models import domain_url

    lines = [
        "Borgerbudget demo",
        f"  Public site:      {domain_url(settings.BASE_DOMAIN)}",
        f"  Platform admin:   {domain_url(settings.BASE_DOMAIN)}platform-admin/  "
        f"(user {PLATFORM_ADMIN.username} / password {PLATFORM_ADMIN.password})",
        "  Municipalities (admin user 'admin' / password "
        f"'{MUNICIPALITY_ADMIN_PASSWORD}' on each, at /admin-konsol/ and /django-admin/):",
    ]
    lines += [f"    {m.name:<26} {m.primary_url()}" for m in municipalities]
    staff = ", ".join(f"'{username}' ({role})" for username, role, _department in DEMO_STAFF)
    lines.append(f"  Console staff on each (password '{STAFF_PASSWORD}'): {staff}")
    return "\n".join(lines)
