"""Import a finished vote from a Pabulib `.pb` file: a round with its proposals, ballots and result.

The file is a vote that already happened elsewhere, so the round does not walk through its phases:
the import closes every phase before the one that publishes results, opens that one and records the
result with the round's own rule. Imported ballots have no voter register rows; each gets a receipt
and a random locator that no voter secret can reproduce.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from models_catalogue import registry
from models_catalogue.base import Action, BallotKind, ProcessModel, Selection
from models_catalogue.validation import rules_from_settings, settings_problems
from rounds.models import Ballot, BallotChoice, Phase, Proposal, Round
from rounds.models.voting import Channel, Tier
from rounds.pabulib import PbFile, parse_number
from rounds.services.audit import audit_record
from rounds.services.ballots import receipt_new
from rounds.services.results import result_record
from rounds.services.rounds import round_create

# Catalogue models an import may use, in order of preference: the first whose settings allow the
# file's ballot and rule is chosen.
IMPORT_MODELS = ("open_pot", "porto_alegre")
BALLOT_FOR_VOTE_TYPE = {
    "approval": BallotKind.APPROVAL,
    "choose-1": BallotKind.APPROVAL,
    "cumulative": BallotKind.CUMULATIVE,
}
# Settings that shape how proposals come about; a finished vote needs none of those steps.
NEUTRAL_SETTINGS = {"delegates": False, "proposers": "everyone", "area_funding": "none"}
MAX_COST = 2_147_483_647  # Proposal.cost is a PositiveIntegerField
MAX_POINTS = 32_767  # BallotChoice.points is a PositiveSmallIntegerField
BATCH = 5_000
# Progress steps round_import_pb reports: on_progress(step, done, total).
BALLOTS, RESULT = "ballots", "result"
ImportProgress = Callable[[str, int, int], None]


class PbImportError(ValueError):
    """A `.pb` file that cannot become a round; the message is one line."""


@transaction.atomic
def round_import_pb(
    *,
    pb_file: PbFile,
    slug: str,
    title: str | None = None,
    actor=None,
    on_progress: ImportProgress | None = None,
) -> Round:
    """Create a round in its results phase from a parsed `.pb` file, with its proposals, ballots and result.

    `on_progress(step, done, total)` is called with BALLOTS every BATCH ballots stored (most of
    the time of a large file), then once with RESULT before the result is computed.

    Raises PbImportError: a vote type the catalogue has no ballot for, money that is not whole
    kroner, settings no catalogue model allows, or a slug that is taken or invalid.
    """
    ballot = BALLOT_FOR_VOTE_TYPE.get(pb_file.vote_type)
    if ballot is None:
        raise PbImportError(
            f"META: vote_type {pb_file.vote_type!r} cannot be imported (approval, choose-1 or cumulative)"
        )
    if ballot == BallotKind.APPROVAL and pb_file.meta.get("max_sum_cost"):
        ballot = BallotKind.KNAPSACK
    rule = pb_file.meta.get("rule", "").strip().lower()
    selection = Selection.EQUAL_SHARES if rule.startswith("equalshares") else Selection.GREEDY
    settings = {"pot": _whole(pb_file.budget, "META: budget"), "ballot": ballot, "selection": selection}
    settings.update(_ballot_settings(pb_file, ballot))
    model = _model_for(ballot, selection)
    settings.update({k: v for k, v in NEUTRAL_SETTINGS.items() if model.setting(k) is not None})
    if problems := settings_problems(model, settings):
        raise PbImportError(
            "the file's settings do not fit: " + " ".join(m for ms in problems.values() for m in ms)
        )
    costs = {pid: _whole(p.cost, f"PROJECTS: cost of project {pid!r}") for pid, p in pb_file.projects.items()}
    if too_dear := next((pid for pid, c in costs.items() if c > MAX_COST), None):
        raise PbImportError(f"PROJECTS: cost of project {too_dear!r} is above {MAX_COST}")
    now = timezone.now()
    try:
        pb_round = round_create(
            title=(title or _default_title(pb_file))[:200],
            slug=slug,
            process_model=model.key,
            settings=settings,
            starts_at=now - dt.timedelta(days=_days_before_results(model, settings)),
            actor=actor,
            summary=_summary(pb_file),
        )
    except ValidationError as exc:
        raise PbImportError(" ".join(exc.messages)) from None
    _open_results_phase(pb_round, now)
    proposal_ids = _proposals_create(pb_round, pb_file, costs, now)
    count = _ballots_create(
        pb_round, pb_file, proposal_ids, cumulative=ballot == BallotKind.CUMULATIVE, on_progress=on_progress
    )
    Round.objects.filter(pk=pb_round.pk).update(rules_frozen_at=now)
    audit_record(
        actor=actor,
        action="round_import_pb",
        obj=pb_round,
        new={"meta": pb_file.meta, "ballots": count, "projects": proposal_ids},
    )
    if on_progress is not None:
        on_progress(RESULT, 0, 1)
    result_record(pb_round=pb_round, actor=actor)
    return pb_round


def _whole(value: int | Fraction, what: str) -> int:
    if isinstance(value, Fraction):
        raise PbImportError(f"{what} is {float(value)}: money must be whole kroner")
    return value


def _count(pb_file: PbFile, key: str) -> int | None:
    raw = pb_file.meta.get(key, "").strip()
    if not raw:
        return None
    try:
        value = parse_number(raw)
    except (ValueError, ZeroDivisionError):
        raise PbImportError(f"META: {key} is not a number: {raw!r}") from None
    if isinstance(value, Fraction) or value < 0:
        raise PbImportError(f"META: {key} must be a whole number, got {raw!r}")
    return value


def _ballot_settings(pb_file: PbFile, ballot: BallotKind) -> dict[str, Any]:
    if ballot == BallotKind.CUMULATIVE:
        total = _count(pb_file, "max_sum_points")
        if total is None:
            # Without a declared limit, the fullest ballot in the file is the limit.
            total = max((sum(v.points or ()) for v in pb_file.votes), default=0)
        per_project = _count(pb_file, "max_points")
        return {"cumulative_points": total, "cumulative_max_per_project": min(per_project or total, total)}
    shortest = _count(pb_file, "min_length")
    settings: dict[str, Any] = {"approval_min": 1 if shortest is None else shortest}
    longest = _count(pb_file, "max_length")
    # A limit at or above the number of projects limits nothing.
    settings["approval_max"] = longest if longest is not None and longest < len(pb_file.projects) else None
    return settings


def _model_for(ballot: BallotKind, selection: Selection) -> ProcessModel:
    for key in IMPORT_MODELS:
        model = registry.get(key)
        kinds, rules = model.setting("ballot"), model.setting("selection")
        if kinds and rules and ballot in (kinds.choices or ()) and selection in (rules.choices or ()):
            return model
    raise PbImportError(f"no process model takes {ballot} ballots counted by {selection}")


def _results_position(model: ProcessModel, settings: dict[str, Any]) -> tuple[list, int]:
    effective = rules_from_settings(model, settings)
    used = [spec for spec in model.phases if spec.is_used(effective)]
    at = next(i for i, spec in enumerate(used) if Action.PUBLISH_RESULTS in spec.allows)
    return used, at


def _days_before_results(model: ProcessModel, settings: dict[str, Any]) -> int:
    used, at = _results_position(model, settings)
    return sum(spec.default_days for spec in used[:at])


def _open_results_phase(pb_round: Round, now: dt.datetime) -> None:
    _used, at = _results_position(pb_round.model, pb_round.settings)
    phases = list(pb_round.phases.order_by("position"))
    for phase in phases[:at]:
        phase.state, phase.opened_at, phase.closed_at = Phase.State.CLOSED, phase.starts_at, phase.ends_at
    phases[at].state, phases[at].opened_at = Phase.State.OPEN, now
    Phase.objects.bulk_update(phases[: at + 1], ["state", "opened_at", "closed_at"])


def _default_title(pb_file: PbFile) -> str:
    meta = pb_file.meta
    return (
        meta.get("description")
        or " ".join(filter(None, (meta.get("unit"), meta.get("instance"))))
        or "Import"
    )


def _summary(pb_file: PbFile) -> str:
    meta = pb_file.meta
    where = ", ".join(filter(None, (meta.get("unit"), meta.get("district"), meta.get("instance"))))
    return _("Imported from a Pabulib .pb file: %(where)s (official rule: %(rule)s).") % {
        "where": where or "?",
        "rule": meta.get("rule") or "?",
    }


def _proposals_create(
    pb_round: Round, pb_file: PbFile, costs: dict[str, int], now: dt.datetime
) -> dict[str, int]:
    """One proposal on the ballot per project, in the file's order; returns project id -> proposal id."""
    proposals = []
    for pid, project in pb_file.projects.items():
        name = project.fields.get("name") or f"{pid}"
        proposals.append(
            Proposal(
                round=pb_round,
                author_name=project.fields.get("proposer", "")[:200],
                title=name[:200],
                description=project.fields.get("description") or name,
                cost=costs[pid],
                status=Proposal.Status.ON_BALLOT,
                submitted_at=now,
            )
        )
    created = Proposal.objects.bulk_create(proposals)
    return {pid: p.pk for pid, p in zip(pb_file.projects, created, strict=True)}


