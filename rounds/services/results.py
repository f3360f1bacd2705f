"""From the ballot list to the result: which proposals go to the vote, the tally and its certificate."""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter
from dataclasses import asdict
from importlib import metadata

from django.db import transaction
from django.utils import timezone

from models_catalogue.base import Action, BallotKind, Selection
from rounds import rules, selectors, tallying
from rounds.models import Ballot, ProjectResult, Proposal, Round, RoundResult
from rounds.pabulib import write_pb
from rounds.pb_round import ballot_choices, round_to_pb
from rounds.rules import RuleViolation
from rounds.services.audit import audit_record

# Statuses that reach the ballot, by whether the round requires an assessment.
BALLOT_READY = {
    True: (Proposal.Status.FEASIBLE, Proposal.Status.CHANGED),
    False: (
        Proposal.Status.SUBMITTED,
        Proposal.Status.SHORTLISTED,
        Proposal.Status.FEASIBLE,
        Proposal.Status.CHANGED,
    ),
}
ON_OR_PAST_BALLOT = (Proposal.Status.ON_BALLOT, Proposal.Status.SELECTED, Proposal.Status.NOT_SELECTED)
SELECTION_METHODS = {
    Selection.GREEDY: "greedy",
    Selection.EQUAL_SHARES: "mes",
    Selection.ADVISORY: "advisory",
}
# Equal Shares as equalshares.net and the Polish and Dutch cities that used it run it: whole-unit
# per-voter budget increments, then greedy for what is left.
MES_COMPLETION = tallying.Completion.ADD1INT_GREEDY


def ballot_prepare(*, pb_round: Round, actor=None) -> int:
    """Put every qualified proposal on the ballot (rejected ones stay off, with their public reason)."""
    ready = BALLOT_READY[pb_round.rules.assessment_required]
    changed = Proposal.objects.filter(round=pb_round, status__in=ready).update(
        status=Proposal.Status.ON_BALLOT
    )
    audit_record(actor=actor, action="ballot_prepare", obj=pb_round, new={"on_ballot": changed})
    return changed


def tally_options(pb_round: Round, override: tallying.StaffOverride | None = None) -> tallying.TallyOptions:
    effective = pb_round.rules
    return tallying.TallyOptions(
        count="points" if effective.ballot == BallotKind.CUMULATIVE else "votes",
        utility=tallying.Utility.COST,
        completion=MES_COMPLETION
        if effective.selection == Selection.EQUAL_SHARES
        else tallying.Completion.NONE,
        min_project_cost=effective.min_project_cost or None,
        max_project_cost=effective.project_cap,
        area_budgets={str(a.pk): a.pot for a in pb_round.areas.all() if a.pot is not None},
        override=override,
    )


def _counted_ballots(pb_round: Round, vote_counts: dict[int, int] | None) -> list[tuple[tuple, tuple]]:
    """The ballots the tally counts, as (proposal ids, points): the cast ballots, or a hand count
    as one single-project ballot per vote counted, so the certificate holds what was tallied."""
    if vote_counts is None:
        return ballot_choices(pb_round)
    return [((pid,), (1,)) for pid, n in sorted(vote_counts.items()) for _ in range(n)]


def _election(pb_round: Round, candidates: dict[int, Proposal], ballots: list[tuple[tuple, tuple]], kind):
    # Empty ballots stay in: Equal Shares gives every voter pot/n, counting them, as pabutools does.
    counted = Counter(ballots)
    projects = tuple(
        tallying.Project(id=str(pid), cost=p.current_cost, area=str(p.area_id) if p.area_id else None)
        for pid, p in candidates.items()
    )
    return tallying.Election(
        projects=projects,
        ballots=tuple(
            tallying.Ballot(
                tuple(str(p) for p in pids),
                tuple(points) if kind == tallying.BallotKind.CUMULATIVE else None,
                weight=n,
            )
            for (pids, points), n in counted.items()
        ),
        budget=pb_round.rules.pot,
        kind=kind,
    )


@transaction.atomic
def result_record(
    *,
    pb_round: Round,
    vote_counts: dict[int, int] | None = None,
    override: tallying.StaffOverride | None = None,
    actor=None,
) -> tallying.TallyResult:
    """Tally the round with its selection rule, store the result and its certificate, and publish it.

    With a vote, the counted ballots decide (or `vote_counts`, a hand count per proposal); without
    a vote, the advisory ranking uses net support. A staff override of one project is recorded
    with its reason next to the computed result. Re-running gives the same result.
    Raises RuleViolation for an unknown proposal or a negative count.
    """
    if reason := rules.action_problem(pb_round, Action.PUBLISH_RESULTS):
        raise RuleViolation(reason)
    effective = pb_round.rules
    if effective.has_vote:
        candidates = {
            p.pk: p
            for p in pb_round.proposals.filter(status__in=ON_OR_PAST_BALLOT)
            .select_related("area", "assessment")
            .order_by("id")
        }
        if vote_counts is not None:
            if set(vote_counts) - set(candidates):
                raise RuleViolation("unknown_proposal")
            if any(v < 0 for v in vote_counts.values()):
                raise RuleViolation("negative_votes")
        ballots = _counted_ballots(pb_round, vote_counts)
        kind = {
            BallotKind.CUMULATIVE: tallying.BallotKind.CUMULATIVE,
            BallotKind.KNAPSACK: tallying.BallotKind.KNAPSACK,
        }.get(effective.ballot, tallying.BallotKind.APPROVAL)
        if vote_counts is not None:
            kind = tallying.BallotKind.APPROVAL
        election = _election(pb_round, candidates, ballots, kind)
        method = SELECTION_METHODS.get(effective.selection, "greedy")
    else:
        ranked = (
            selectors.proposals_with_support(pb_round).exclude(status=Proposal.Status.REJECTED).order_by("id")
        )
        candidates = {p.pk: p for p in ranked}
        support = {p.pk: max(p.net_support, 0) for p in ranked}
        ballots = [((pid,), (1,)) for pid, n in support.items() for _ in range(n)]
        election = _election(pb_round, candidates, ballots, tallying.BallotKind.APPROVAL)
        method = "advisory"
    options = tally_options(pb_round, override)
    result = tallying.tally(election, method, options)
    _store(pb_round, candidates, result, method, options, override, actor, ballots, vote_counts is not None)
    return result


