"""Porto Alegre: local, facilitated workshops; volunteer delegates turn ideas into proposals;
citizens vote, and the council adopts the most-voted proposals; the whole process is evaluated."""

from models_catalogue.base import (
    Action,
    AreaFunding,
    BallotKind,
    BallotScope,
    Gate,
    PhaseKind,
    PhaseSpec,
    ProcessModel,
    Proposers,
    Rules,
    Selection,
    Setting,
    allows,
)

PORTO_ALEGRE = ProcessModel(
    key="porto_alegre",
    name={"da": "Porto Alegre-modellen", "en": "The Porto Alegre model"},
    description={
        "da": "Knyttet til lokalområder og emner: borgerne mødes på faciliterede workshops og udvikler "
        "idéer. Frivillige delegerede arbejder idéerne om til forslag, der kan realiseres. Borgerne stemmer, "
        "og byrådet vedtager de forslag, der fik flest stemmer. Til sidst evalueres hele forløbet.",
        "en": "Tied to local areas and topics: citizens meet in facilitated workshops and develop ideas. "
        "Volunteer delegates turn the ideas into feasible proposals. Citizens vote, and the council adopts "
        "the most-voted proposals. The whole process is evaluated afterwards.",
    },
    origin={
        "da": "Porto Alegre, Brasilien (orçamento participativo siden 1989)",
        "en": "Porto Alegre, Brazil (1989)",
    },
    phases=(
        PhaseSpec(PhaseKind.INFORM, default_days=14),
        PhaseSpec(PhaseKind.WORKSHOPS, allows(Action.SIGN_UP, Action.COMMENT), default_days=28),
        PhaseSpec(PhaseKind.DELEGATES, allows(Action.CHOOSE_DELEGATES), default_days=14, when="delegates"),
        PhaseSpec(PhaseKind.IDEAS, allows(Action.PROPOSE, Action.COMMENT, Action.SIGN_UP), default_days=42),
        PhaseSpec(PhaseKind.ASSESSMENT, allows(Action.ASSESS), default_days=14, when="assessment_required"),
        PhaseSpec(
            PhaseKind.VOTING,
            allows(Action.VOTE),
            default_days=14,
            gates=(Gate.PROPOSALS_EXIST, Gate.ALL_SHORTLISTED_ASSESSED),
        ),
        PhaseSpec(PhaseKind.RESULTS, allows(Action.PUBLISH_RESULTS), default_days=7),
        PhaseSpec(PhaseKind.DECISION, allows(Action.DECIDE), default_days=28),
        PhaseSpec(PhaseKind.IMPLEMENTATION, allows(Action.REPORT), default_days=365),
        PhaseSpec(PhaseKind.EVALUATION, allows(Action.EVALUATE), default_days=30, when="evaluation"),
    ),
    rules=Rules(
        code_verification=True,
        pot=500_000,
        delegates=True,
        proposers=Proposers.DELEGATES,
        ballot=BallotKind.APPROVAL,
        approval_min=1,
        approval_max=3,
        selection=Selection.GREEDY,
        binding=True,
        area_funding=AreaFunding.FIXED,
        in_person_voting=True,
        evaluation=True,
    ),
    settings=(
        Setting("pot", 500_000, minimum=1_000, maximum=1_000_000_000),
        Setting("project_cap", None, minimum=1, optional=True),
        Setting("min_project_cost", 0, minimum=0),
        Setting("delegates", True, choices=(True, False)),
        Setting("proposers", Proposers.DELEGATES, choices=(Proposers.DELEGATES, Proposers.EVERYONE)),
        Setting("min_proposer_age", 0, minimum=0, maximum=18),
        Setting("self_qualification", False, choices=(True, False)),
        Setting("assessment_required", False, choices=(True, False)),
        Setting(
            "ballot",
            BallotKind.APPROVAL,
            choices=(BallotKind.APPROVAL, BallotKind.KNAPSACK, BallotKind.CUMULATIVE),
        ),
        Setting("approval_min", 1, minimum=0, maximum=50),
        Setting("approval_max", 3, minimum=1, maximum=50, optional=True),
        Setting("cumulative_points", 0, minimum=0, maximum=100),
        Setting("cumulative_max_per_project", 0, minimum=0, maximum=100),
        Setting("selection", Selection.GREEDY, choices=(Selection.GREEDY, Selection.EQUAL_SHARES)),
        Setting(
            "area_funding",
            AreaFunding.FIXED,
            choices=(AreaFunding.NONE, AreaFunding.FIXED, AreaFunding.EQUAL),
        ),
        Setting("min_voting_age", 15, minimum=0, maximum=18),
        Setting("online_voting", True, choices=(True, False)),
        Setting("in_person_voting", True, choices=(True, False)),
        Setting("evaluation", True, choices=(True, False)),
        Setting("residence_required", True, choices=(True, False)),
        Setting("ballot_scope", BallotScope.ROUND, choices=(BallotScope.ROUND, BallotScope.AREA)),
        Setting("eid_verification", True, choices=(True, False)),
        Setting("code_verification", True, choices=(True, False)),
        Setting("email_verification", False, choices=(True, False)),
        Setting("ballot_changes_allowed", True, choices=(True, False)),
        Setting("in_person_replaces_online", False, choices=(True, False)),
    ),
)
