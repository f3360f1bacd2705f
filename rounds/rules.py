"""May this happen now? Each check returns a reason code, or None when it may.

The only module of rounds/ that asks the catalogue about phases: it reads the round's phase
specs (actions, gates) and its effective rules, never a model's name.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from models_catalogue.base import Action, Gate, PhaseSpec
from rounds.formatting import danish_number
from rounds.models import Phase, Proposal, Round

# Reason codes, with the message a citizen or case worker sees.
REASONS = {
    "phase_closed": _("This is not possible in the round's current phase."),
    "round_not_started": _("The round has not started yet."),
    "round_finished": _("The round has finished; there is no next phase."),
    "phase_out_of_order": _("Phases can only be advanced in the model's order."),
    "not_all_assessed": _("Every proposal going forward must be assessed before this phase can open."),
    "pot_not_split": _("Select the local councils and split the pool before the proposal phase opens."),
    "no_delegates": _("Choose delegates before the next phase opens."),
    "no_proposals": _("There are no proposals to take forward."),
    "over_cap": _("The cost is above the maximum of %(cap)s kr. per project."),
    "over_pot": _("The cost is above the pot of %(pot)s kr."),
    "over_area_pot": _("The cost is above the area's pot of %(pot)s kr."),
    "under_minimum": _("The cost is below the minimum of %(minimum)s kr. per project."),
    "theme_required": _("Choose a theme for the proposal."),
    "area_required": _("Choose the area the proposal belongs to."),
    "foreign_theme": _("The theme does not belong to this round."),
    "foreign_area": _("The area does not belong to this round."),
    "checklist_incomplete": _("Confirm every item of the checklist before submitting."),
    "delegates_only": _("In this round only delegates may submit proposals."),
    "not_editable": _("The proposal can no longer be changed."),
    "not_author": _("Only the proposer can change the proposal."),
    "supports_off": _("This round has no supports."),
    "against_not_allowed": _("This round only has supports for, not against."),
    "not_supportable": _("This proposal cannot be supported."),
    "not_assessable": _("Only submitted proposals going forward can be assessed."),
    "reason_required": _("A rejection needs a public reason."),
    "not_assignable": _("A draft cannot be assigned to a department."),
    "revised_cost_required": _("A changed proposal needs its revised cost."),
    "statements_off": _("This round has no statements."),
    "applications_off": _("This round does not take applications from local councils."),
    "pot_exceeded": _("The areas' pots would add up to %(total)s kr., more than the pool of %(pot)s kr."),
    "already_decided": _("The application has already been decided."),
    "delegates_off": _("This round has no delegates."),
    "meeting_full": _("The meeting is full."),
    "already_signed_up": _("You are already signed up."),
    "not_decidable": _("Only proposals that went through the round can be decided."),
    "decision_amount_required": _("An adoption needs the amount granted."),
    "not_implementable": _("Only adopted or selected proposals have implementation updates."),
    "invoice_required": _("A payout needs an invoice reference: this round pays out after spending."),
    "payout_exceeds_grant": _("The payouts would exceed the %(granted)s kr. granted."),
    "evaluation_off": _("This round has no evaluation."),
    "no_votes_in_round": _("This round has no vote."),
    "unknown_proposal": _("A vote count names a proposal that is not on the ballot."),
    "channel_not_allowed": _("This round does not take ballots this way."),
    "verification_not_allowed": _("This round does not accept this way of proving who you are."),
    "not_verified": _("We could not verify who you are."),
    "too_young": _("You are not old enough to vote in this round."),
    "age_unknown": _("We need to know your age to let you vote."),
    "wrong_area": _("Your voting code belongs to another area."),
    "not_resident": _("Only residents of the area can vote in this round."),
    "not_on_ballot": _("The ballot names a proposal that is not on the ballot."),
    "negative_points": _("Points cannot be negative."),
    "one_vote_per_project": _("You can give each project one vote only."),
    "too_few": _("Choose at least %(minimum)s projects."),
    "too_many": _("Choose at most %(maximum)s projects."),
    "over_budget": _("Your choices cost %(total)s kr., more than the %(limit)s kr. available."),
    "too_many_points_on_one": _("You can give one project at most %(maximum)s points."),
    "too_many_points": _("You have %(points)s points to spread; you used more."),
    "no_vote": _("This round has no vote."),
    "serial_required": _("A paper ballot needs its serial number."),
    "serial_taken": _("A paper ballot with this serial number has already been entered."),
    "serial_flagged": _(
        "The two entries of this ballot paper differ; it waits for an admin and cannot be entered now."
    ),
    "serial_discarded": _("An admin has discarded the ballot paper with this serial number."),
    "double_entry_same_person": _(
        "You have already entered this ballot paper; another staff member must enter it the second time."
    ),
    "entry_resolved": _("This entry has already been resolved."),
    "resolution_reason_required": _("Give the reason; it is kept in the audit log."),
    "paper_entries_waiting": _(
        "Paper ballots are waiting for a second entry or differ; resolve them before switching the check off."
    ),
    "already_voted": _("You have already voted in this round."),
    "already_voted_online": _(
        "This person has already voted online; this round does not let an in-person ballot replace it."
    ),
    "too_many_submissions": _("You have submitted many proposals in a short time. Please wait a while."),
    "rules_frozen": _("The ballot rules cannot change after the first ballot has been cast."),
    "negative_votes": _("Vote counts cannot be negative."),
    "eid_not_configured": _("This municipality has not connected MitID yet. Choose another way to vote."),
    "provider_unavailable": _("MitID cannot be reached just now. Please try again in a few minutes."),
    "login_expired": _("The login has expired or was started in another browser. Please start again."),
    "login_cancelled": _("The login was cancelled or refused at MitID. You can try again."),
    "invalid_token": _("We could not confirm the answer from MitID. Please start again."),
    "cpr_as_subject": _(
        "The municipality's MitID connection sends CPR numbers instead of a pseudonym, so we cannot use it. "
        "Please tell the municipality."
    ),
    "email_code_expired": _("The code has expired or was never sent. Ask for a new code."),
    "email_code_wrong": _("The code is not right. Check the email and try again."),
    "email_code_too_many_tries": _("Too many wrong tries. Ask for a new code."),
    "too_many_requests": _("Too many attempts. Please wait a while and try again."),
    "codes_off": _("This round does not use voting codes by letter."),
    "code_batch_size": _("A batch holds from 1 to %(maximum)s codes."),
    "batch_revoked": _("The batch of voting codes has already been revoked."),
    "code_unknown": _("We do not know this voting code. Check that you typed it exactly as in your letter."),
    "code_revoked": _("This voting code has been cancelled. Contact the municipality for a new one."),
    "code_used": _("This voting code has already been used to vote. Each code can be used once."),
    "too_many_attempts": _("Too many wrong codes have been tried. Wait a while and try again."),
}


class RuleViolation(Exception):
    """A service refused: `code` is one of REASONS; `message` is translated for the user."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(code)

    @property
    def message(self) -> str:
        return str(REASONS[self.code]) % self.params if self.params else str(REASONS[self.code])

    def __str__(self) -> str:
        return self.message


