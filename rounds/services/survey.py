"""The evaluation survey citizens answer after a round."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone

from models_catalogue.base import Action
from rounds import rules
from rounds.models import Round, SurveyResponse
from rounds.rules import RuleViolation

TOOK_PART = ("proposed", "supported", "voted", "meeting", "followed")


@transaction.atomic
def survey_answer(
    *, pb_round: Round, satisfaction: int, would_again: str, took_part: list[str], comment: str = ""
):
    """Store one anonymous answer while the round is being evaluated. Raises RuleViolation otherwise."""
    if not pb_round.rules.evaluation:
        raise RuleViolation("evaluation_off")
    if reason := rules.action_problem(pb_round, Action.EVALUATE):
        raise RuleViolation(reason)
    response = SurveyResponse(
        round=pb_round,
        satisfaction=satisfaction,
        would_again=would_again,
        took_part=[t for t in took_part if t in TOOK_PART],
        comment=comment.strip(),
        answered_on=timezone.localdate(),
    )
    response.full_clean()
    response.save()
    return response


def survey_summary(pb_round: Round) -> dict:
    """Counts for the evaluation: answers, average satisfaction, would take part again."""
    answers = SurveyResponse.objects.filter(round=pb_round)
    totals = answers.aggregate(n=Count("pk"), average=Avg("satisfaction"))
    again = dict(answers.values_list("would_again").annotate(n=Count("pk")).values_list("would_again", "n"))
    return {"answers": totals["n"], "average": totals["average"], "again": again}
