from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tenants.models import Municipality
from tenants.provisioning import AdminAccount, municipality_provision


class Command(BaseCommand):
    help = (
        "Create a municipality: its database schema (with every migration), its subdomain under "
        "BASE_DOMAIN and optionally its first admin. Example: "
        "create_municipality 'Kolding Kommune' 0621 kolding --admin-username admin --admin-password ..."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The municipality's name, e.g. 'Kolding Kommune'.")
        parser.add_argument("code", help="The four-digit Danish municipality code, e.g. 0621.")
        parser.add_argument("subdomain", help="The subdomain, e.g. kolding for kolding.<BASE_DOMAIN>.")
        parser.add_argument("--inhabitants", type=int, default=None)
        parser.add_argument("--status", choices=Municipality.Status.values, default=Municipality.Status.TRIAL)
        parser.add_argument("--shares-with-network", action="store_true")
        parser.add_argument("--admin-username", default="")
        parser.add_argument("--admin-password", default="")
        parser.add_argument("--admin-email", default="")

    def handle(self, *args, **options):
        admin = None
        if options["admin_username"]:
            if not options["admin_password"]:
                raise CommandError("--admin-password is required with --admin-username.", returncode=2)
            admin = AdminAccount(options["admin_username"], options["admin_password"], options["admin_email"])
        try:
            municipality = municipality_provision(
                name=options["name"],
                code=options["code"],
                subdomain=options["subdomain"],
                inhabitants=options["inhabitants"],
                status=options["status"],
                shares_with_network=options["shares_with_network"],
                admin=admin,
            )
        except ValidationError as exc:
            lines = [
                f"{field}: {message}" for field, messages in exc.message_dict.items() for message in messages
            ]
            raise CommandError(
                _("Cannot create the municipality:") + "\n  " + "\n  ".join(lines), returncode=2
            ) from exc
        self.stdout.write(
            f"Created {municipality.name} ({municipality.code}) in schema {municipality.schema_name} "
            f"at {municipality.primary_url()}"
        )
