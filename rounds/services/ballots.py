"""Casting ballots: one person, one ballot, across every channel, enforced by the database.

The register (Voter, VoterKey) records who voted; the ballot records what was chosen, without
the voter. A second ballot from the same person replaces the first only where the round allows
it (online re-voting until voting closes; an in-person ballot over an online one), else it is
refused. The ballot rules freeze when the first ballot is cast.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from models_catalogue.base import Action, BallotScope
from rounds import rules
from rounds.ballot_rules import ballot_problem
from rounds.eligibility import VoterIdentity, age_band, eligibility_problem, key_hash
from rounds.models import Area, Ballot, BallotChoice, Proposal, Round, Voter, VoterKey
from rounds.models.voting import Channel
from rounds.rules import RuleViolation
from rounds.services.audit import audit_record
from rounds.services.codes import code_mark_used

RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U: easy to read aloud


@dataclass(frozen=True)
class CastResult:
    receipt: str
    replaced: bool


def receipt_new() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def ballot_locator(voter: Voter) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"ballot:{voter.secret}".encode(), hashlib.sha256
    ).hexdigest()


def ballot_proposals(pb_round: Round, area: Area | None) -> dict[int, int]:
    """The proposals on the ballot (of the area, where the round has areas), with their costs."""
    proposals = Proposal.objects.filter(round=pb_round, status=Proposal.Status.ON_BALLOT).select_related(
        "assessment"
    )
    if area is not None:
        proposals = proposals.filter(area=area)
    return {p.pk: p.current_cost for p in proposals}


def _area_for(pb_round: Round, identity: VoterIdentity, area: Area | None) -> Area | None:
    if area is not None and area.round_id != pb_round.pk:
        raise RuleViolation("foreign_area")
    if area is None and identity.area_id is not None:
        area = pb_round.areas.filter(pk=identity.area_id).first()
    if area is None and pb_round.areas.filter(pot__isnull=False).exists():
        raise RuleViolation("area_required")
    return area


def ballot_check(
    *, pb_round: Round, identity: VoterIdentity, choices: dict[int, int], area: Area | None
) -> Area | None:
    """The area the ballot counts in, when this voter may cast it now; stores nothing.

    Raises RuleViolation: voting closed, channel or verification method not allowed, not
    eligible, or an invalid ballot. Whether the person has voted is for the register to decide.
    """
    if reason := rules.action_problem(pb_round, Action.VOTE):
        raise RuleViolation(reason)
    area = _area_for(pb_round, identity, area)
    if reason := eligibility_problem(pb_round, identity, area):
        raise RuleViolation(reason)
    effective = pb_round.rules
    costs = ballot_proposals(pb_round, area)
    limit = area.pot if area is not None and area.pot is not None else effective.pot
    if problem := ballot_problem(effective, choices, costs, limit):
        code, params = problem
        raise RuleViolation(code, **params)
    return area


def ballot_cast(
    *,
    pb_round: Round,
    identity: VoterIdentity,
    choices: dict[int, int] | list[int],
    area: Area | None = None,
    paper_serial: str = "",
    actor=None,
) -> CastResult:
    """Cast (or, where allowed, replace) a voter's ballot and return its receipt code.

    Raises RuleViolation: voting closed, channel or verification method not allowed, not
    eligible, invalid ballot, or already voted where a second ballot is refused. On any refusal
    nothing is stored.
    """
    if isinstance(choices, list):
        choices = dict.fromkeys(choices, 1)
    area = ballot_check(pb_round=pb_round, identity=identity, choices=choices, area=area)
    if identity.channel == Channel.PAPER and not paper_serial.strip():
        raise RuleViolation("serial_required")
    scope = _scope(pb_round, area)
    hashes = sorted({key_hash(k) for k in identity.keys})
    with transaction.atomic():
        Round.objects.filter(pk=pb_round.pk, rules_frozen_at__isnull=True).update(
            rules_frozen_at=timezone.now()
        )
        code_mark_used(pb_round=pb_round, identity=identity)  # a voting code is spent with its ballot
        voter, replaced = _register(pb_round, scope, identity, hashes)
        ballot = Ballot(
            round=pb_round,
            area=area,
            channel=identity.channel,
            tier=identity.tier,
            receipt=receipt_new(),
            locator=ballot_locator(voter),
            paper_serial=paper_serial.strip(),
        )
        try:
            with transaction.atomic():
                ballot.save(force_insert=True)
        except IntegrityError:
            raise RuleViolation("serial_taken") from None
        BallotChoice.objects.bulk_create(
            BallotChoice(ballot=ballot, proposal_id=pid, points=points)
            for pid, points in choices.items()
            if points
        )
        audit_record(
            actor=actor,
            action="ballot_replace" if replaced else "ballot_cast",
            obj=pb_round,
            new={"channel": identity.channel, "tier": identity.tier, "serial": ballot.paper_serial},
        )
    return CastResult(receipt=ballot.receipt, replaced=replaced)


def _register(pb_round: Round, scope: int, identity: VoterIdentity, hashes: list[str]) -> tuple[Voter, bool]:
    """Enter the voter in the register, or find them there. The unique index on (round, scope,
    key) decides races: of concurrent first ballots exactly one inserts its keys."""
    existing = _existing_voter(pb_round, scope, hashes)
    if existing is None:
        voter = Voter.objects.create(
            round=pb_round,
            scope=scope,
            channel=identity.channel,
            tier=identity.tier,
            secret=secrets.token_hex(32),
            voted_on=timezone.localdate(),
            age_band=age_band(identity, timezone.localdate()),
        )
        try:
            with transaction.atomic():
                VoterKey.objects.bulk_create(
                    VoterKey(voter=voter, round=pb_round, scope=scope, key_hash=h) for h in hashes
                )
            return voter, False
        except IntegrityError:
            voter.delete()
            existing = _existing_voter(pb_round, scope, hashes)  # the winner has committed by now
            if existing is None:
                raise
    return _replace(existing, pb_round, scope, identity, hashes), True


def _scope(pb_round: Round, area: Area | None) -> int:
    """The register's scope: the area where ballots are per area, else 0 (the whole round)."""
    return area.pk if (area is not None and pb_round.rules.ballot_scope == BallotScope.AREA) else 0


