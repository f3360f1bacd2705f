"""Small builders for round tests: citizens, rounds from the catalogue, phases advanced to a kind."""

import datetime as dt
import itertools
import zoneinfo

from django.contrib.auth import get_user_model

from rounds.models import Round
from rounds.services.rounds import round_advance_phase, round_create

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")
START = dt.datetime(2026, 9, 1, 9, 0, tzinfo=CPH)
_counter = itertools.count()


def citizen(name: str | None = None, email: str = ""):
    name = name or f"borger{next(_counter)}"
    return get_user_model().objects.create_user(name, email=email or f"{name}@example.invalid")


def staff(name: str = "sagsbehandler"):
    return get_user_model().objects.create_user(f"{name}{next(_counter)}", is_staff=True)


def new_round(process_model: str, settings: dict | None = None, **kwargs) -> Round:
    kwargs.setdefault("title", f"Runde {next(_counter)}")
    kwargs.setdefault("slug", f"runde-{next(_counter)}")
    return round_create(process_model=process_model, settings=settings or {}, starts_at=START, **kwargs)


def advance_to(pb_round: Round, kind: str, actor=None) -> None:
    """Advance phase by phase (through every guard) until `kind` is open."""
    for _ in range(20):
        current = pb_round.phases.filter(state="open").first()
        if current is not None and current.kind == kind:
            return
        round_advance_phase(pb_round=pb_round, actor=actor)
    raise AssertionError(f"{kind} never opened")
