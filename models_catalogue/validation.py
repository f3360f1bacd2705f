"""Validate a municipality's settings for a round against its process model.

Every violation is reported at once, by setting name, in the active language.
"""

from __future__ import annotations

import dataclasses
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from models_catalogue.base import SETTING_LABELS, ProcessModel, Rules

_FIELD_TYPES = {f.name: f.type for f in dataclasses.fields(Rules)}
_ENUMS = {f.name: type(f.default) for f in dataclasses.fields(Rules) if isinstance(f.default, StrEnum)}


def setting_label(name: str) -> str:
    return str(SETTING_LABELS.get(name, name))


def _coerce(name: str, value: Any) -> Any:
    """Turn form or JSON input into the rule's type; raise ValueError when it cannot be."""
    if value is None or value == "":
        return None
    field_type = _FIELD_TYPES[name]
    if name in _ENUMS:
        return _ENUMS[name](value)
    if "bool" in field_type:
        if isinstance(value, bool):
            return value
        lowered = str(value).strip().lower()
        if lowered in {"true", "1", "on", "yes", "ja"}:
            return True
        if lowered in {"false", "0", "off", "no", "nej"}:
            return False
        raise ValueError
    if "int" in field_type:
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValueError
        return int(str(value).replace(".", "").replace(" ", "")) if isinstance(value, str) else int(value)
    return value


def settings_problems(model: ProcessModel, values: dict[str, Any]) -> dict[str, list[str]]:
    """Every problem with `values` (a partial dict of rule overrides) for `model`; empty when valid."""
    problems: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        problems.setdefault(name, []).append(message)

    coerced: dict[str, Any] = {}
    for name, raw in values.items():
        if name not in _FIELD_TYPES:
            add(name, _("There is no setting called “%(name)s”.") % {"name": name})
            continue
        label = setting_label(name)
        try:
            value = _coerce(name, raw)
        except (ValueError, TypeError):
            add(name, _("%(label)s: “%(value)s” is not a valid value.") % {"label": label, "value": raw})
            continue
        setting = model.setting(name)
        if setting is None:
            if value != getattr(model.rules, name):
                add(
                    name,
                    _("%(label)s cannot be changed in the model %(model)s.")
                    % {"label": label, "model": model.text("name", "da")},
                )
            continue
        if value is None:
            if not setting.optional:
                add(name, _("%(label)s is required.") % {"label": label})
            continue
        if setting.choices is not None and value not in setting.choices:
            allowed = ", ".join(str(c) for c in setting.choices)
            add(name, _("%(label)s must be one of: %(allowed)s.") % {"label": label, "allowed": allowed})
        if setting.minimum is not None and isinstance(value, int) and value < setting.minimum:
            add(
                name,
                _("%(label)s must be at least %(minimum)s.") % {"label": label, "minimum": setting.minimum},
            )
        if setting.maximum is not None and isinstance(value, int) and value > setting.maximum:
            add(
                name,
                _("%(label)s must be at most %(maximum)s.") % {"label": label, "maximum": setting.maximum},
            )
        if name not in problems:
            coerced[name] = value
    # Cross-field rules run on the values that passed, so every violation is reported at once.
    _cross_field_problems(dataclasses.replace(model.rules, **_merged(model, coerced)), add)
    return problems


def _merged(model: ProcessModel, coerced: dict[str, Any]) -> dict[str, Any]:
    values = {s.name: s.default for s in model.settings}
    values.update(coerced)
    return values


def _cross_field_problems(rules: Rules, add) -> None:
    if rules.project_cap is not None and rules.project_cap > rules.pot:
        add("project_cap", _("The per-project cap cannot be larger than the pot."))
    if rules.project_cap is not None and rules.min_project_cost > rules.project_cap:
        add("min_project_cost", _("The minimum project cost cannot be larger than the per-project cap."))
    if rules.min_project_cost > rules.pot:
        add("min_project_cost", _("The minimum project cost cannot be larger than the pot."))
    if rules.approval_max is not None and rules.approval_min > rules.approval_max:
        add("approval_min", _("Voters cannot be required to choose more projects than they may choose."))
    if rules.cumulative_max_per_project > rules.cumulative_points:
        add(
            "cumulative_max_per_project",
            _("The points allowed on one project cannot exceed the points a voter has."),
        )
    if rules.has_vote and not (rules.online_voting or rules.in_person_voting):
        add("online_voting", _("A round with a vote needs at least one voting channel: online or in person."))
    if rules.proposers == "delegates" and not rules.delegates:
        add("proposers", _("“Only delegates propose” needs a round with delegates."))


def rules_from_settings(model: ProcessModel, values: dict[str, Any]) -> Rules:
    """The effective rules of a round; `values` must be valid (see settings_problems)."""
    coerced = {name: _coerce(name, raw) for name, raw in values.items()}
    return dataclasses.replace(model.rules, **_merged(model, coerced))


def settings_normalised(model: ProcessModel, values: dict[str, Any]) -> dict[str, Any]:
    """Valid settings as JSON-ready values (enums as strings), every tunable setting present."""
    rules = rules_from_settings(model, values)
    return {s.name: _plain(getattr(rules, s.name)) for s in model.settings}


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, StrEnum) else value
