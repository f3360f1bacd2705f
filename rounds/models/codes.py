"""Voting codes: one-time codes mailed as letters, for voters without MitID (children under 15).

Only a keyed hash of each code is stored (HMAC-SHA256 with SECRET_KEY, as for voter keys), so
neither a database dump nor the admin can recover a code; the plain codes exist once, when the
batch is created, and then only in the letters PDF until the municipality deletes it after mailing.
Rotating SECRET_KEY invalidates every code not yet used.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rounds.models.rounds import Area, Round


def letters_upload_to(batch: VotingCodeBatch, filename: str) -> str:
    # The default storage puts files under the municipality's schema; the random part keeps the
    # path unguessable should the media folder ever be served. Never link to it: staff download it
    # through a view that checks permissions.
    return f"voting-code-letters/round-{batch.round_id}/{secrets.token_urlsafe(16)}-{filename}"


class VotingCodeBatch(models.Model):
    """A batch of voting codes for one round (and one area), generated together and mailed together."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="code_batches")
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="code_batches"
    )
    size = models.PositiveIntegerField(_("number of codes"))
    label = models.CharField(_("label"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    letters = models.FileField(_("letters (PDF)"), upload_to=letters_upload_to, blank=True)
    letters_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("voting code batch")
        verbose_name_plural = _("voting code batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.label or f"{self.size} × {self.round}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class VotingCode(models.Model):
    """One code of a batch, as a keyed hash. It is spent in the transaction that casts its ballot."""

    batch = models.ForeignKey(VotingCodeBatch, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("voting code")
        verbose_name_plural = _("voting codes")

    def __str__(self) -> str:
        return f"code {self.pk} of batch {self.batch_id}"

    @property
    def is_used(self) -> bool:
        return self.used_at is not None
