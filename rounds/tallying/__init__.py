"""The tally engine: pure functions over plain data (no Django, no settings).

Call `tally(election, method, options)` with an Election built from the round's proposals and
ballots; it returns a TallyResult holding the computed outcome and, when a staff override is given,
the overridden outcome next to it. `TALLY_METHODS` maps a method name to its rule.
"""

from __future__ import annotations

from collections.abc import Callable

from rounds.tallying.advisory import advisory_tally
from rounds.tallying.greedy import greedy_tally
from rounds.tallying.options import with_override
from rounds.tallying.types import (
    Ballot,
    BallotKind,
    Completion,
    Election,
    Project,
    StaffOverride,
    TallyOptions,
    TallyResult,
    TieBreak,
    Utility,
)


def mes_tally(election: Election, options: TallyOptions) -> TallyResult:
    """rounds.tallying.mes.mes_tally, imported on first use: its compiled kernels bring numba, which
    costs a process about 0.2 s to import, and most processes (web, worker, commands) never tally."""
    from rounds.tallying.mes import mes_tally as rule

    return rule(election, options)


TALLY_METHODS: dict[str, Callable[[Election, TallyOptions], TallyResult]] = {
    "greedy": greedy_tally,
    "mes": mes_tally,
    "advisory": advisory_tally,
}


def tally(election: Election, method: str, options: TallyOptions | None = None) -> TallyResult:
    """Run `method` ("greedy", "mes" or "advisory") on the election, then apply any staff override.

    Raises KeyError for an unknown method and ValueError for options the method cannot honour.
    """
    rule = TALLY_METHODS[method]
    return with_override(rule, election, options or TallyOptions())


__all__ = [
    "TALLY_METHODS",
    "Ballot",
    "BallotKind",
    "Completion",
    "Election",
    "Project",
    "StaffOverride",
    "TallyOptions",
    "TallyResult",
    "TieBreak",
    "Utility",
    "tally",
]
