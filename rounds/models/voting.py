"""Voting: the register of who voted (Voter, VoterKey) kept apart from what was chosen (Ballot).

A Voter row has no link to a ballot that the published data or exports could follow: the
ballot is found again (for a changed vote) only through `Ballot.locator`, a keyed hash of the
voter's random secret that needs the server's SECRET_KEY to compute. Ballots carry no voter, no
timestamp and a random primary key, so their order says nothing about who cast them.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rounds.models.rounds import Area, Proposal, Round


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    KIOSK = "kiosk", _("Kiosk at a voting day")
    PAPER = "paper", _("Paper ballot")
    IMPORTED = "imported", _("Imported from a .pb file")


class Tier(models.TextChoices):
    """How the voter's eligibility was verified, strongest first."""

    EID = "eid", _("MitID / NemLog-in")
    CODE = "code", _("Voting code by letter")
    STAFF = "staff", _("Checked by staff in person")
    EMAIL = "email", _("Email or SMS code (self-declared)")
    IMPORTED = "imported", _("Imported (verified elsewhere)")


class AgeBand(models.TextChoices):
    """A voter's coarse age on the day they voted; the birth date itself is never kept."""

    UNDER_18 = "under_18", _("Under 18")
    FROM_18 = "18_29", _("18–29")
    FROM_30 = "30_49", _("30–49")
    FROM_50 = "50_64", _("50–64")
    FROM_65 = "65_plus", _("65 and over")


class Voter(models.Model):
    """One person in the register of a round (per area where ballots are per area)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="voters")
    scope = models.PositiveBigIntegerField(default=0)  # the area's id where ballots are per area, else 0
    channel = models.CharField(max_length=10, choices=Channel.choices)
    tier = models.CharField(max_length=10, choices=Tier.choices)
    secret = models.CharField(max_length=64)  # random; with SECRET_KEY it locates the current ballot
    ballots_cast = models.PositiveSmallIntegerField(default=1)
    voted_on = models.DateField()
    age_band = models.CharField(max_length=8, choices=AgeBand.choices, blank=True)  # "" when not known

    class Meta:
        indexes = [models.Index(fields=["round", "scope"])]

    def __str__(self) -> str:
        return f"voter {self.pk} in {self.round_id}"


class VoterKey(models.Model):
    """A key a person is known by (a broker pseudonym, a code, name and birth date checked by
    staff), hashed. The unique constraint is the register: the same key cannot vote twice in the
    same round and scope, whatever the channel and however many requests race."""

    voter = models.ForeignKey(Voter, on_delete=models.CASCADE, related_name="keys")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    scope = models.PositiveBigIntegerField(default=0)
    key_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "scope", "key_hash"], name="one_ballot_per_person"),
        ]

    def __str__(self) -> str:
        return self.key_hash[:12]


class Ballot(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="ballots")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, related_name="ballots")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    tier = models.CharField(max_length=10, choices=Tier.choices)
    receipt = models.CharField(max_length=20, unique=True)
    locator = models.CharField(max_length=64, unique=True)
    paper_serial = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "paper_serial"], condition=~Q(paper_serial=""), name="paper_serial_unique"
            )
        ]

    def __str__(self) -> str:
        return self.receipt


class BallotChoice(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="+")
    points = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "proposal"], name="one_choice_per_proposal")]

    def __str__(self) -> str:
        return f"{self.proposal_id}×{self.points}"


class RoundResult(models.Model):
    """A computed and stored result: the rule with its settings, and the outcome per project."""

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="result")
    method = models.CharField(max_length=20)
    settings = models.JSONField(default=dict)
    spent = models.PositiveBigIntegerField(default=0)
    ballots = models.PositiveIntegerField(default=0)
    channel_mix = models.JSONField(default=dict)  # {"online": n, "paper": n, ...}
    tier_mix = models.JSONField(default=dict)
    override_reason = models.TextField(blank=True)
    certificate_pb = models.TextField(blank=True)  # the anonymised ballots as a .pb file
    certificate_sha256 = models.CharField(max_length=64, blank=True)
    software_version = models.CharField(max_length=40, blank=True)
    computed_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"result of {self.round}"


class ProjectResult(models.Model):
    result = models.ForeignKey(RoundResult, on_delete=models.CASCADE, related_name="projects")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="results")
    score = models.PositiveBigIntegerField(default=0)  # votes, points or net support
    rank = models.PositiveIntegerField()
    is_selected = models.BooleanField(default=False)
    selected_by_rule = models.BooleanField(default=False)  # before any staff override
    funded_amount = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["result", "rank"]
        constraints = [models.UniqueConstraint(fields=["result", "proposal"], name="one_result_per_project")]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.score}"
