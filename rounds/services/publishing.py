"""Publishing a round: it appears on the citizen site only once staff publish it."""

from __future__ import annotations

from django.db import transaction

from rounds.models import Round
from rounds.services.audit import audit_record


@transaction.atomic
def round_publish(*, pb_round: Round, is_published: bool, actor) -> Round:
    """Show (or hide again) the round on the municipality's citizen site."""
    pb_round = Round.objects.select_for_update().get(pk=pb_round.pk)
    old = pb_round.is_published
    pb_round.is_published = is_published
    pb_round.save(update_fields=["is_published"])
    audit_record(actor=actor, action="round_publish", obj=pb_round, old=old, new=is_published)
    return pb_round
