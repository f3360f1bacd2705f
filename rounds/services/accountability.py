"""After the vote: council decisions, implementation updates and payouts, and the evaluation."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from models_catalogue.base import Action
from rounds import rules
from rounds.formatting import danish_number
from rounds.models import Decision, Evaluation, ImplementationUpdate, Proposal, Round
from rounds.rules import RuleViolation
from rounds.services.audit import audit_record
from rounds.services.notifications import author_notify

NOT_DECIDABLE = (Proposal.Status.DRAFT, Proposal.Status.WITHDRAWN)
DECIDED_STATUS = {
    Decision.Outcome.ADOPTED: Proposal.Status.ADOPTED,
    Decision.Outcome.CHANGED: Proposal.Status.ADOPTED_CHANGED,
    Decision.Outcome.REJECTED: Proposal.Status.DECLINED,
}
IMPLEMENTABLE = (Proposal.Status.ADOPTED, Proposal.Status.ADOPTED_CHANGED, Proposal.Status.SELECTED)


@transaction.atomic
def decision_record(
    *, proposal: Proposal, outcome: str, reason: str, decided_by: str, amount: int | None = None, actor=None
) -> Decision:
    """Record the council's decision on a proposal (any proposal: the council sees the full list).

    Raises RuleViolation outside the decision phase, without a reason, or an adoption without amount.
    """
    proposal = Proposal.objects.select_for_update().select_related("round").get(pk=proposal.pk)
    if reason_code := rules.action_problem(proposal.round, Action.DECIDE):
        raise RuleViolation(reason_code)
    if proposal.status in NOT_DECIDABLE:
        raise RuleViolation("not_decidable")
    if not reason.strip():
        raise RuleViolation("reason_required")
    if outcome != Decision.Outcome.REJECTED and amount is None:
        raise RuleViolation("decision_amount_required")
    decision, _created = Decision.objects.update_or_create(
        proposal=proposal,
        defaults={
            "outcome": outcome,
            "reason": reason,
            "decided_by": decided_by,
            "amount": amount if outcome != Decision.Outcome.REJECTED else None,
            "decided_at": timezone.now(),
        },
    )
    old = proposal.status
    proposal.status = DECIDED_STATUS[Decision.Outcome(outcome)]
    proposal.funded_amount = decision.amount
    proposal.save(update_fields=["status", "funded_amount", "updated_at"])
    audit_record(
        actor=actor,
        action="decision_record",
        obj=proposal,
        old={"status": old},
        new={"status": proposal.status, "reason": reason},
    )
    author_notify(proposal=proposal, event="decision")
    return decision


def granted_amount(proposal: Proposal) -> int:
    decision = getattr(proposal, "decision", None)
    if decision is not None and decision.amount is not None:
        return decision.amount
    return proposal.funded_amount if proposal.funded_amount is not None else proposal.current_cost


@transaction.atomic
def implementation_update_post(
    *,
    proposal: Proposal,
    status: str,
    text: str,
    progress: int = 0,
    payout: int = 0,
    invoice_reference: str = "",
    actor=None,
) -> ImplementationUpdate:
    """Post progress on an adopted or selected proposal, optionally with a payout.

    Where the round pays out after spending (Faaborg-Midtfyn), a payout needs an invoice reference;
    payouts never exceed the amount granted. Raises RuleViolation otherwise.
    """
    proposal = Proposal.objects.select_for_update().select_related("round").get(pk=proposal.pk)
    if reason := rules.action_problem(proposal.round, Action.REPORT):
        raise RuleViolation(reason)
    if proposal.status not in IMPLEMENTABLE:
        raise RuleViolation("not_implementable")
    if payout and proposal.round.rules.payout_against_invoice and not invoice_reference.strip():
        raise RuleViolation("invoice_required")
    paid = proposal.updates.aggregate(total=Sum("payout"))["total"] or 0
    granted = granted_amount(proposal)
    if paid + payout > granted:
        raise RuleViolation("payout_exceeds_grant", granted=danish_number(granted))
    update = ImplementationUpdate(
        proposal=proposal,
        status=status,
        progress=100 if status == ImplementationUpdate.Status.DONE else progress,
        text=text,
        payout=payout,
        invoice_reference=invoice_reference,
        posted_at=timezone.now(),
    )
    update.full_clean()
    update.save()
    audit_record(
        actor=actor,
        action="implementation_update",
        obj=proposal,
        old={"paid_out": paid},
        new={
            "status": status,
            "progress": update.progress,
            "paid_out": paid + payout,
            "invoice": invoice_reference,
        },
    )
    author_notify(proposal=proposal, event="implementation")
    return update


@transaction.atomic
def evaluation_publish(
    *, pb_round: Round, summary: str, recommendations: str = "", made_with: str = "", actor=None
):
    """Publish the round's evaluation (e.g. made with the local councils)."""
    if not pb_round.rules.evaluation:
        raise RuleViolation("evaluation_off")
    if reason := rules.action_problem(pb_round, Action.EVALUATE):
        raise RuleViolation(reason)
    evaluation, _created = Evaluation.objects.update_or_create(
        round=pb_round,
        defaults={
            "summary": summary,
            "recommendations": recommendations,
            "made_with": made_with,
            "published_at": timezone.now(),
        },
    )
    audit_record(actor=actor, action="evaluation_publish", obj=evaluation, new={"summary": summary[:200]})
    return evaluation
