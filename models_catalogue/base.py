"""The vocabulary of process models: phase kinds, actions, rules and settings.

A process model is data: an ordered list of phases and the settings a municipality may tune,
each with a default and an allowed range or set of choices. `rounds/` reads these types and
never names a model.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class PhaseKind(StrEnum):
    INFORM = "inform"
    APPLICATIONS = "applications"
    ALLOCATION = "allocation"
    IDEAS = "ideas"
    DIALOGUE = "dialogue"
    WORKSHOPS = "workshops"
    DELEGATES = "delegates"
    SHORTLIST = "shortlist"
    ASSESSMENT = "assessment"
    STATEMENTS = "statements"
    VOTING = "voting"
    RESULTS = "results"
    DECISION = "decision"
    IMPLEMENTATION = "implementation"
    EVALUATION = "evaluation"


PHASE_LABELS: dict[PhaseKind, Promise] = {
    PhaseKind.INFORM: _("Information"),
    PhaseKind.APPLICATIONS: _("Applications from local councils"),
    PhaseKind.ALLOCATION: _("Selection and pot split"),
    PhaseKind.IDEAS: _("Proposals"),
    PhaseKind.DIALOGUE: _("Dialogue"),
    PhaseKind.WORKSHOPS: _("Meetings and workshops"),
    PhaseKind.DELEGATES: _("Delegates"),
    PhaseKind.SHORTLIST: _("Favourites list"),
    PhaseKind.ASSESSMENT: _("Assessment"),
    PhaseKind.STATEMENTS: _("Statements"),
    PhaseKind.VOTING: _("Voting"),
    PhaseKind.RESULTS: _("Results"),
    PhaseKind.DECISION: _("Council decision"),
    PhaseKind.IMPLEMENTATION: _("Implementation"),
    PhaseKind.EVALUATION: _("Evaluation"),
}


class Action(StrEnum):
    """What participants and staff may do while a phase is open."""

    PROPOSE = "propose"  # submit and edit proposals
    COMMENT = "comment"
    SUPPORT = "support"  # for/against supports
    SIGN_UP = "sign_up"  # sign up for meetings
    APPLY = "apply"  # local councils apply for a share of the pool
    ALLOCATE = "allocate"  # staff select applications and split the pot
    CHOOSE_DELEGATES = "choose_delegates"
    SHORTLIST = "shortlist"  # the favourites list is drawn up
    ASSESS = "assess"
    STATE = "state"  # committees and local assemblies give statements
    VOTE = "vote"
    PUBLISH_RESULTS = "publish_results"
    DECIDE = "decide"
    REPORT = "report"  # implementation updates and payouts
    EVALUATE = "evaluate"


class Gate(StrEnum):
    """A condition that must hold before a phase may open."""

    ALL_SHORTLISTED_ASSESSED = "all_shortlisted_assessed"
    POT_SPLIT = "pot_split"
    DELEGATES_CHOSEN = "delegates_chosen"
    PROPOSALS_EXIST = "proposals_exist"


class BallotKind(StrEnum):
    NONE = "none"
    APPROVAL = "approval"
    KNAPSACK = "knapsack"
    CUMULATIVE = "cumulative"


class Selection(StrEnum):
    GREEDY = "greedy"  # most votes first, within the pot
    EQUAL_SHARES = "equal_shares"  # Method of Equal Shares
    ADVISORY = "advisory"  # a ranked recommendation, nothing funded by the vote itself
    COUNCIL = "council"  # the council decides from the favourites and the full list


class SupportKind(StrEnum):
    NONE = "none"
    FOR = "for"
    FOR_AGAINST = "for_against"


class AreaFunding(StrEnum):
    NONE = "none"  # one pot for the whole round
    FIXED = "fixed"  # staff set each area's sub-pot
    APPLICATIONS = "applications"  # local councils apply; staff select and split the pool
    EQUAL = "equal"  # the pool split equally between areas


class BallotScope(StrEnum):
    ROUND = "round"  # one ballot per person per round
    AREA = "area"  # one ballot per person per area with a sub-pot


class Proposers(StrEnum):
    EVERYONE = "everyone"
    DELEGATES = "delegates"


@dataclass(frozen=True, kw_only=True)
class Rules:
    """Every rule a round runs by. A model gives defaults; a municipality tunes some within ranges."""

    pot: int = 0  # whole DKK
    project_cap: int | None = None  # None: one project may take the whole pot
    min_project_cost: int = 0
    themes_required: bool = False
    favourites_per_theme: int | None = None  # None: no favourites list
    supports: SupportKind = SupportKind.NONE
    assessment_required: bool = False
    legal_screening: bool = False
    self_qualification: bool = False
    statements: bool = False
    delegates: bool = False
    proposers: Proposers = Proposers.EVERYONE
    min_proposer_age: int = 0
    ballot: BallotKind = BallotKind.NONE
    approval_min: int = 1
    approval_max: int | None = None  # None: as many as the voter likes
    cumulative_points: int = 0
    cumulative_max_per_project: int = 0
    selection: Selection = Selection.GREEDY
    binding: bool = True
    area_funding: AreaFunding = AreaFunding.NONE
    min_voting_age: int = 15
    online_voting: bool = True
    in_person_voting: bool = False
    # Who may vote, and how they prove it (several verification methods may be on at once).
    residence_required: bool = True
    ballot_scope: BallotScope = BallotScope.ROUND
    eid_verification: bool = True
    code_verification: bool = False
    email_verification: bool = False  # the weakest tier: self-declared address and age
    ballot_changes_allowed: bool = True  # online voters may change their ballot until voting closes
    in_person_replaces_online: bool = False  # else an in-person ballot after an online one is refused
    payout_against_invoice: bool = False
    evaluation: bool = False

    @property
    def has_areas(self) -> bool:
        return self.area_funding != AreaFunding.NONE

    @property
    def has_vote(self) -> bool:
        return self.ballot != BallotKind.NONE


RULE_NAMES = frozenset(f.name for f in dataclasses.fields(Rules))


@dataclass(frozen=True)
class Setting:
    """A rule a municipality may set in this model: its default and what is allowed.

    For numbers, `minimum`/`maximum` bound the value (`optional` allows None, e.g. "no cap");
    for choices, `choices` lists the allowed values. A rule a model does not list as a setting
    keeps the model's value.
    """

    name: str
    default: Any
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[Any, ...] | None = None
    optional: bool = False

    def __post_init__(self) -> None:
        if self.name not in RULE_NAMES:
            raise ValueError(f"{self.name} is not a rule")


@dataclass(frozen=True)
class PhaseSpec:
    kind: PhaseKind
    allows: frozenset[Action] = frozenset()
    default_days: int = 14
    gates: tuple[Gate, ...] = ()
    when: str | None = None  # the phase is part of a round only when this boolean rule is on

    def is_used(self, rules: Rules) -> bool:
        return self.when is None or bool(getattr(rules, self.when))


@dataclass(frozen=True, kw_only=True)
class ProcessModel:
    key: str
    name: dict[str, str]  # language code -> text
    description: dict[str, str]
    origin: dict[str, str]
    phases: tuple[PhaseSpec, ...]
    rules: Rules  # the model's values for every rule
    settings: tuple[Setting, ...] = field(default=())

    def setting(self, name: str) -> Setting | None:
        return next((s for s in self.settings if s.name == name), None)

    def phase(self, kind: str) -> PhaseSpec:
        for spec in self.phases:
            if spec.kind == kind:
                return spec
        raise KeyError(f"{self.key} has no phase {kind}")

    def defaults(self) -> dict[str, Any]:
        """The model's rules as a plain dict, settings at their defaults."""
        values = dataclasses.asdict(self.rules)
        values.update({s.name: s.default for s in self.settings})
        return values

    def text(self, attribute: str, language: str) -> str:
        texts: dict[str, str] = getattr(self, attribute)
        return texts.get(language) or texts["da"]


