"""The catalogue listed and compared side by side, for the admin console and the API."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from models_catalogue import registry
from models_catalogue.base import PHASE_LABELS, SETTING_LABELS, ProcessModel, Rules, Setting


@dataclass(frozen=True)
class ModelSummary:
    key: str
    name: str
    description: str
    origin: str
    phases: list[dict[str, Any]]
    settings: list[dict[str, Any]]


def _language(language: str | None) -> str:
    return (language or get_language() or "da")[:2]


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, StrEnum) else value


def setting_describe(setting: Setting) -> dict[str, Any]:
    return {
        "name": setting.name,
        "label": str(SETTING_LABELS[setting.name]),
        "default": _plain(setting.default),
        "minimum": setting.minimum,
        "maximum": setting.maximum,
        "choices": [_plain(c) for c in setting.choices] if setting.choices is not None else None,
        "optional": setting.optional,
    }


def model_summary(model: ProcessModel, language: str | None = None) -> ModelSummary:
    lang = _language(language)
    return ModelSummary(
        key=model.key,
        name=model.text("name", lang),
        description=model.text("description", lang),
        origin=model.text("origin", lang),
        phases=[
            {
                "kind": str(spec.kind),
                "label": str(PHASE_LABELS[spec.kind]),
                "default_days": spec.default_days,
                "only_when": spec.when,
            }
            for spec in model.phases
        ],
        settings=[setting_describe(s) for s in model.settings],
    )


def catalogue_list(language: str | None = None) -> list[ModelSummary]:
    return [model_summary(model, language) for model in registry.CATALOGUE.values()]


def _cell(model: ProcessModel, name: str) -> str:
    setting = model.setting(name)
    value = getattr(model.rules, name) if setting is None else setting.default
    shown = _("none") if value is None else str(_plain(value))
    if setting is None:
        return _("%(value)s (fixed)") % {"value": shown}
    if setting.choices is not None:
        options = " / ".join(str(_plain(c)) for c in setting.choices)
        return _("%(value)s (choose: %(options)s)") % {"value": shown, "options": options}
    low = "" if setting.minimum is None else setting.minimum
    high = "" if setting.maximum is None else setting.maximum
    return _("%(value)s (range %(low)s–%(high)s)") % {"value": shown, "low": low, "high": high}


def catalogue_compare(keys: list[str] | None = None, language: str | None = None) -> dict[str, Any]:
    """A table: one column per model, one row for the phases and one per rule."""
    lang = _language(language)
    models = [registry.get(k) for k in (keys or list(registry.CATALOGUE))]
    rows = [
        {
            "name": "phases",
            "label": _("Phases"),
            "values": [" → ".join(str(PHASE_LABELS[p.kind]) for p in m.phases) for m in models],
        }
    ]
    for field in dataclasses.fields(Rules):
        rows.append(
            {
                "name": field.name,
                "label": str(SETTING_LABELS[field.name]),
                "values": [_cell(m, field.name) for m in models],
            }
        )
    return {"models": [{"key": m.key, "name": m.text("name", lang)} for m in models], "rows": rows}