def _voters(pb_round: Round, scope: int, hashes: list[str]):
    voter_ids = VoterKey.objects.filter(round=pb_round, scope=scope, key_hash__in=hashes).values("voter_id")
    return Voter.objects.filter(pk__in=voter_ids).order_by("pk")


def _existing_voter(pb_round: Round, scope: int, hashes: list[str]) -> Voter | None:
    # Lock the voter: concurrent replacements of the same ballot run one after the other.
    return _voters(pb_round, scope, hashes).select_for_update().first()


def _second_ballot_problem(pb_round: Round, voted_by: str, identity: VoterIdentity) -> str | None:
    """Why a person who voted through channel `voted_by` may not cast another ballot; None if they may."""
    effective = pb_round.rules
    online_again = voted_by == Channel.ONLINE and identity.channel == Channel.ONLINE
    in_person_over_online = voted_by == Channel.ONLINE and identity.channel != Channel.ONLINE
    if online_again and not effective.ballot_changes_allowed:
        return "already_voted"
    if in_person_over_online and not effective.in_person_replaces_online:
        return "already_voted_online"
    if not (online_again or in_person_over_online):
        return "already_voted"
    return None


def register_problem(pb_round: Round, identity: VoterIdentity, area: Area | None) -> str | None:
    """Why the register would refuse this voter's ballot now (already voted), or None. A first look
    only: `ballot_cast` decides under a lock."""
    voter = _voters(pb_round, _scope(pb_round, area), [key_hash(k) for k in identity.keys]).first()
    return None if voter is None else _second_ballot_problem(pb_round, voter.channel, identity)


def _replace(voter: Voter, pb_round: Round, scope: int, identity: VoterIdentity, hashes: list[str]) -> Voter:
    if reason := _second_ballot_problem(pb_round, voter.channel, identity):
        raise RuleViolation(reason)
    Ballot.objects.filter(locator=ballot_locator(voter)).delete()
    known = set(voter.keys.values_list("key_hash", flat=True))
    VoterKey.objects.bulk_create(
        VoterKey(voter=voter, round=pb_round, scope=scope, key_hash=h) for h in hashes if h not in known
    )
    voter.channel, voter.tier = identity.channel, identity.tier
    voter.ballots_cast += 1
    voter.voted_on = timezone.localdate()
    voter.age_band = age_band(identity, voter.voted_on) or voter.age_band
    voter.save(update_fields=["channel", "tier", "ballots_cast", "voted_on", "age_band"])
    return voter


def receipts_public(pb_round: Round) -> list[str]:
    """The public list of receipt codes of the counted ballots, sorted (so order reveals nothing)."""
    return sorted(Ballot.objects.filter(round=pb_round).values_list("receipt", flat=True))


def voter_has_voted(pb_round: Round, identity: VoterIdentity, area: Area | None = None) -> bool:
    scope = area.pk if (area is not None and pb_round.rules.ballot_scope == BallotScope.AREA) else 0
    hashes = [key_hash(k) for k in identity.keys]
    return VoterKey.objects.filter(Q(round=pb_round, scope=scope, key_hash__in=hashes)).exists()
