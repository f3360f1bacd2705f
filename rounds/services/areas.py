"""Areas and their sub-pots: local-council applications, selection and the pot split."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Sum

from models_catalogue.base import Action, AreaFunding
from rounds import rules
from rounds.formatting import danish_number
from rounds.models import Area, AreaApplication, Round
from rounds.rules import RuleViolation
from rounds.services.audit import audit_record


def _check_split(pb_round: Round, *, extra: int, excluding: Area | None = None) -> None:
    """Sub-pots must sum to at most the pool, never more."""
    others = (
        pb_round.areas.exclude(pk=getattr(excluding, "pk", None)).aggregate(total=Sum("pot"))["total"] or 0
    )
    total = others + extra
    pool = pb_round.rules.pot
    if total > pool:
        raise RuleViolation("pot_exceeded", total=danish_number(total), pot=danish_number(pool))


@transaction.atomic
def area_application_submit(
    *, pb_round: Round, applicant: str, process_plan: str, requested_amount=None, actor=None
):
    """A local council applies with its process plan, while the round takes applications."""
    if pb_round.rules.area_funding != AreaFunding.APPLICATIONS:
        raise RuleViolation("applications_off")
    if reason := rules.action_problem(pb_round, Action.APPLY):
        raise RuleViolation(reason)
    application = AreaApplication(
        round=pb_round, applicant=applicant, process_plan=process_plan, requested_amount=requested_amount
    )
    application.full_clean()
    application.save()
    audit_record(actor=actor, action="application_submit", obj=application, new={"applicant": applicant})
    return application


@transaction.atomic
def area_application_decide(
    *,
    application: AreaApplication,
    select: bool,
    pot: int | None = None,
    kind: str = Area.Kind.LOCAL_COUNCIL,
    actor=None,
) -> AreaApplication:
    """Select an application (creating its area with a sub-pot) or decline it.

    Raises RuleViolation when the sub-pots would exceed the pool or the phase does not allocate.
    """
    pb_round = Round.objects.select_for_update().get(pk=application.round_id)
    if reason := rules.action_problem(pb_round, Action.ALLOCATE):
        raise RuleViolation(reason)
    if application.status != AreaApplication.Status.SUBMITTED:
        raise RuleViolation("already_decided")
    if select:
        _check_split(pb_round, extra=pot or 0)
        application.area = Area.objects.create(round=pb_round, name=application.applicant, kind=kind, pot=pot)
        application.status = AreaApplication.Status.SELECTED
    else:
        application.status = AreaApplication.Status.DECLINED
    application.save()
    audit_record(
        actor=actor,
        action="application_decide",
        obj=application,
        old="submitted",
        new={"status": application.status, "pot": pot},
    )
    return application


@transaction.atomic
def area_pot_set(*, area: Area, pot: int, actor=None) -> Area:
    """Set an area's sub-pot. Raises RuleViolation when the sub-pots would exceed the pool."""
    pb_round = Round.objects.select_for_update().get(pk=area.round_id)
    if pb_round.rules_frozen_at:
        raise RuleViolation("rules_frozen")
    _check_split(pb_round, extra=pot, excluding=area)
    old = area.pot
    area.pot = pot
    area.save(update_fields=["pot"])
    audit_record(actor=actor, action="area_pot_set", obj=area, old=old, new=pot)
    return area


@transaction.atomic
def area_pots_split_equally(*, pb_round: Round, actor=None) -> list[Area]:
    """Split the pool equally between the round's areas; the remainder of the division stays unspent."""
    areas = list(pb_round.areas.order_by("id"))
    if not areas:
        return []
    share = pb_round.rules.pot // len(areas)
    for area in areas:
        old = area.pot
        area.pot = share
        area.save(update_fields=["pot"])
        audit_record(actor=actor, action="area_pot_set", obj=area, old=old, new=share)
    return areas
