"""Plain data the tally engine works on: projects, ballots, an election, options and the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class BallotKind(StrEnum):
    APPROVAL = "approval"
    # Knapsack ballots are approval sets whose total cost the voter kept within a limit: same counting.
    KNAPSACK = "knapsack"
    CUMULATIVE = "cumulative"
    ORDINAL = "ordinal"


class Utility(StrEnum):
    COST = "cost"
    CARDINALITY = "cardinality"


class Completion(StrEnum):
    NONE = "none"
    GREEDY = "greedy"
    # pabutools' voter_budget_increment=1: start at B/n, add 1 per voter until exhaustive or over budget.
    ADD1 = "add1"
    ADD1_GREEDY = "add1_greedy"
    # equalshares.net's "integral" Add1: start at floor(B/n), whole currency units per voter.
    ADD1INT = "add1int"
    ADD1INT_GREEDY = "add1int_greedy"


class TieBreak(StrEnum):
    """Keys applied in order among tied projects; the project id (as a string) always decides last."""

    MAX_VOTES = "max_votes"
    MIN_COST = "min_cost"
    MAX_COST = "max_cost"


@dataclass(frozen=True, slots=True)
class Project:
    id: str
    cost: int
    # Sub-pot the project draws from (a district or category); None draws only from the main pot.
    area: str | None = None


@dataclass(frozen=True, slots=True)
class Ballot:
    """One voter's ballot, or `weight` identical ballots.

    `projects` is the approval set (approval, knapsack), the listed projects (cumulative) or the
    ranking, most preferred first (ordinal). `points` is aligned with `projects` for cumulative ballots.
    """

    projects: tuple[str, ...]
    points: tuple[int, ...] | None = None
    weight: int = 1


@dataclass(frozen=True, slots=True)
class Election:
    projects: tuple[Project, ...]
    ballots: tuple[Ballot, ...]
    budget: int
    kind: BallotKind = BallotKind.APPROVAL


@dataclass(frozen=True, slots=True)
class StaffOverride:
    """A staff decision about one project, applied after the rule and shown next to its outcome."""

    project_id: str
    fund: bool
    reason: str


@dataclass(frozen=True, slots=True)
class TallyOptions:
    """Everything a municipality or a method variant can set. Fields a method does not use are ignored."""

    # Greedy ranks by approvals ("votes") or by points (cumulative points, Borda points for rankings).
    count: str = "votes"
    # Greedy stops at the first eligible project that does not fit instead of skipping it
    # (Pabulib's "greedy-no-skip").
    no_skip: bool = False
    utility: Utility = Utility.COST
    completion: Completion = Completion.NONE
    # add1/add1int: stop as soon as the outcome is exhaustive. equalshares.net's default is on;
    # Wieliczka 2023 was decided with it off.
    exhaustive_stop: bool = True
    increment: int = 1
    tie_breaking: tuple[TieBreak, ...] = ()
    min_votes: int = 0
    min_points: int = 0
    min_project_cost: int | None = None
    max_project_cost: int | None = None
    # Upper bounds on what the projects of one area may cost together (greedy only).
    area_budgets: dict[str, int] = field(default_factory=dict)
    # Greedy with area budgets: spend what the areas left over on the best remaining projects.
    area_leftover_to_pot: bool = False
    exclusive_groups: tuple[frozenset[str], ...] = ()
    # Switch from MES to greedy-by-votes when more voters prefer it (equalshares.net's comparison step).
    compare_with_greedy: bool = False
    override: StaffOverride | None = None


@dataclass(frozen=True, slots=True)
class TallyResult:
    method: str
    # In the order the rule picked them; empty for an advisory ranking.
    selected: tuple[str, ...]
    spent: int
    # Every project with its score, best first (votes or points for greedy/advisory, MES order then the rest).
    ranking: tuple[tuple[str, int], ...] = ()
    # Projects the options ruled out, with the reason code.
    ineligible: dict[str, str] = field(default_factory=dict)
    override: StaffOverride | None = None
    # The outcome once the override is applied; equal to `selected` when there is none.
    final_selected: tuple[str, ...] = ()
    final_spent: int = 0
    # Per-voter endowment (numerator, denominator) the MES outcome was reached with.
    endowment: tuple[int, int] | None = None
