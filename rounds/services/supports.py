from __future__ import annotations

from django.db import transaction

from models_catalogue.base import Action, SupportKind
from rounds import rules
from rounds.models import Proposal, Support
from rounds.rules import RuleViolation
from rounds.services.audit import audit_record

SUPPORTABLE = (Proposal.Status.SUBMITTED, Proposal.Status.SHORTLISTED)


@transaction.atomic
def support_give(*, proposal: Proposal, user, value: int = 1) -> Support:
    """Support a proposal for (+1) or against (-1). A second support from the same person replaces
    the first. Raises RuleViolation when the phase or the round's rules do not allow it."""
    kind = proposal.round.rules.supports
    if kind == SupportKind.NONE:
        raise RuleViolation("supports_off")
    if value not in (1, -1) or (value == -1 and kind != SupportKind.FOR_AGAINST):
        raise RuleViolation("against_not_allowed")
    if reason := rules.action_problem(proposal.round, Action.SUPPORT):
        raise RuleViolation(reason)
    if proposal.status not in SUPPORTABLE:
        raise RuleViolation("not_supportable")
    existing = Support.objects.select_for_update().filter(proposal=proposal, user=user).first()
    old = existing.value if existing else None
    support, _created = Support.objects.update_or_create(
        proposal=proposal, user=user, defaults={"value": value}
    )
    if old != value:
        audit_record(actor=user, action="support_give", obj=support, old=old, new=value)
    return support


@transaction.atomic
def support_withdraw(*, proposal: Proposal, user) -> None:
    if reason := rules.action_problem(proposal.round, Action.SUPPORT):
        raise RuleViolation(reason)
    support = Support.objects.filter(proposal=proposal, user=user).first()
    if support:
        audit_record(actor=user, action="support_withdraw", obj=support, old=support.value, new=None)
        support.delete()