def _receipts(count: int) -> list[str]:
    """`count` receipt codes that no ballot in the schema has yet."""
    codes: set[str] = set()
    while len(codes) < count:
        codes.update(receipt_new() for _ in range(count - len(codes)))
        fresh = list(codes)
        for start in range(0, len(fresh), 10_000):
            taken = Ballot.objects.filter(receipt__in=fresh[start : start + 10_000]).values_list(
                "receipt", flat=True
            )
            codes.difference_update(taken)
    return list(codes)


def _ballots_create(
    pb_round: Round,
    pb_file: PbFile,
    proposal_ids: dict[str, int],
    *,
    cumulative: bool,
    on_progress: ImportProgress | None = None,
) -> int:
    total = len(pb_file.votes)
    receipts = _receipts(total)
    ballots: list[Ballot] = []
    choices: list[BallotChoice] = []
    for number, (receipt, vote) in enumerate(zip(receipts, pb_file.votes, strict=True), start=1):
        ballot_id = uuid.uuid4()
        ballots.append(
            Ballot(
                id=ballot_id,
                round=pb_round,
                channel=Channel.IMPORTED,
                tier=Tier.IMPORTED,
                receipt=receipt,
                locator=secrets.token_hex(32),
            )
        )
        points = vote.points if cumulative else (1,) * len(vote.vote)
        for pid, n in zip(vote.vote, points, strict=True):
            if isinstance(n, Fraction) or not 0 <= n <= MAX_POINTS:
                raise PbImportError(
                    f"VOTES: voter {vote.voter_id!r} has {n} points; points must be whole, 0 to {MAX_POINTS}"
                )
            if n:
                choices.append(BallotChoice(ballot_id=ballot_id, proposal_id=proposal_ids[pid], points=n))
        if len(ballots) >= BATCH:
            _flush(ballots, choices)
            if on_progress is not None:
                on_progress(BALLOTS, number, total)
    _flush(ballots, choices)
    if on_progress is not None:
        on_progress(BALLOTS, total, total)
    return len(receipts)


def _flush(ballots: list[Ballot], choices: list[BallotChoice]) -> None:
    Ballot.objects.bulk_create(ballots, batch_size=BATCH)
    BallotChoice.objects.bulk_create(choices, batch_size=BATCH)
    ballots.clear()
    choices.clear()
