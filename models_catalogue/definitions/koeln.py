"""Köln: online proposals with continuous for/against votes; a favourites list per theme is
assessed by the administration, given statements, and decided by the council, which also sees
the full list. City-wide."""

from models_catalogue.base import (
    Action,
    BallotKind,
    Gate,
    PhaseKind,
    PhaseSpec,
    ProcessModel,
    Rules,
    Selection,
    Setting,
    SupportKind,
    allows,
)

KOELN = ProcessModel(
    key="koeln",
    name={"da": "Køln-modellen", "en": "The Cologne model"},
    description={
        "da": "Borgerne lægger forslag online og stemmer løbende for/imod. De bedst placerede forslag "
        "inden for hvert tema kommer på favoritlisten, som forvaltningerne vurderer fagligt. Udvalg og "
        "lokale forsamlinger udtaler sig, og byrådet beslutter – med favoritlisten og hele bruttolisten "
        "foran sig. Til sidst fortæller kommunen, hvad der blev besluttet, ændret og hvorfor.",
        "en": "Citizens post proposals online and vote for/against continuously. The top proposals per "
        "theme form the favourites list, which the departments assess. Committees and local assemblies "
        "give statements, and the council decides, seeing the favourites and the full list. Finally the "
        "municipality reports what was decided, changed, and why.",
    },
    origin={"da": "Köln, Tyskland (Bürgerhaushalt siden 2007)", "en": "Cologne, Germany (since 2007)"},
    phases=(
        PhaseSpec(PhaseKind.INFORM, default_days=14),
        PhaseSpec(PhaseKind.IDEAS, allows(Action.PROPOSE, Action.COMMENT, Action.SUPPORT), default_days=28),
        # No new proposals, but for/against votes and comments go on until the favourites list.
        PhaseSpec(PhaseKind.DIALOGUE, allows(Action.COMMENT, Action.SUPPORT), default_days=14),
        PhaseSpec(
            PhaseKind.SHORTLIST, allows(Action.SHORTLIST), default_days=7, gates=(Gate.PROPOSALS_EXIST,)
        ),
        PhaseSpec(PhaseKind.ASSESSMENT, allows(Action.ASSESS), default_days=42),
        PhaseSpec(PhaseKind.STATEMENTS, allows(Action.STATE), default_days=28, when="statements"),
        PhaseSpec(
            PhaseKind.DECISION, allows(Action.DECIDE), default_days=42, gates=(Gate.ALL_SHORTLISTED_ASSESSED,)
        ),
        PhaseSpec(PhaseKind.IMPLEMENTATION, allows(Action.REPORT), default_days=365),
    ),
    rules=Rules(
        pot=1_000_000,
        themes_required=True,
        favourites_per_theme=5,
        supports=SupportKind.FOR_AGAINST,
        assessment_required=True,
        statements=True,
        ballot=BallotKind.NONE,
        selection=Selection.COUNCIL,
        binding=False,
    ),
    settings=(
        Setting("pot", 1_000_000, minimum=0, maximum=1_000_000_000),
        Setting("project_cap", None, minimum=1, optional=True),
        Setting("min_project_cost", 0, minimum=0),
        Setting("favourites_per_theme", 5, minimum=1, maximum=100),
        Setting("statements", True, choices=(True, False)),
        Setting("min_proposer_age", 0, minimum=0, maximum=18),
    ),
)
