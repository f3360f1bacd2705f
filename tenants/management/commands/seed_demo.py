from django.core.management.base import BaseCommand

from tenants.demo import demo_seed, demo_summary


class Command(BaseCommand):
    help = (
        "Create the demo municipalities of the seed memo (Aarhus, Kolding, Hedensted, Odense, "
        "Faaborg-Midtfyn) with their admins, and print their addresses and dev credentials. "
        "Safe to run again: it brings existing demo data up to date. Development only."
    )

    def handle(self, *args, **options):
        municipalities = demo_seed(log=self.stdout.write)
        self.stdout.write(demo_summary(municipalities))
