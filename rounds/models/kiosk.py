"""Kiosk submissions: the idempotency keys of ballots sent from a voting-day kiosk.

A kiosk in a village hall may lose its network; it then keeps the ballot on the device and sends
it again later, perhaps more than once. Each ballot carries a random key (a UUID the device
makes); the first request with a key casts the ballot and stores the key with its receipt in the
same transaction, a later request with the same key gets the stored receipt and casts nothing.
Only the round, the key, the receipt and the day are stored: nothing that names the voter.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from rounds.models.rounds import Round


class KioskSubmission(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="kiosk_submissions")
    key = models.UUIDField(_("idempotency key"))
    receipt = models.CharField(max_length=20)
    created_on = models.DateField()

    class Meta:
        verbose_name = _("kiosk submission")
        verbose_name_plural = _("kiosk submissions")
        constraints = [
            models.UniqueConstraint(fields=["round", "key"], name="one_kiosk_submission_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.receipt}"
