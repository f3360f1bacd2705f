"""The citizen-budget domain of one municipality (tenant schema). Money is whole DKK."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from models_catalogue import registry
from models_catalogue.base import PHASE_LABELS, PhaseKind, ProcessModel, Rules
from models_catalogue.validation import rules_from_settings

money = [MinValueValidator(0)]


class Round(models.Model):
    """One citizen-budget cycle of the municipality, run by one process model."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    process_model = models.CharField(_("process model"), max_length=40, choices=registry.choices)
    settings = models.JSONField(_("settings"), default=dict, blank=True)
    funding_source = models.CharField(_("funding source"), max_length=200, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    age_reference_on = models.DateField(
        _("age reference date"),
        null=True,
        blank=True,
        help_text=_(
            "The date on which voters must have reached the minimum age; empty: the first day of voting."
        ),
    )
    paper_double_entry = models.BooleanField(
        _("double entry of paper ballots"),
        default=False,
        help_text=_("Two different staff members enter each paper ballot; it counts when they agree."),
    )
    eligible_residents = models.PositiveIntegerField(
        _("eligible residents"),
        null=True,
        blank=True,
        help_text=_("How many residents may vote; for turnout."),
    )
    rules_frozen_at = models.DateTimeField(null=True, blank=True)  # set by the first ballot
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def model(self) -> ProcessModel:
        return registry.get(self.process_model)

    @property
    def rules(self) -> Rules:
        return rules_from_settings(self.model, self.settings)

    @property
    def pot(self) -> int:
        return self.rules.pot


class Phase(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Not started")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("kind"), max_length=20, choices=[(k.value, PHASE_LABELS[k]) for k in PhaseKind])
    position = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "position"], name="phase_position_unique"),
            models.UniqueConstraint(
                fields=["round"], condition=Q(state="open"), name="one_open_phase_per_round"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="phase_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.label}"

    @property
    def label(self) -> str:
        return str(PHASE_LABELS[PhaseKind(self.kind)])


class Area(models.Model):
    """A local council, school district, village, city district or practice track, with its sub-pot."""

    class Kind(models.TextChoices):
        LOCAL_COUNCIL = "local_council", _("Local council")
        SCHOOL_DISTRICT = "school_district", _("School district")
        VILLAGE = "village", _("Village")
        CITY_DISTRICT = "city_district", _("City district")
        PRACTICE_TRACK = "practice_track", _("Practice track")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    pot = models.PositiveIntegerField(_("sub-pot (kr.)"), null=True, blank=True)
    eligible_residents = models.PositiveIntegerField(_("eligible residents"), null=True, blank=True)
    # Who lives in the area: any of postcodes, streets ("Vejnavn|postnummer") or a GeoJSON boundary.
    postcodes = models.JSONField(_("postcodes"), default=list, blank=True)
    streets = models.JSONField(_("streets"), default=list, blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)

    class Meta:
        ordering = ["round", "name"]
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="area_name_unique")]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["round", "name"]
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="theme_name_unique")]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    """One item of a round's self-qualification checklist (ticked by the proposer) or legal
    screening (checked by staff; a failed item rejects the proposal with the item as the reason)."""

    class Kind(models.TextChoices):
        SELF_QUALIFICATION = "self_qualification", _("Self-qualification")
        LEGAL = "legal", _("Legal screening")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="checklist_items")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["round", "kind", "position", "id"]

    def __str__(self) -> str:
        return self.text


