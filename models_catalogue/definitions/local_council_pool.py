"""Local-council pool: a pool is announced, local councils apply with a process plan, some are
selected and the pool is split, each runs an open local dialogue without fixed themes, votes are
local to each area, and the process is evaluated with the councils."""

from models_catalogue.base import (
    Action,
    AreaFunding,
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

LOCAL_COUNCIL_POOL = ProcessModel(
    key="local_council_pool",
    name={"da": "Lokalrådspuljen", "en": "Local-council pool"},
    description={
        "da": "Kommunen afsætter en pulje. Lokalrådene melder ind med et forslag til proces, og nogle "
        "udvælges og får del i puljen. Hvert område holder en åben lokal dialog uden faste temaer, borgerne "
        "melder forslag ind, og der stemmes lokalt. Forløbet evalueres sammen med lokalrådene.",
        "en": "The municipality sets aside a pool. Local councils apply with a process plan; some are "
        "selected and get a share. Each area runs an open local dialogue without fixed themes, citizens "
        "propose, and each area votes locally. The process is evaluated with the local councils.",
    },
    origin={"da": "Hedensted Kommune (landdistriktspuljen, 2014–2015)", "en": "Hedensted (2014–2015)"},
    phases=(
        PhaseSpec(PhaseKind.INFORM, default_days=14),
        PhaseSpec(PhaseKind.APPLICATIONS, allows(Action.APPLY), default_days=28),
        PhaseSpec(PhaseKind.ALLOCATION, allows(Action.ALLOCATE), default_days=14),
        PhaseSpec(
            PhaseKind.IDEAS,
            allows(Action.PROPOSE, Action.COMMENT, Action.SIGN_UP),
            default_days=42,
            gates=(Gate.POT_SPLIT,),
        ),
        PhaseSpec(PhaseKind.VOTING, allows(Action.VOTE), default_days=14, gates=(Gate.PROPOSALS_EXIST,)),
        PhaseSpec(PhaseKind.RESULTS, allows(Action.PUBLISH_RESULTS), default_days=7),
        PhaseSpec(PhaseKind.IMPLEMENTATION, allows(Action.REPORT), default_days=365),
        PhaseSpec(PhaseKind.EVALUATION, allows(Action.EVALUATE), default_days=30),
    ),
    rules=Rules(
        code_verification=True,
        pot=240_000,
        ballot=BallotKind.APPROVAL,
        approval_max=3,
        selection=Selection.GREEDY,
        binding=True,
        area_funding=AreaFunding.APPLICATIONS,
        in_person_voting=True,
        evaluation=True,
    ),
    settings=(
        Setting("pot", 240_000, minimum=10_000, maximum=100_000_000),
        Setting("project_cap", None, minimum=1, optional=True),
        Setting("min_project_cost", 0, minimum=0),
        Setting("ballot", BallotKind.APPROVAL, choices=(BallotKind.APPROVAL, BallotKind.KNAPSACK)),
        Setting("approval_min", 1, minimum=0, maximum=50),
        Setting("approval_max", 3, minimum=1, maximum=50, optional=True),
        Setting("min_voting_age", 15, minimum=0, maximum=18),
        Setting("online_voting", True, choices=(True, False)),
        Setting("in_person_voting", True, choices=(True, False)),
        Setting("residence_required", True, choices=(True, False)),
        Setting("ballot_scope", BallotScope.ROUND, choices=(BallotScope.ROUND, BallotScope.AREA)),
        Setting("eid_verification", True, choices=(True, False)),
        Setting("code_verification", True, choices=(True, False)),
        Setting("email_verification", False, choices=(True, False)),
        Setting("ballot_changes_allowed", True, choices=(True, False)),
        Setting("in_person_replaces_online", False, choices=(True, False)),
    ),
)
