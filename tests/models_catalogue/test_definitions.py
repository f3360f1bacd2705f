"""Every registered process model is well-formed: checked automatically for each new model."""

import dataclasses

import pytest

from models_catalogue import registry
from models_catalogue.base import PHASE_LABELS, SETTING_LABELS, Action, Rules
from models_catalogue.presets import PRESETS
from models_catalogue.validation import settings_problems

MODELS = list(registry.CATALOGUE.values())


def test_the_catalogue_has_the_five_models_of_the_memo():
    assert list(registry.CATALOGUE) == [
        "koeln",
        "porto_alegre",
        "aarhus_hybrid",
        "local_council_pool",
        "open_pot",
    ]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.key)
def test_a_model_is_named_and_described_in_danish_and_english(model):
    for attribute in ("name", "description", "origin"):
        texts = getattr(model, attribute)
        assert texts["da"].strip() and texts["en"].strip() and texts["da"] != texts["en"]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.key)
def test_a_model_has_ordered_unique_phases_with_labels(model):
    kinds = [p.kind for p in model.phases]
    assert len(kinds) == len(set(kinds))
    assert all(kind in PHASE_LABELS for kind in kinds)
    assert all(p.default_days > 0 for p in model.phases)
    assert any(Action.PROPOSE in p.allows for p in model.phases)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.key)
def test_a_models_defaults_are_valid_settings(model):
    assert settings_problems(model, model.defaults()) == {}
    assert settings_problems(model, {}) == {}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.key)
def test_every_setting_has_a_label_and_a_default_inside_its_range(model):
    for setting in model.settings:
        assert setting.name in SETTING_LABELS
        if setting.default is None:
            assert setting.optional
            continue
        if setting.choices is not None:
            assert setting.default in setting.choices
        if setting.minimum is not None:
            assert setting.default >= setting.minimum
        if setting.maximum is not None:
            assert setting.default <= setting.maximum


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.key)
def test_a_phase_condition_names_a_boolean_rule(model):
    rules = model.rules
    for phase in model.phases:
        if phase.when:
            assert isinstance(getattr(rules, phase.when), bool)


def test_every_rule_has_a_label():
    assert {f.name for f in dataclasses.fields(Rules)} <= set(SETTING_LABELS)


@pytest.mark.parametrize("preset", PRESETS.values(), ids=lambda p: p.key)
def test_every_preset_is_valid_for_its_model(preset):
    assert settings_problems(registry.get(preset.process_model), preset.settings) == {}


def test_the_open_pot_has_no_per_project_cap_and_koeln_requires_themes():
    assert registry.get("open_pot").rules.project_cap is None
    assert registry.get("open_pot").setting("project_cap") is None
    assert registry.get("koeln").rules.themes_required is True
    assert registry.get("koeln").setting("themes_required") is None