def allows(*actions: Action) -> frozenset[Action]:
    return frozenset(actions)


SETTING_LABELS: dict[str, Promise] = {
    "pot": _("Pot (kr.)"),
    "project_cap": _("Maximum per project (kr.)"),
    "min_project_cost": _("Minimum project cost (kr.)"),
    "themes_required": _("Proposals must have a theme"),
    "favourites_per_theme": _("Favourites per theme"),
    "supports": _("Supports"),
    "assessment_required": _("Assessment by the administration"),
    "legal_screening": _("Legal screening"),
    "self_qualification": _("Proposers qualify their own proposal against a checklist"),
    "statements": _("Statements from committees and local assemblies"),
    "delegates": _("Delegates"),
    "proposers": _("Who may propose"),
    "min_proposer_age": _("Minimum age to propose"),
    "ballot": _("Ballot"),
    "approval_min": _("Fewest projects on a ballot"),
    "approval_max": _("Most projects on a ballot"),
    "cumulative_points": _("Points per voter"),
    "cumulative_max_per_project": _("Most points on one project"),
    "selection": _("How winners are chosen"),
    "binding": _("The vote is binding"),
    "area_funding": _("Areas and their pots"),
    "min_voting_age": _("Minimum voting age"),
    "online_voting": _("Online voting"),
    "in_person_voting": _("In-person voting"),
    "payout_against_invoice": _("Payout after spending, against an invoice"),
    "residence_required": _("Voters must live in the municipality or area"),
    "ballot_scope": _("One ballot per person per"),
    "eid_verification": _("Voting with MitID"),
    "code_verification": _("Voting with a code by letter"),
    "email_verification": _("Voting with an email or SMS code (self-declared)"),
    "ballot_changes_allowed": _("Online voters may change their ballot until voting closes"),
    "in_person_replaces_online": _("An in-person ballot replaces an earlier online one"),
    "evaluation": _("Evaluation"),
}
