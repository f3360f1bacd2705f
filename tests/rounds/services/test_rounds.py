"""Rounds and phases: creation from the catalogue, manual advancing in order, and the clock."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from rounds.models import AuditEntry, Phase
from rounds.rules import RuleViolation
from rounds.services.rounds import phases_advance_due, round_advance_phase, round_create_from_preset
from rounds.tasks import phases_advance_due_everywhere
from tests.rounds.helpers import CPH, START, advance_to, new_round, staff


def test_a_round_gets_the_models_phases_in_order_with_default_durations(aarhus):
    pb_round = new_round("open_pot")
    phases = list(pb_round.phases.all())
    assert [p.kind for p in phases] == [
        "inform",
        "ideas",
        "assessment",
        "voting",
        "results",
        "implementation",
        "evaluation",
    ]
    assert phases[0].starts_at == START
    assert phases[1].starts_at == phases[0].ends_at == START + dt.timedelta(days=7)
    assert all(p.state == "pending" for p in phases)


def test_phases_that_a_setting_turns_off_are_left_out(aarhus):
    with_delegates = new_round("porto_alegre")
    without = new_round("porto_alegre", {"delegates": False, "proposers": "everyone", "evaluation": False})
    assert "delegates" in with_delegates.phases.values_list("kind", flat=True)
    assert not without.phases.filter(kind__in=["delegates", "evaluation"]).exists()


def test_invalid_settings_create_nothing(aarhus):
    with pytest.raises(ValidationError) as excinfo:
        new_round("koeln", {"pot": -1, "favourites_per_theme": 500}, slug="ugyldig")
    assert set(excinfo.value.message_dict) == {"pot", "favourites_per_theme"}
    from rounds.models import Round

    assert not Round.objects.filter(slug="ugyldig").exists()


def test_phase_transitions_out_of_order_are_refused(aarhus):
    pb_round = new_round("open_pot")
    with pytest.raises(RuleViolation) as excinfo:
        round_advance_phase(pb_round=pb_round, to="voting")
    assert excinfo.value.code == "phase_out_of_order"
    assert round_advance_phase(pb_round=pb_round, to="inform").kind == "inform"
    with pytest.raises(RuleViolation) as excinfo:
        round_advance_phase(pb_round=pb_round, to="assessment")
    assert excinfo.value.code == "phase_out_of_order"
    assert pb_round.phases.get(state="open").kind == "inform"


def test_a_gate_keeps_the_phase_closed_with_its_reason(aarhus):
    pb_round = new_round("open_pot")
    advance_to(pb_round, "ideas")
    with pytest.raises(RuleViolation) as excinfo:
        round_advance_phase(pb_round=pb_round, to="assessment")
    assert excinfo.value.code == "no_proposals"
    assert str(excinfo.value) == "Der er ingen forslag at gå videre med."
    assert pb_round.phases.get(state="open").kind == "ideas"


def test_the_last_phase_has_no_next(aarhus):
    pb_round = new_round("koeln", {"statements": False})
    pb_round.phases.update(state="closed")
    with pytest.raises(RuleViolation) as excinfo:
        round_advance_phase(pb_round=pb_round)
    assert excinfo.value.code == "round_finished"


def test_advancing_by_hand_is_audited_with_who_and_old_and_new_state(aarhus):
    pb_round = new_round("koeln")
    worker = staff("borgerservice")
    round_advance_phase(pb_round=pb_round, actor=worker)
    entry = AuditEntry.objects.filter(action="phase_open").get()
    assert (entry.actor, entry.old_value, entry.new_value) == (worker, "pending", "open")
    assert entry.object_type == "phase"


def test_phases_open_and_close_at_their_scheduled_minute(aarhus):
    pb_round = new_round("koeln")  # inform 14 days, ideas 28 days from START
    inform, ideas = pb_round.phases.all()[:2]
    with time_machine.travel(START - dt.timedelta(minutes=1)):
        assert phases_advance_due() == []
    with time_machine.travel(START):
        assert phases_advance_due() == [f"{pb_round.slug}: opened inform"]
        assert phases_advance_due() == []  # idempotent: running again changes nothing
    with time_machine.travel(ideas.starts_at - dt.timedelta(seconds=30)):
        assert phases_advance_due() == []
    with time_machine.travel(ideas.starts_at):
        assert phases_advance_due() == [f"{pb_round.slug}: opened ideas"]
    inform.refresh_from_db()
    assert inform.state == Phase.State.CLOSED
    assert pb_round.phases.get(state="open").kind == "ideas"


def test_the_clock_waits_at_a_gate_and_says_why(aarhus):
    pb_round = new_round("koeln")  # the favourites list needs proposals
    dialogue_end = pb_round.phases.get(kind="dialogue").ends_at
    with time_machine.travel(dialogue_end + dt.timedelta(hours=1)):
        report = phases_advance_due()
    slug = pb_round.slug
    assert report == [
        f"{slug}: opened inform", f"{slug}: opened ideas", f"{slug}: opened dialogue", f"{slug}: waiting (no_proposals)",
    ]  # fmt: skip
    assert pb_round.phases.get(state="open").kind == "dialogue"


def test_the_beat_task_advances_every_municipalitys_phases(aarhus, celery_eager):
    pb_round = new_round("koeln")
    with time_machine.travel(dt.datetime(2026, 9, 1, 9, 0, 30, tzinfo=CPH)):
        assert phases_advance_due_everywhere.delay().get() >= 2
    assert pb_round.phases.get(state="open").kind == "inform"


def test_a_preset_creates_kolding_braendkjaer_bestemmer(aarhus):
    pb_round = round_create_from_preset(preset_key="kolding_braendkjaer", starts_at=START, slug="braendkjaer")
    assert pb_round.title == "Brændkjær Bestemmer"
    assert (pb_round.rules.pot, pb_round.rules.project_cap) == (75_000, 15_000)
    assert pb_round.checklist_items.filter(kind="self_qualification").count() == 4
    assert pb_round.rules.in_person_voting and not pb_round.rules.online_voting
