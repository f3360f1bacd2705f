"""Paper ballots under the double-entry check: two different staff members enter each ballot; it is
cast when they agree, flagged (and not counted) when they differ; the same person cannot confirm
their own entry; concurrent entries of one serial cast it once."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django_tenants.utils import tenant_context

from rounds.eligibility import identity_checked_by_staff
from rounds.models import AuditEntry, Ballot, BallotChoice, PaperEntry, Round, Voter, VoterKey
from rounds.rules import RuleViolation
from rounds.services.paper import (
    CAST,
    MISMATCH,
    PENDING,
    paper_ballot_enter,
    paper_double_entry_set,
    paper_entry_clear,
    paper_entry_discard,
)
from tenants.models import Municipality
from tests.rounds.helpers import staff
from tests.rounds.services.test_ballots import voting_round
from tests.rounds.threads import run_together

ANNA = ("Anna Berg", dt.date(1980, 5, 1))
IN_PERSON = {"online_voting": False, "in_person_voting": True, "ballot": "knapsack"}


def _round():
    pb_round, ids = voting_round(IN_PERSON)
    pb_round = paper_double_entry_set(pb_round=pb_round, is_on=True, actor=None)
    return pb_round, ids


def _enter(pb_round, actor, choices, serial="P-1", voter=ANNA):
    identity = identity_checked_by_staff(name=voter[0], birth_date=voter[1], channel="paper")
    return paper_ballot_enter(
        pb_round=pb_round, identity=identity, choices=choices, area=None, serial=serial, actor=actor
    )


def test_a_first_entry_waits_and_a_matching_second_entry_casts_the_ballot(aarhus):
    pb_round, ids = _round()
    first, second = staff("a"), staff("b")
    assert _enter(pb_round, first, {ids[0]: 1, ids[1]: 1}).status == PENDING
    assert not Ballot.objects.exists() and not Voter.objects.exists()
    assert PaperEntry.objects.get().status == "pending"
    # The second staff member types the name differently; the register's key is the same person.
    outcome = _enter(pb_round, second, {ids[1]: 1, ids[0]: 1}, voter=(" anna  BERG", ANNA[1]))
    assert outcome.status == CAST and outcome.receipt
    ballot = Ballot.objects.get(round=pb_round)
    assert ballot.paper_serial == "P-1" and ballot.channel == "paper"
    assert set(BallotChoice.objects.values_list("proposal_id", flat=True)) == {ids[0], ids[1]}
    assert not PaperEntry.objects.exists() and Voter.objects.count() == 1
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "actor"))
    assert ("paper_entry_first", first.pk) in actions and ("paper_entry_confirm", second.pk) in actions
    # The serial is spent, and the person has voted.
    with pytest.raises(RuleViolation) as taken:
        _enter(pb_round, staff("c"), {ids[0]: 1})
    assert taken.value.code == "serial_taken"
    with pytest.raises(RuleViolation) as voted:
        _enter(pb_round, staff("c"), {ids[0]: 1}, serial="P-2")
    assert voted.value.code == "already_voted"


@pytest.mark.parametrize(
    ("second", "differs"),
    [
        ({"choices": {0: 1}}, ["choices"]),
        ({"voter": ("Anna Berg", dt.date(1980, 5, 2))}, ["voter"]),
    ],
)
def test_differing_entries_flag_the_serial_and_count_nothing(second, differs, aarhus):
    pb_round, ids = _round()
    _enter(pb_round, staff("a"), {ids[0]: 1, ids[1]: 1})
    choices = {ids[k]: v for k, v in second.get("choices", {0: 1, 1: 1}).items()}
    outcome = _enter(pb_round, staff("b"), choices, voter=second.get("voter", ANNA))
    assert outcome.status == MISMATCH
    entry = PaperEntry.objects.get()
    assert entry.status == "mismatch" and entry.differences == differs
    assert not Ballot.objects.exists() and not Voter.objects.exists()
    # A third entry waits for the admin.
    with pytest.raises(RuleViolation) as flagged:
        _enter(pb_round, staff("c"), {ids[0]: 1, ids[1]: 1})
    assert flagged.value.code == "serial_flagged"


def test_the_same_person_cannot_confirm_their_own_entry(aarhus):
    pb_round, ids = _round()
    clerk = staff("a")
    _enter(pb_round, clerk, {ids[0]: 1})
    with pytest.raises(RuleViolation) as refused:
        _enter(pb_round, clerk, {ids[0]: 1})
    assert refused.value.code == "double_entry_same_person"
    assert not Ballot.objects.exists() and PaperEntry.objects.get().status == "pending"


def test_an_invalid_first_entry_is_refused_at_once(aarhus):
    pb_round, ids = _round()
    with pytest.raises(RuleViolation) as young:
        _enter(pb_round, staff("a"), {ids[0]: 1}, voter=("Lille Ida", dt.date(2020, 1, 1)))
    with pytest.raises(RuleViolation) as over:
        _enter(pb_round, staff("a"), {ids[0]: 1, ids[1]: 1, ids[2]: 1})  # 120.000 kr. > 100.000 kr.
    assert (young.value.code, over.value.code) == ("too_young", "over_budget")
    assert not PaperEntry.objects.exists()


def test_an_admin_clears_a_mismatch_for_re_entry_or_discards_it_with_a_reason(aarhus):
    pb_round, ids = _round()
    admin = staff("admin")
    for serial in ("P-1", "P-2"):
        _enter(pb_round, staff("a"), {ids[0]: 1}, serial=serial, voter=(f"Vælger {serial}", ANNA[1]))
        _enter(pb_round, staff("b"), {ids[1]: 1}, serial=serial, voter=(f"Vælger {serial}", ANNA[1]))
    cleared, discarded = PaperEntry.objects.order_by("serial")
    with pytest.raises(RuleViolation) as no_reason:
        paper_entry_clear(entry=cleared, reason=" ", actor=admin)
    assert no_reason.value.code == "resolution_reason_required"
    paper_entry_clear(entry=cleared, reason="Tastefejl; papiret viser Projekt 0", actor=admin)
    paper_entry_discard(entry=discarded, reason="Sedlen er ugyldig: to krydser slettet", actor=admin)
    # P-1 is entered again by two staff members and counts; P-2 never can.
    _enter(pb_round, staff("c"), {ids[0]: 1}, serial="P-1", voter=("Vælger P-1", ANNA[1]))
    assert (
        _enter(pb_round, staff("d"), {ids[0]: 1}, serial="P-1", voter=("Vælger P-1", ANNA[1])).status == CAST
    )
    with pytest.raises(RuleViolation) as gone:
        _enter(pb_round, staff("c"), {ids[1]: 1}, serial="P-2", voter=("Vælger P-2", ANNA[1]))
    assert gone.value.code == "serial_discarded"
    kept = PaperEntry.objects.get(serial="P-2")
    assert (kept.voter_hash, kept.choices, kept.second_choices) == ("", {}, None)
    assert Ballot.objects.count() == 1
    assert list(AuditEntry.objects.filter(actor=admin).values_list("action", flat=True).order_by("id")) == [
        "paper_entry_clear",
        "paper_entry_discard",
    ]


def test_double_entry_cannot_be_switched_off_while_entries_wait(aarhus):
    pb_round, ids = _round()
    _enter(pb_round, staff("a"), {ids[0]: 1})
    with pytest.raises(RuleViolation) as waiting:
        paper_double_entry_set(pb_round=pb_round, is_on=False, actor=None)
    assert waiting.value.code == "paper_entries_waiting"


def test_without_double_entry_a_paper_ballot_is_cast_at_once(aarhus):
    pb_round, ids = voting_round(IN_PERSON)
    assert _enter(pb_round, staff("a"), {ids[0]: 1}).status == CAST
    assert Ballot.objects.filter(paper_serial="P-1").exists() and not PaperEntry.objects.exists()


ENTRANTS = 12


def test_concurrent_entries_of_one_ballot_paper_cast_it_once(committed_db):
    """Twelve staff members enter the same ballot paper at the same moment: one entry waits, one
    confirms it, every other is told the serial is taken. Real threads, real commits."""
    kolding = Municipality.objects.get(schema_name="kolding")
    with tenant_context(kolding):
        first_audit = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        users = set(get_user_model().objects.values_list("id", flat=True))
        pb_round, ids = _round()
        clerks = [staff(f"samtidig{i}") for i in range(ENTRANTS)]
    outcomes = run_together(kolding, [lambda c=c: _enter(pb_round, c, {ids[0]: 1}).status for c in clerks])
    try:
        with tenant_context(kolding):
            assert sorted(outcomes) == sorted([PENDING, CAST] + ["serial_taken"] * (ENTRANTS - 2))
            assert Ballot.objects.filter(round=pb_round).count() == 1
            assert Voter.objects.filter(round=pb_round).count() == 1
            assert not PaperEntry.objects.filter(round=pb_round).exists()
    finally:
        with tenant_context(kolding):
            BallotChoice.objects.filter(ballot__round=pb_round).delete()
            Ballot.objects.filter(round=pb_round).delete()
            VoterKey.objects.filter(round=pb_round).delete()
            Voter.objects.filter(round=pb_round).delete()
            PaperEntry.objects.filter(round=pb_round).delete()
            Round.objects.filter(pk=pb_round.pk).delete()
            AuditEntry.objects.filter(id__gt=first_audit).delete()
            get_user_model().objects.exclude(id__in=users).delete()
        connection.set_schema_to_public()
