"""Rounds and their phases: create from a process model, schedule, advance by hand or by the clock."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from models_catalogue import registry
from models_catalogue.base import Action
from models_catalogue.validation import rules_from_settings, settings_normalised, settings_problems
from rounds import rules
from rounds.models import Area, ChecklistItem, Phase, Round, Theme
from rounds.rules import RuleViolation
from rounds.services.audit import audit_record
from rounds.services.results import ballot_prepare


@transaction.atomic
def round_create(
    *,
    title: str,
    slug: str,
    process_model: str,
    settings: dict[str, Any],
    starts_at: dt.datetime,
    actor=None,
    summary: str = "",
    funding_source: str = "",
    themes: list[str] = (),
    areas: list[tuple[str, str, int | None]] = (),
    checklist: dict[str, list[str]] | None = None,
    phase_days: dict[str, int] | None = None,
) -> Round:
    """Create a round from a catalogue model with the municipality's settings, and schedule its phases.

    Raises ValidationError listing every invalid setting (by name) at once.
    """
    model = registry.get(process_model)
    if problems := settings_problems(model, settings):
        raise ValidationError(problems)
    pb_round = Round(
        title=title,
        slug=slug,
        summary=summary,
        process_model=process_model,
        settings=settings_normalised(model, settings),
        funding_source=funding_source,
    )
    pb_round.full_clean()
    pb_round.save()
    effective = rules_from_settings(model, settings)
    start = starts_at
    position = 0
    for spec in model.phases:
        if not spec.is_used(effective):
            continue
        days = (phase_days or {}).get(spec.kind, spec.default_days)
        Phase.objects.create(
            round=pb_round,
            kind=spec.kind,
            position=position,
            starts_at=start,
            ends_at=start + dt.timedelta(days=days),
        )
        start += dt.timedelta(days=days)
        position += 1
    Theme.objects.bulk_create(Theme(round=pb_round, name=name) for name in themes)
    Area.objects.bulk_create(Area(round=pb_round, name=n, kind=k, pot=pot) for n, k, pot in areas)
    for kind, texts in (checklist or {}).items():
        ChecklistItem.objects.bulk_create(
            ChecklistItem(round=pb_round, kind=kind, text=text, position=i) for i, text in enumerate(texts)
        )
    audit_record(actor=actor, action="round_create", obj=pb_round, new=pb_round.settings)
    return pb_round


# Rules that decide how ballots are cast and counted: they freeze with the first ballot.
BALLOT_RULES = frozenset({
    "pot", "project_cap", "min_project_cost", "ballot", "approval_min", "approval_max", "cumulative_points",
    "cumulative_max_per_project", "selection", "min_voting_age", "residence_required", "ballot_scope",
    "online_voting", "in_person_voting", "eid_verification", "code_verification", "email_verification",
    "ballot_changes_allowed", "in_person_replaces_online",
})  # fmt: skip


@transaction.atomic
def round_update_settings(*, pb_round: Round, settings: dict[str, Any], actor=None) -> Round:
    """Change a round's settings. Raises ValidationError listing every invalid setting, and
    RuleViolation("rules_frozen") when a ballot rule would change after the first ballot."""
    pb_round = _locked(pb_round)
    merged = {**pb_round.settings, **settings}
    if problems := settings_problems(pb_round.model, merged):
        raise ValidationError(problems)
    new = settings_normalised(pb_round.model, merged)
    changed = {k for k in new if new[k] != pb_round.settings.get(k)}
    if pb_round.rules_frozen_at and changed & BALLOT_RULES:
        raise RuleViolation("rules_frozen")
    old = pb_round.settings
    pb_round.settings = new
    pb_round.save(update_fields=["settings"])
    audit_record(actor=actor, action="round_update_settings", obj=pb_round, old=old, new=new)
    return pb_round


@transaction.atomic
def phase_schedule(*, phase: Phase, starts_at: dt.datetime, ends_at: dt.datetime, actor=None) -> Phase:
    """Move a phase's dates. Raises ValidationError when it would end before it starts."""
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "A phase must end after it starts."})
    old = {"starts_at": phase.starts_at.isoformat(), "ends_at": phase.ends_at.isoformat()}
    phase.starts_at, phase.ends_at = starts_at, ends_at
    phase.save(update_fields=["starts_at", "ends_at"])
    new = {"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()}
    audit_record(actor=actor, action="phase_schedule", obj=phase, old=old, new=new)
    return phase


def _locked(pb_round: Round) -> Round:
    return Round.objects.select_for_update().get(pk=pb_round.pk)


@transaction.atomic
def round_advance_phase(
    *, pb_round: Round, actor=None, to: str | None = None, now: dt.datetime | None = None
) -> Phase:
    """Close the open phase and open the next one in the model's order.

    `to` names the phase kind the caller expects to open (the console sends it), so a stale or
    repeated request cannot skip a phase. Raises RuleViolation when `to` is not the next phase,
    when there is no next phase, or when the next phase's gate is not met (e.g. every shortlisted
    proposal must be assessed before voting where the model requires it).
    """
    now = now or timezone.now()
    pb_round = _locked(pb_round)
    phases = list(pb_round.phases.order_by("position"))
    current = next((p for p in phases if p.state == Phase.State.OPEN), None)
    if current is None:
        following = next((p for p in phases if p.state == Phase.State.PENDING), None)
        if following is None:
            raise RuleViolation("round_finished")
        if to is not None and following.kind != to:
            raise RuleViolation("phase_out_of_order")
        return _open(pb_round, following, actor, now)
    following = next((p for p in phases if p.position > current.position), None)
    if following is None:
        raise RuleViolation("round_finished")
    if to is not None and following.kind != to:
        raise RuleViolation("phase_out_of_order")
    if reason := rules.opening_problem(pb_round, following):
        raise RuleViolation(reason)
    current.state, current.closed_at = Phase.State.CLOSED, now
    current.save(update_fields=["state", "closed_at"])
    audit_record(actor=actor, action="phase_close", obj=current, old="open", new="closed")
    return _open(pb_round, following, actor, now)


def _open(pb_round: Round, phase: Phase, actor, now: dt.datetime) -> Phase:
    if reason := rules.opening_problem(pb_round, phase):
        raise RuleViolation(reason)
    phase.state, phase.opened_at = Phase.State.OPEN, now
    phase.save(update_fields=["state", "opened_at"])
    audit_record(actor=actor, action="phase_open", obj=phase, old="pending", new="open")
    if Action.VOTE in rules.phase_spec(pb_round, phase).allows:
        ballot_prepare(pb_round=pb_round, actor=actor)
    return phase


@transaction.atomic
def round_close_last_phase(*, pb_round: Round, actor=None, now: dt.datetime | None = None) -> Phase:
    """Close the final phase: the round is over."""
    pb_round = _locked(pb_round)
    current = rules.current_phase(pb_round)
    if current is None or pb_round.phases.filter(position__gt=current.position).exists():
        raise RuleViolation("phase_out_of_order")
    current.state, current.closed_at = Phase.State.CLOSED, now or timezone.now()
    current.save(update_fields=["state", "closed_at"])
    audit_record(actor=actor, action="phase_close", obj=current, old="open", new="closed")
    return current


def phases_advance_due(*, now: dt.datetime | None = None) -> list[str]:
    """Open and close phases whose scheduled minute has come. Idempotent: safe to run every minute.

    A phase whose gate is not met stays closed and is retried on the next run; the reason is
    returned so the beat task can log it.
    """
    now = now or timezone.now()
    report = []
    for pb_round in Round.objects.filter(
        phases__state__in=[Phase.State.PENDING, Phase.State.OPEN]
    ).distinct():
        while True:
            with transaction.atomic():
                locked = _locked(pb_round)
                current = rules.current_phase(locked)
                if current is None:
                    due = locked.phases.filter(state=Phase.State.PENDING, starts_at__lte=now).order_by(
                        "position"
                    )
                    nothing_closed = not locked.phases.filter(state=Phase.State.CLOSED).exists()
                    if not (due.exists() and nothing_closed):
                        break
                elif current.ends_at > now:
                    break
                elif not locked.phases.filter(position__gt=current.position).exists():
                    round_close_last_phase(pb_round=locked, now=now)
                    report.append(f"{locked.slug}: closed {current.kind}")
                    break
                try:
                    opened = round_advance_phase(pb_round=locked, now=now)
                except RuleViolation as exc:
                    report.append(f"{locked.slug}: waiting ({exc.code})")
                    break
                report.append(f"{locked.slug}: opened {opened.kind}")
    return report


def round_create_from_preset(
    *, preset_key: str, starts_at: dt.datetime, slug: str, title: str | None = None, actor=None, **overrides
) -> Round:
    """Create a round from one of the catalogue's presets (e.g. Kolding's "Brændkjær Bestemmer")."""
    from models_catalogue.presets import PRESETS

    preset = PRESETS[preset_key]
    return round_create(
        title=title or preset.title,
        slug=slug,
        process_model=preset.process_model,
        settings={**preset.settings, **overrides},
        starts_at=starts_at,
        actor=actor,
        summary=preset.summary,
        funding_source=preset.funding_source,
        themes=list(preset.themes),
        areas=list(preset.areas),
        checklist={kind: list(items) for kind, items in preset.checklist.items()},
    )


@transaction.atomic
def round_eligible_residents_set(
    *, pb_round: Round, eligible: int | None, areas: dict[int, int | None], actor=None
) -> Round:
    """Set how many residents may vote, for the round and per area (None: not known), for turnout.

    Raises ValidationError for an area of another round."""
    if set(areas) - set(pb_round.areas.values_list("pk", flat=True)):
        raise ValidationError("an area of another round")
    old = {"round": pb_round.eligible_residents}
    new = {"round": eligible}
    pb_round.eligible_residents = eligible
    pb_round.save(update_fields=["eligible_residents"])
    for area in pb_round.areas.filter(pk__in=areas):
        old[area.name], new[area.name] = area.eligible_residents, areas[area.pk]
        area.eligible_residents = areas[area.pk]
        area.save(update_fields=["eligible_residents"])
    audit_record(actor=actor, action="round_eligible_residents_set", obj=pb_round, old=old, new=new)
    return pb_round
