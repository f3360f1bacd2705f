"""The decision chain before the vote: assessments (with legal screening) and statements."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from models_catalogue.base import Action
from rounds import rules
from rounds.models import Assessment, ChecklistItem, Proposal, Statement
from rounds.rules import RuleViolation
from rounds.services.audit import audit_record
from rounds.services.notifications import author_notify

ASSESSABLE = (Proposal.Status.SUBMITTED, Proposal.Status.SHORTLISTED)


@transaction.atomic
def proposal_assess(
    *,
    proposal: Proposal,
    actor,
    department: str,
    outcome: str,
    public_reason: str = "",
    revised_cost: int | None = None,
    failed_checks: list[ChecklistItem] = (),
) -> Assessment:
    """Assess a proposal: feasible, changed (with a revised cost) or rejected (with a public reason).

    In a round with legal screening, a failed checklist item rejects the proposal with that item
    as the public reason. Where the round has a favourites list, only favourites are assessed.
    Raises RuleViolation for the wrong phase, status or missing reason/cost.
    """
    # Re-read under a lock: the caller's instance may predate the shortlist or another assessment.
    proposal = Proposal.objects.select_for_update().select_related("round").get(pk=proposal.pk)
    pb_round = proposal.round
    if reason := rules.action_problem(pb_round, Action.ASSESS):
        raise RuleViolation(reason)
    waiting = Proposal.Status.SHORTLISTED if pb_round.rules.favourites_per_theme else None
    if proposal.status not in ASSESSABLE or (waiting and proposal.status != waiting):
        raise RuleViolation("not_assessable")
    failed = list(failed_checks)
    if failed:
        outcome = Assessment.Outcome.REJECTED
        public_reason = public_reason or failed[0].text
    if outcome == Assessment.Outcome.REJECTED and not public_reason.strip():
        raise RuleViolation("reason_required")
    if outcome == Assessment.Outcome.CHANGED:
        if revised_cost is None:
            raise RuleViolation("revised_cost_required")
        if problem := rules.cost_problem(pb_round, revised_cost, proposal.area):
            code, params = problem
            raise RuleViolation(code, **params)
    assessment = Assessment.objects.create(
        proposal=proposal,
        department=department,
        outcome=outcome,
        revised_cost=revised_cost if outcome == Assessment.Outcome.CHANGED else None,
        public_reason=public_reason,
        failed_check=failed[0] if failed else None,
        assessed_by=actor if getattr(actor, "pk", None) else None,
        assessed_at=timezone.now(),
    )
    old_status = proposal.status
    proposal.status = {
        Assessment.Outcome.FEASIBLE: Proposal.Status.FEASIBLE,
        Assessment.Outcome.CHANGED: Proposal.Status.CHANGED,
        Assessment.Outcome.REJECTED: Proposal.Status.REJECTED,
    }[Assessment.Outcome(outcome)]
    # An unassigned proposal belongs to the department that assessed it from now on.
    proposal.department = proposal.department or " ".join(department.split())
    proposal.save(update_fields=["status", "department", "updated_at"])
    audit_record(
        actor=actor,
        action="proposal_assess",
        obj=proposal,
        old={"status": old_status},
        new={"status": proposal.status, "revised_cost": assessment.revised_cost, "reason": public_reason},
    )
    author_notify(proposal=proposal, event="assessment")
    return assessment


@transaction.atomic
def proposals_assign(*, proposals: list[Proposal], department: str, actor) -> int:
    """Assign proposals to the department that assesses them ("" takes the assignment away); the
    case workers of that department then find them in their queue. Returns how many changed.

    Raises RuleViolation(not_assignable) for a draft."""
    department = " ".join(department.split())
    changed = 0
    for proposal in Proposal.objects.select_for_update().filter(pk__in=[p.pk for p in proposals]):
        if proposal.status == Proposal.Status.DRAFT:
            raise RuleViolation("not_assignable")
        if proposal.department == department:
            continue
        old = proposal.department
        proposal.department = department
        proposal.save(update_fields=["department", "updated_at"])
        audit_record(
            actor=actor,
            action="proposal_assign",
            obj=proposal,
            old={"department": old},
            new={"department": department},
        )
        changed += 1
    return changed


@transaction.atomic
def statement_add(*, proposal: Proposal, actor, body_name: str, text: str) -> Statement:
    """A committee or local assembly's statement on a proposal. Raises RuleViolation if off or closed."""
    pb_round = proposal.round
    if not pb_round.rules.statements:
        raise RuleViolation("statements_off")
    if reason := rules.action_problem(pb_round, Action.STATE):
        raise RuleViolation(reason)
    statement = Statement.objects.create(
        proposal=proposal, body_name=body_name, text=text, given_at=timezone.now()
    )
    audit_record(
        actor=actor, action="statement_add", obj=statement, new={"proposal": proposal.pk, "by": body_name}
    )
    author_notify(proposal=proposal, event="statement")
    return statement
