"""Paper ballots under the double-entry check: entered by two staff members before they count.

Where a round asks for it (`Round.paper_double_entry`), the first entry of a paper ballot is held
here as pending: not a Ballot, not counted, not in the register. When a second, different staff
member enters the same serial with the same voter and choices, the ballot is cast and this row
is deleted. When the second entry differs, the row keeps both entries and is flagged as a
mismatch until an admin clears it for re-entry or discards the ballot with a reason.

The voter is kept only as the keyed hash the register uses (`eligibility.key_hash` of the person
key), never by name or birth date, and only while the entry waits: a discarded entry keeps its
serial and the reason, nothing about the voter or the choices.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rounds.models.rounds import Area, Round


class PaperEntry(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a second entry")
        MISMATCH = "mismatch", _("Entries differ")
        DISCARDED = "discarded", _("Discarded")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="paper_entries")
    serial = models.CharField(_("serial number"), max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # The first entry.
    voter_hash = models.CharField(max_length=64, blank=True)
    area = models.ForeignKey(Area, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    choices = models.JSONField(default=dict, blank=True)  # {"<proposal id>": points}
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    entered_at = models.DateTimeField()
    # The second entry, kept when it differed from the first.
    second_voter_hash = models.CharField(max_length=64, blank=True)
    second_area = models.ForeignKey(Area, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    second_choices = models.JSONField(null=True, blank=True)
    second_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    second_at = models.DateTimeField(null=True, blank=True)
    discard_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("paper ballot entry")
        verbose_name_plural = _("paper ballot entries")
        ordering = ["round", "serial"]
        constraints = [models.UniqueConstraint(fields=["round", "serial"], name="one_paper_entry_per_serial")]

    def __str__(self) -> str:
        return f"{self.serial} ({self.status})"

    @property
    def differences(self) -> list[str]:
        """What the second entry changed: "voter", "area", "choices" (empty unless a mismatch)."""
        if self.second_choices is None:
            return []
        pairs = {
            "voter": (self.voter_hash, self.second_voter_hash),
            "area": (self.area_id, self.second_area_id),
            "choices": (self.choices, self.second_choices),
        }
        return [name for name, (first, second) in pairs.items() if first != second]