def current_phase(pb_round: Round) -> Phase | None:
    return next((p for p in pb_round.phases.all() if p.state == Phase.State.OPEN), None)


def phase_spec(pb_round: Round, phase: Phase) -> PhaseSpec:
    return pb_round.model.phase(phase.kind)


def action_problem(pb_round: Round, action: Action) -> str | None:
    phase = current_phase(pb_round)
    if phase is None:
        return "phase_closed"
    if action not in phase_spec(pb_round, phase).allows:
        return "phase_closed"
    return None


def gate_problem(pb_round: Round, gate: Gate) -> str | None:
    rules = pb_round.rules
    if gate == Gate.ALL_SHORTLISTED_ASSESSED:
        if not rules.assessment_required:
            return None
        # With a favourites list only the shortlisted go forward; otherwise every submitted one.
        waiting = Proposal.Status.SHORTLISTED if rules.favourites_per_theme else Proposal.Status.SUBMITTED
        if pb_round.proposals.filter(status=waiting).exists():
            return "not_all_assessed"
        return None
    if gate == Gate.POT_SPLIT:
        if not pb_round.areas.filter(pot__isnull=False).exists():
            return "pot_not_split"
        return None
    if gate == Gate.DELEGATES_CHOSEN:
        return None if pb_round.delegates.exists() else "no_delegates"
    if gate == Gate.PROPOSALS_EXIST:
        return None if pb_round.proposals.exclude(status=Proposal.Status.DRAFT).exists() else "no_proposals"
    raise ValueError(gate)


def opening_problem(pb_round: Round, phase: Phase) -> str | None:
    """Why `phase` may not open now, checking its gates."""
    for gate in phase_spec(pb_round, phase).gates:
        if reason := gate_problem(pb_round, gate):
            return reason
    return None


def cost_problem(pb_round: Round, cost: int, area=None) -> tuple[str, dict] | None:
    rules = pb_round.rules
    if rules.project_cap is not None and cost > rules.project_cap:
        return "over_cap", {"cap": danish_number(rules.project_cap)}
    if cost < rules.min_project_cost:
        return "under_minimum", {"minimum": danish_number(rules.min_project_cost)}
    if area is not None and area.pot is not None:
        if cost > area.pot:
            return "over_area_pot", {"pot": danish_number(area.pot)}
    elif rules.pot and cost > rules.pot:
        return "over_pot", {"pot": danish_number(rules.pot)}
    return None
