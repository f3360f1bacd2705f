"""A published round with proposals on the ballot and voting open, for the verification tests."""

from rounds.models import Round
from rounds.services.assessments import proposal_assess
from rounds.services.proposals import proposal_submit
from tests.rounds.helpers import advance_to, citizen, new_round, staff

PROPOSALS = (("Legeplads i Tranbjerg", 120_000), ("Shelter ved søen", 80_000), ("Lys på stien", 60_000))


def voting_open(slug: str = "afstemning", **settings) -> Round:
    """An open-pot round (approval ballot, at most five projects) in its voting phase."""
    pb_round = new_round("open_pot", {"pot": 500_000, **settings}, slug=slug, title="Borgerbudget 2026")
    pb_round.is_published = True
    pb_round.save()
    advance_to(pb_round, "ideas")
    author = citizen()
    proposals = [
        proposal_submit(
            pb_round=pb_round, author=author, author_name="Mette", title=title, description=title, cost=cost
        )
        for title, cost in PROPOSALS
    ]
    advance_to(pb_round, "assessment")
    worker = staff()
    for proposal in proposals:
        proposal_assess(proposal=proposal, actor=worker, department="Teknik og Miljø", outcome="feasible")
    advance_to(pb_round, "voting")
    return pb_round