def recount_recipe(method: str, options: tallying.TallyOptions) -> str:
    """How to recount the certificate's `.pb` file with pabutools and get the same winners."""
    if method == "greedy":
        sat = "Cost_Sat" if options.count == "votes" else "an additive satisfaction of points × cost"
        recipe = f"pabutools: greedy_utilitarian_welfare(instance, profile, sat_class={sat})"
    else:
        # pabutools has no equalshares.net add-one search (whole kroner per voter, its own stopping
        # rule), so the recount starts from the endowment that search ended at.
        recipe = (
            "pabutools: S = method_of_equal_shares(instance, profile, sat_class=Cost_Sat) with "
            "instance.budget_limit set to endowment_per_voter × the number of ballots"
        )
        if options.completion in (tallying.Completion.GREEDY, tallying.Completion.ADD1INT_GREEDY):
            recipe += (
                ", then with the real budget greedy_utilitarian_welfare(instance, profile, "
                "sat_class=Cost_Sat, initial_budget_allocation=S)"
            )
        recipe += f" (completion {options.completion})"
    if options.area_budgets:
        recipe += "; the areas' sub-pots are not in the .pb file, so pabutools cannot apply them"
    return recipe


def _store(pb_round, candidates, result, method, options, override, actor, ballots, hand_count) -> None:
    scores = dict(result.ranking)
    selected = {int(pid) for pid in result.final_selected}
    by_rule = {int(pid) for pid in result.selected}
    pb_file = (
        round_to_pb(pb_round, list(candidates.values()), selected=selected, ballots=ballots)
        if method != "advisory"
        else None
    )
    if pb_file is not None and hand_count:
        comment = "#1: a hand count: one single-project ballot per vote counted"
        pb_file = dataclasses.replace(pb_file, meta={**pb_file.meta, "comment": comment})
    certificate = write_pb(pb_file) if pb_file is not None else ""
    settings = {k: _plain(v) for k, v in asdict(options).items() if k != "override"}
    settings["tie_breaking"] = "ties go to the project with the smallest id as a string (pabutools' default)"
    if pb_file is not None:
        settings["recount"] = recount_recipe(method, options)
    if hand_count:
        settings["hand_count_votes"] = len(ballots)
    if method.startswith("mes") and result.endowment is not None:
        numerator, denominator = result.endowment
        settings["endowment_per_voter"] = f"{numerator}/{denominator}" if denominator != 1 else str(numerator)
    mix = Ballot.objects.filter(round=pb_round)
    RoundResult.objects.filter(round=pb_round).delete()
    stored = RoundResult.objects.create(
        round=pb_round,
        method=method,
        settings=settings,
        spent=result.final_spent,
        ballots=mix.count(),
        channel_mix=selectors.count_by(mix, "channel"),
        tier_mix=selectors.count_by(mix, "tier"),
        override_reason=override.reason if override else "",
        certificate_pb=certificate,
        certificate_sha256=hashlib.sha256(certificate.encode()).hexdigest() if certificate else "",
        software_version=_version(),
        computed_at=timezone.now(),
        published_at=timezone.now(),
    )
    rank = {int(pid): i for i, (pid, _score) in enumerate(result.ranking, start=1)}
    ProjectResult.objects.bulk_create(
        ProjectResult(
            result=stored,
            proposal=proposal,
            score=scores.get(str(pid), 0),
            rank=rank.get(pid, len(rank) + 1),
            is_selected=pid in selected,
            selected_by_rule=pid in by_rule,
            funded_amount=proposal.current_cost if pid in selected else None,
        )
        for pid, proposal in candidates.items()
    )
    for pid, proposal in candidates.items():
        proposal.votes = scores.get(str(pid), 0)
        if method != "advisory":
            proposal.status = Proposal.Status.SELECTED if pid in selected else Proposal.Status.NOT_SELECTED
            proposal.funded_amount = proposal.current_cost if pid in selected else None
    Proposal.objects.bulk_update(candidates.values(), ["votes", "status", "funded_amount"])
    audit_record(
        actor=actor,
        action="result_record",
        obj=pb_round,
        new={"method": method, "selected": sorted(selected), "spent": result.final_spent,
             "override": override.reason if override else None},
    )  # fmt: skip


def _plain(value):
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return str(value) if hasattr(value, "value") else value


def _version() -> str:
    try:
        return f"borgerbudget {metadata.version('borgerbudget')}"
    except metadata.PackageNotFoundError:
        return "borgerbudget (development)"
