"""Paper ballots entered by staff, with the optional double-entry check (see rounds/models/paper.py).

Without the check a paper ballot is cast at once. With it, two different staff members enter each
ballot: the first entry waits, a matching second entry casts the ballot (through `ballot_cast`, so
serial uniqueness and the one-person-one-vote register apply), a differing one flags the serial
for an admin. Everything about one serial runs under a transaction-scoped PostgreSQL advisory
lock on (round, serial), so concurrent entries of the same ballot are decided one after another.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from rounds.eligibility import VoterIdentity, key_hash
from rounds.models import Area, Ballot, PaperEntry, Round
from rounds.rules import RuleViolation
from rounds.services.audit import audit_record
from rounds.services.ballots import ballot_cast, ballot_check, register_problem

CAST, PENDING, MISMATCH = "cast", "pending", "mismatch"


@dataclass(frozen=True)
class PaperOutcome:
    """What became of an entered paper ballot: cast (with its receipt), pending or mismatch."""

    status: str
    serial: str
    receipt: str = ""


def _voter_hash(identity: VoterIdentity) -> str:
    return key_hash(sorted(identity.keys)[0]) if identity.keys else ""


def _stored(choices: dict[int, int]) -> dict[str, int]:
    return {str(pid): points for pid, points in sorted(choices.items()) if points}


def _serial_lock(pb_round: Round, serial: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [pb_round.pk, serial])


def paper_ballot_enter(
    *,
    pb_round: Round,
    identity: VoterIdentity,
    choices: dict[int, int],
    area: Area | None,
    serial: str,
    actor,
) -> PaperOutcome:
    """Enter a paper ballot: cast at once, or, under the double-entry check, held or matched.

    Raises RuleViolation as `ballot_cast` does, and double_entry_same_person (the staff member
    entered this serial already), serial_flagged (the entries differ and wait for an admin),
    serial_discarded (an admin discarded this ballot).
    """
    serial = serial.strip()
    if not pb_round.paper_double_entry:
        result = ballot_cast(
            pb_round=pb_round, identity=identity, choices=choices, area=area, paper_serial=serial, actor=actor
        )
        return PaperOutcome(CAST, serial, result.receipt)
    if not serial:
        raise RuleViolation("serial_required")
    area = ballot_check(pb_round=pb_round, identity=identity, choices=choices, area=area)
    with transaction.atomic():
        _serial_lock(pb_round, serial)
        if Ballot.objects.filter(round=pb_round, paper_serial=serial).exists():
            raise RuleViolation("serial_taken")
        entry = PaperEntry.objects.filter(round=pb_round, serial=serial).first()
        if entry is None:
            if reason := register_problem(pb_round, identity, area):  # tell the first entrant at once
                raise RuleViolation(reason)
            return _first_entry(pb_round, identity, choices, area, serial, actor)
        if entry.status == PaperEntry.Status.DISCARDED:
            raise RuleViolation("serial_discarded")
        if entry.status == PaperEntry.Status.MISMATCH:
            raise RuleViolation("serial_flagged")
        if entry.entered_by_id == actor.pk:
            raise RuleViolation("double_entry_same_person")
        second = (_voter_hash(identity), area.pk if area else None, _stored(choices))
        if second != (entry.voter_hash, entry.area_id, entry.choices):
            return _mismatch(entry, second, actor)
        result = ballot_cast(
            pb_round=pb_round, identity=identity, choices=choices, area=area, paper_serial=serial, actor=actor
        )
        audit_record(
            actor=actor,
            action="paper_entry_confirm",
            obj=entry,
            new={"serial": serial, "first_by": entry.entered_by.get_username() if entry.entered_by else ""},
        )
        entry.delete()
        return PaperOutcome(CAST, serial, result.receipt)


def _first_entry(pb_round, identity, choices, area, serial, actor) -> PaperOutcome:
    entry = PaperEntry.objects.create(
        round=pb_round,
        serial=serial,
        voter_hash=_voter_hash(identity),
        area=area,
        choices=_stored(choices),
        entered_by=actor,
        entered_at=timezone.now(),
    )
    audit_record(actor=actor, action="paper_entry_first", obj=entry, new={"serial": serial})
    return PaperOutcome(PENDING, serial)


def _mismatch(entry: PaperEntry, second: tuple, actor) -> PaperOutcome:
    entry.second_voter_hash, entry.second_area_id, entry.second_choices = second
    entry.second_by, entry.second_at = actor, timezone.now()
    entry.status = PaperEntry.Status.MISMATCH
    entry.save()
    audit_record(
        actor=actor,
        action="paper_entry_mismatch",
        obj=entry,
        new={"serial": entry.serial, "differs": entry.differences},
    )
    return PaperOutcome(MISMATCH, entry.serial)


@transaction.atomic
def paper_entry_clear(*, entry: PaperEntry, reason: str, actor) -> None:
    """Clear a waiting or mismatched entry so that two staff members can enter the ballot anew.

    Raises RuleViolation(resolution_reason_required) without a reason, entry_resolved once discarded."""
    entry = _entry_for_admin(entry, reason)
    audit_record(
        actor=actor,
        action="paper_entry_clear",
        obj=entry,
        old={"serial": entry.serial, "status": entry.status},
        new={"reason": reason.strip()},
    )
    entry.delete()


@transaction.atomic
def paper_entry_discard(*, entry: PaperEntry, reason: str, actor) -> PaperEntry:
    """Discard the ballot of a waiting or mismatched entry: it is not counted and its serial cannot
    be entered again. Forgets the voter and the choices; keeps the serial and the reason.

    Raises RuleViolation(resolution_reason_required) without a reason, entry_resolved once discarded."""
    entry = _entry_for_admin(entry, reason)
    old_status = entry.status
    entry.status = PaperEntry.Status.DISCARDED
    entry.voter_hash = entry.second_voter_hash = ""
    entry.choices, entry.second_choices = {}, None
    entry.area = entry.second_area = None
    entry.discard_reason = reason.strip()
    entry.save()
    audit_record(
        actor=actor,
        action="paper_entry_discard",
        obj=entry,
        old={"serial": entry.serial, "status": old_status},
        new={"reason": entry.discard_reason},
    )
    return entry


def _entry_for_admin(entry: PaperEntry, reason: str) -> PaperEntry:
    if not reason.strip():
        raise RuleViolation("resolution_reason_required")
    _serial_lock(entry.round, entry.serial)
    entry = PaperEntry.objects.filter(pk=entry.pk).select_related("round").first()
    if entry is None or entry.status == PaperEntry.Status.DISCARDED:
        raise RuleViolation("entry_resolved")
    return entry


@transaction.atomic
def paper_double_entry_set(*, pb_round: Round, is_on: bool, actor) -> Round:
    """Switch the double-entry check of paper ballots on or off for a round.

    Raises RuleViolation(paper_entries_waiting) when switching off while entries wait or differ:
    they would never be counted."""
    pb_round = Round.objects.select_for_update().get(pk=pb_round.pk)
    if pb_round.paper_double_entry == is_on:
        return pb_round
    open_entries = pb_round.paper_entries.exclude(status=PaperEntry.Status.DISCARDED)
    if not is_on and open_entries.exists():
        raise RuleViolation("paper_entries_waiting")
    pb_round.paper_double_entry = is_on
    pb_round.save(update_fields=["paper_double_entry"])
    audit_record(
        actor=actor, action="paper_double_entry_set", obj=pb_round, old={"on": not is_on}, new={"on": is_on}
    )
    return pb_round
