"""A municipality's settings are validated against its model; every violation is listed at once."""

import pytest
from django.utils import translation

from models_catalogue import registry
from models_catalogue.validation import rules_from_settings, settings_problems

# For each model: settings with several violations, and the names that must all be reported.
INVALID = {
    "koeln": ({"pot": -5, "favourites_per_theme": 0, "themes_required": False, "ballot": "knapsack"},
              {"pot", "favourites_per_theme", "themes_required", "ballot"}),
    "porto_alegre": ({"pot": 10_000, "project_cap": 20_000, "approval_min": 4, "approval_max": 2, "min_voting_age": 30},
                     {"project_cap", "approval_min", "min_voting_age"}),
    "aarhus_hybrid": ({"binding": True, "selection": "greedy", "ballot": "cumulative", "supports": "many"},
                      {"binding", "selection", "ballot", "supports"}),
    "local_council_pool": ({"pot": 1_000, "area_funding": "none", "online_voting": False, "in_person_voting": False},
                           {"pot", "area_funding", "online_voting"}),
    "open_pot": ({"project_cap": 100_000, "pot": "fem hundrede", "colour": "red", "min_project_cost": 600_000},
                 {"project_cap", "pot", "colour", "min_project_cost"}),
}  # fmt: skip


@pytest.mark.parametrize("key", INVALID)
def test_invalid_settings_are_refused_with_every_error_listed(key):
    values, expected = INVALID[key]
    problems = settings_problems(registry.get(key), values)
    assert set(problems) == expected
    assert all(messages and all(isinstance(m, str) and m for m in messages) for messages in problems.values())


def test_messages_name_the_setting_in_danish_and_in_english():
    model = registry.get("porto_alegre")
    with translation.override("da"):
        assert settings_problems(model, {"min_voting_age": 30}) == {
            "min_voting_age": ["Valgretsalder må højst være 18."]
        }
    with translation.override("en"):
        assert settings_problems(model, {"min_voting_age": 30}) == {
            "min_voting_age": ["Minimum voting age must be at most 18."]
        }


def test_a_fixed_rule_of_the_model_cannot_be_changed():
    with translation.override("en"):
        problems = settings_problems(registry.get("open_pot"), {"project_cap": 100_000})
    assert problems == {
        "project_cap": ["Maximum per project (kr.) cannot be changed in the model Den åbne pulje."]
    }


def test_form_input_is_coerced_to_the_rules_types():
    model = registry.get("porto_alegre")
    values = {"pot": "75.000", "project_cap": "15000", "delegates": "false", "proposers": "everyone"}
    assert settings_problems(model, values) == {}
    rules = rules_from_settings(model, values)
    assert (rules.pot, rules.project_cap, rules.delegates) == (75_000, 15_000, False)


def test_cross_field_rules_are_checked_with_the_others():
    with translation.override("en"):
        problems = settings_problems(
            registry.get("porto_alegre"), {"pot": 15_000, "project_cap": 16_000, "min_voting_age": 99}
        )
    assert problems["project_cap"] == ["The per-project cap cannot be larger than the pot."]
    assert "min_voting_age" in problems
