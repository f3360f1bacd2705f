"""Aarhus hybrid: the council designates a theme, citizens send proposals and ideas online, and
the proposals feed the budget process as advice; local practice tracks (øvebaner) get delegated
sub-budgets, e.g. a village's green budget or a personal budget for the long-term unemployed."""

from models_catalogue.base import (
    Action,
    AreaFunding,
    BallotKind,
    BallotScope,
    PhaseKind,
    PhaseSpec,
    ProcessModel,
    Rules,
    Selection,
    Setting,
    SupportKind,
    allows,
)

AARHUS_HYBRID = ProcessModel(
    key="aarhus_hybrid",
    name={"da": "Aarhus-modellen (hybrid)", "en": "The Aarhus hybrid"},
    description={
        "da": "En blanding af Køln- og Porto Alegre-modellerne. Byrådet udpeger et budgetområde eller tema, "
        "og borgerne bidrager online med forslag og idéer, som indgår i budgetprocessen. Byrådet er ikke "
        "forpligtet af forslagene. Lokale øvebaner får en delegeret pulje, fx en landsby eller en gruppe.",
        "en": "A blend of the Cologne and Porto Alegre models. The council designates a budget area or "
        "theme, and citizens contribute proposals and ideas online that feed the budget process. The council "
        "is not bound by them. Local practice tracks get a delegated pot, e.g. a village or a group.",
    },
    origin={"da": "Aarhus Kommune (2015–2019)", "en": "Aarhus Municipality (2015–2019)"},
    phases=(
        PhaseSpec(PhaseKind.INFORM, default_days=14),
        PhaseSpec(PhaseKind.IDEAS, allows(Action.PROPOSE, Action.COMMENT, Action.SUPPORT), default_days=42),
        PhaseSpec(PhaseKind.ASSESSMENT, allows(Action.ASSESS), default_days=28, when="assessment_required"),
        PhaseSpec(PhaseKind.VOTING, allows(Action.VOTE), default_days=14, when="has_vote"),
        PhaseSpec(PhaseKind.RESULTS, allows(Action.PUBLISH_RESULTS), default_days=7),
        PhaseSpec(PhaseKind.DECISION, allows(Action.DECIDE), default_days=60),
        PhaseSpec(PhaseKind.IMPLEMENTATION, allows(Action.REPORT), default_days=365),
        PhaseSpec(PhaseKind.EVALUATION, allows(Action.EVALUATE), default_days=30, when="evaluation"),
    ),
    rules=Rules(
        pot=0,
        themes_required=True,
        supports=SupportKind.FOR,
        ballot=BallotKind.NONE,
        selection=Selection.ADVISORY,
        binding=False,
        area_funding=AreaFunding.FIXED,
        evaluation=True,
    ),
    settings=(
        Setting("pot", 0, minimum=0, maximum=1_000_000_000),
        Setting("project_cap", None, minimum=1, optional=True),
        Setting(
            "supports", SupportKind.FOR, choices=(SupportKind.FOR, SupportKind.FOR_AGAINST, SupportKind.NONE)
        ),
        Setting("assessment_required", False, choices=(True, False)),
        Setting("ballot", BallotKind.NONE, choices=(BallotKind.NONE, BallotKind.APPROVAL)),
        Setting("approval_max", None, minimum=1, maximum=50, optional=True),
        Setting("min_voting_age", 15, minimum=0, maximum=18),
        Setting("min_proposer_age", 0, minimum=0, maximum=18),
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
