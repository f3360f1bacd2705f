"""Open pot: an open call; a working group qualifies every proposal, with legal screening; all
qualified proposals go to a public vote (run with a media partner); no per-project cap, so one
project may take the whole pot; no political filtering."""

from models_catalogue.base import (
    Action,
    BallotKind,
    BallotScope,
    Gate,
    PhaseKind,
    PhaseSpec,
    ProcessModel,
    Rules,
    Selection,
    Setting,
    allows,
)

OPEN_POT = ProcessModel(
    key="open_pot",
    name={"da": "Den åbne pulje", "en": "Open pot"},
    description={
        "da": "Et åbent opråb uden politisk indblanding. En arbejdsgruppe kvalificerer alle forslag, og "
        "forvaltningen screener dem juridisk – fx frasorteres erhvervsstøttelignende projekter med en "
        "begrundelse. Alle kvalificerede forslag kommer til afstemning. Der er intet loft pr. projekt, så "
        "ét projekt kan i princippet tage hele puljen.",
        "en": "An open call without political filtering. A working group qualifies every proposal and the "
        "administration screens them legally – business-support-like projects are rejected with a reason. "
        "All qualified proposals go to a public vote. There is no per-project cap, so one project may take "
        "the whole pot.",
    },
    origin={"da": "Faaborg-Midtfyn Kommune (2015)", "en": "Faaborg-Midtfyn Municipality (2015)"},
    phases=(
        PhaseSpec(PhaseKind.INFORM, default_days=7),
        PhaseSpec(PhaseKind.IDEAS, allows(Action.PROPOSE, Action.COMMENT), default_days=42),
        PhaseSpec(
            PhaseKind.ASSESSMENT, allows(Action.ASSESS), default_days=28, gates=(Gate.PROPOSALS_EXIST,)
        ),
        PhaseSpec(
            PhaseKind.VOTING, allows(Action.VOTE), default_days=21, gates=(Gate.ALL_SHORTLISTED_ASSESSED,)
        ),
        PhaseSpec(PhaseKind.RESULTS, allows(Action.PUBLISH_RESULTS), default_days=7),
        PhaseSpec(PhaseKind.IMPLEMENTATION, allows(Action.REPORT), default_days=365),
        PhaseSpec(PhaseKind.EVALUATION, allows(Action.EVALUATE), default_days=30, when="evaluation"),
    ),
    rules=Rules(
        pot=500_000,
        project_cap=None,
        assessment_required=True,
        legal_screening=True,
        ballot=BallotKind.APPROVAL,
        approval_max=5,
        selection=Selection.GREEDY,
        binding=True,
        payout_against_invoice=True,
        evaluation=True,
    ),
    settings=(
        Setting("pot", 500_000, minimum=1_000, maximum=1_000_000_000),
        Setting("min_project_cost", 0, minimum=0),
        Setting("ballot", BallotKind.APPROVAL, choices=(BallotKind.APPROVAL, BallotKind.KNAPSACK)),
        Setting("approval_min", 1, minimum=0, maximum=50),
        Setting("approval_max", 5, minimum=1, maximum=50, optional=True),
        Setting("selection", Selection.GREEDY, choices=(Selection.GREEDY, Selection.EQUAL_SHARES)),
        Setting("min_voting_age", 15, minimum=0, maximum=18),
        Setting("online_voting", True, choices=(True, False)),
        Setting("in_person_voting", False, choices=(True, False)),
        Setting("payout_against_invoice", True, choices=(True, False)),
        Setting("evaluation", True, choices=(True, False)),
        Setting("residence_required", True, choices=(True, False)),
        Setting("ballot_scope", BallotScope.ROUND, choices=(BallotScope.ROUND, BallotScope.AREA)),
        Setting("eid_verification", True, choices=(True, False)),
        Setting("code_verification", False, choices=(True, False)),
        Setting("email_verification", False, choices=(True, False)),
        Setting("ballot_changes_allowed", True, choices=(True, False)),
        Setting("in_person_replaces_online", False, choices=(True, False)),
    ),
)
