"""Proposals assessed before departments were assigned belong to the department that assessed
them, so a case worker's queue shows them (rounds/services/assessments.py does the same
for every new assessment of an unassigned proposal)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def assign_from_assessments(apps, schema_editor):
    Proposal = apps.get_model("rounds", "Proposal")
    Assessment = apps.get_model("rounds", "Assessment")
    assessed_by = Assessment.objects.filter(proposal=OuterRef("pk")).values("department")[:1]
    Proposal.objects.filter(department="", assessment__isnull=False).update(department=Subquery(assessed_by))


class Migration(migrations.Migration):
    dependencies = [("rounds", "0009_age_band_and_eligible_residents")]

    operations = [migrations.RunPython(assign_from_assessments, migrations.RunPython.noop)]