class Proposal(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        SHORTLISTED = "shortlisted", _("On the favourites list")
        FEASIBLE = "feasible", _("Assessed: feasible")
        CHANGED = "changed", _("Assessed: feasible with changes")
        REJECTED = "rejected", _("Rejected")
        ON_BALLOT = "on_ballot", _("On the ballot")
        SELECTED = "selected", _("Selected")
        NOT_SELECTED = "not_selected", _("Not selected")
        ADOPTED = "adopted", _("Adopted by the council")
        ADOPTED_CHANGED = "adopted_changed", _("Adopted with changes")
        DECLINED = "declined", _("Not adopted by the council")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="proposals")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals"
    )
    author_name = models.CharField(_("proposer's name"), max_length=200)
    author_email = models.EmailField(_("proposer's email"), blank=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    description = models.TextField(_("description"))
    cost = models.PositiveIntegerField(_("cost (kr.)"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, related_name="proposals")
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, null=True, blank=True, related_name="proposals"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    department = models.CharField(  # the department that assesses it; empty until an admin assigns one
        _("department"), max_length=200, blank=True
    )
    checklist_confirmed = models.JSONField(default=list, blank=True)  # ids of self-qualification items
    votes = models.PositiveIntegerField(_("votes"), null=True, blank=True)
    funded_amount = models.PositiveIntegerField(_("funded (kr.)"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "id"]
        indexes = [models.Index(fields=["round", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def current_cost(self) -> int:
        """The cost after assessment, when the assessment revised it."""
        assessment = getattr(self, "assessment", None)
        if assessment is not None and assessment.revised_cost is not None:
            return assessment.revised_cost
        return self.cost


class Comment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    author_name = models.CharField(max_length=200)
    body = models.TextField(_("comment"))
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.body[:40]}"


class Support(models.Model):
    """One for (+1) or against (-1) per person per proposal; changeable; counts are public."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports")
    value = models.SmallIntegerField(choices=[(1, _("For")), (-1, _("Against"))])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="one_support_per_person"),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="support_is_for_or_against"),
        ]

    def __str__(self) -> str:
        return f"{self.value:+d} {self.proposal_id}"


class Assessment(models.Model):
    class Outcome(models.TextChoices):
        FEASIBLE = "feasible", _("Feasible")
        CHANGED = "changed", _("Feasible with changes")
        REJECTED = "rejected", _("Rejected")

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="assessment")
    department = models.CharField(_("department"), max_length=200)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    revised_cost = models.PositiveIntegerField(_("revised cost (kr.)"), null=True, blank=True)
    public_reason = models.TextField(_("public reason"), blank=True)
    failed_check = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    assessed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.proposal}: {self.get_outcome_display()}"


class Statement(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="statements")
    body_name = models.CharField(_("committee or assembly"), max_length=200)
    text = models.TextField(_("statement"))
    given_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.body_name} on {self.proposal}"


class Meeting(models.Model):
    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        INFO = "info", _("Information meeting")
        EXPERT_DAY = "expert_day", _("Expert day")
        VOTING_DAY = "voting_day", _("Voting day")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="meetings")
    area = models.ForeignKey(Area, on_delete=models.SET_NULL, null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    location = models.CharField(_("location"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.title


class MeetingSignup(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="signups")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "email"], name="one_signup_per_email")]

    def __str__(self) -> str:
        return f"{self.name} @ {self.meeting}"


class Delegate(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="delegates")
    area = models.ForeignKey(Area, on_delete=models.SET_NULL, null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    chosen_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


class AreaApplication(models.Model):
    """A local council applies with a process plan; staff select some and split the pool."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        SELECTED = "selected", _("Selected")
        DECLINED = "declined", _("Not selected")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="applications")
    applicant = models.CharField(_("local council"), max_length=200)
    process_plan = models.TextField(_("process plan"))
    requested_amount = models.PositiveIntegerField(_("requested (kr.)"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    area = models.OneToOneField(
        Area, on_delete=models.SET_NULL, null=True, blank=True, related_name="application"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "applicant"], name="one_application_per_council")
        ]

    def __str__(self) -> str:
        return self.applicant


class Decision(models.Model):
    class Outcome(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        CHANGED = "changed", _("Adopted with changes")
        REJECTED = "rejected", _("Rejected")

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    amount = models.PositiveIntegerField(_("amount granted (kr.)"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    decided_by = models.CharField(_("decided by"), max_length=200)
    decided_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.proposal}: {self.get_outcome_display()}"


class ImplementationUpdate(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        NOT_REALISED = "not_realised", _("Not realised")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    text = models.TextField(_("update"))
    invoice_reference = models.CharField(_("invoice"), max_length=100, blank=True)
    payout = models.PositiveIntegerField(_("paid out (kr.)"), default=0)
    posted_at = models.DateTimeField()

    class Meta:
        ordering = ["proposal", "posted_at", "id"]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.get_status_display()}"


class Evaluation(models.Model):
    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="evaluation")
    summary = models.TextField(_("summary"))
    recommendations = models.TextField(_("recommendations"), blank=True)
    made_with = models.CharField(_("made with"), max_length=300, blank=True)
    published_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Evaluation of {self.round}"


class AuditEntry(models.Model):
    """Who changed what, when, from which value to which."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    old_value = models.JSONField(null=True, blank=True)
    new_value = models.JSONField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}:{self.object_id}"
        )


class SurveyResponse(models.Model):
    """A citizen's anonymous answer to the evaluation survey after a round (no user, no time of day)."""

    class Again(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        UNSURE = "unsure", _("Not sure")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="survey_responses")
    satisfaction = models.PositiveSmallIntegerField(
        _("How satisfied are you with the citizen budget?"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    took_part = models.JSONField(_("How did you take part?"), default=list, blank=True)
    would_again = models.CharField(_("Would you take part again?"), max_length=6, choices=Again.choices)
    comment = models.TextField(_("What should be better next time?"), blank=True, max_length=3000)
    answered_on = models.DateField()

    def __str__(self) -> str:
        return f"{self.round}: {self.satisfaction}/5"
