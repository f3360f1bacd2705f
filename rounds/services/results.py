"""From the ballot list to the result: which proposals go to the vote, and the outcome."""

from __future__ import annotations

from django.db import transaction

from models_catalogue.base import Action, Selection
from rounds import rules, selectors, tallying
from rounds.models import Proposal, Round
from rounds.rules import RuleViolation
from rounds.services.audit import audit_record

# Statuses that reach the ballot, by whether the round requires an assessment.
BALLOT_READY = {
    True: (Proposal.Status.FEASIBLE, Proposal.Status.CHANGED),
    False: (
        Proposal.Status.SUBMITTED,
        Proposal.Status.SHORTLISTED,
        Proposal.Status.FEASIBLE,
        Proposal.Status.CHANGED,
    ),
}
SELECTION_METHODS = {
    Selection.GREEDY: "greedy",
    Selection.EQUAL_SHARES: "mes",
    Selection.ADVISORY: "advisory",
}


def ballot_prepare(*, pb_round: Round, actor=None) -> int:
    """Put every qualified proposal on the ballot (rejected ones stay off, with their public reason)."""
    ready = BALLOT_READY[pb_round.rules.assessment_required]
    changed = Proposal.objects.filter(round=pb_round, status__in=ready).update(
        status=Proposal.Status.ON_BALLOT
    )
    audit_record(actor=actor, action="ballot_prepare", obj=pb_round, new={"on_ballot": changed})
    return changed


@transaction.atomic
def result_record(
    *, pb_round: Round, vote_counts: dict[int, int] | None = None, actor=None
) -> tallying.TallyResult:
    """Compute and store the round's result with its selection rule.

    With a vote, `vote_counts` maps each proposal on the ballot to its votes (e.g. the count of a
    voting day); without a vote, the advisory ranking uses net support. Re-running with the same
    counts gives the same result. Raises RuleViolation for an unknown proposal or a negative count.
    """
    if reason := rules.action_problem(pb_round, Action.PUBLISH_RESULTS):
        raise RuleViolation(reason)
    effective = pb_round.rules
    if effective.has_vote:
        candidates = {
            p.pk: p for p in pb_round.proposals.filter(status__in=_ballot_statuses()).select_related("area")
        }
        counts = vote_counts or {}
        if set(counts) - set(candidates):
            raise RuleViolation("unknown_proposal")
        if any(v < 0 for v in counts.values()):
            raise RuleViolation("negative_votes")
        scores = {pid: counts.get(pid, 0) for pid in candidates}
        method = SELECTION_METHODS.get(effective.selection, "greedy")
    else:
        ranked = selectors.proposals_with_support(pb_round).exclude(status=Proposal.Status.REJECTED)
        candidates = {p.pk: p for p in ranked}
        scores = {p.pk: max(p.net_support, 0) for p in ranked}
        method = "advisory"
    election = tallying.Election(
        projects=tuple(
            tallying.Project(id=str(pid), cost=p.current_cost, area=str(p.area_id) if p.area_id else None)
            for pid, p in candidates.items()
        ),
        # Counted totals become weighted single-project ballots: greedy and the ranking only need totals.
        ballots=tuple(tallying.Ballot(projects=(str(pid),), weight=n) for pid, n in scores.items() if n > 0),
        budget=effective.pot,
    )
    area_budgets = {str(a.pk): a.pot for a in pb_round.areas.all() if a.pot is not None}
    options = tallying.TallyOptions(
        min_project_cost=effective.min_project_cost or None,
        max_project_cost=effective.project_cap,
        area_budgets=area_budgets,
    )
    result = tallying.tally(election, method, options)
    selected = {int(pid) for pid in result.final_selected}
    for pid, proposal in candidates.items():
        proposal.votes = scores[pid]
        if method != "advisory":
            proposal.status = Proposal.Status.SELECTED if pid in selected else Proposal.Status.NOT_SELECTED
            proposal.funded_amount = proposal.current_cost if pid in selected else None
    Proposal.objects.bulk_update(candidates.values(), ["votes", "status", "funded_amount"])
    audit_record(
        actor=actor,
        action="result_record",
        obj=pb_round,
        new={"method": method, "selected": sorted(selected), "spent": result.final_spent},
    )
    return result


def _ballot_statuses():
    return (Proposal.Status.ON_BALLOT, Proposal.Status.SELECTED, Proposal.Status.NOT_SELECTED)
