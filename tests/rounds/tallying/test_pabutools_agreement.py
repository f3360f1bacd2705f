"""Our engine against pabutools on every shared Pabulib file, for every variant pabutools computes.

Small files run pabutools live. For the others its outcomes come from fixtures/, which
regenerate_fixtures.py recomputes; a variant pabutools did not finish there within the time limit
(add-one completions on large files take pabutools hours) is skipped with that reason. Where such a
variant has an end game instead (pabutools' own add-one loop started a few steps before ours stops),
a test checks that ours stops at that step with pabutools' outcome.
"""

import json

import pytest

from rounds.tallying import tally
from tests.rounds.tallying.conftest import FIXTURES, PB_FILES, parsed
from tests.rounds.tallying.pabutools_oracle import VARIANTS, add_one_steps, pabutools_outcome

# Files and variants cheap enough to run pabutools during the test run (well under a second each).
LIVE = {
    "Netherlands_Assen_2024": ("greedy_votes", "mes_cost_none", "mes_cardinality_greedy"),
    "US_Stanford_Dataset_2022_Jersey_City_Ward_C_vote_knapsacks": tuple(VARIANTS),
    "Poland_Gdansk_2020_Olszynka": ("greedy_points", "mes_cost_greedy", "mes_cardinality_none"),
    "Switzerland_Zurich_D10": ("greedy_points", "mes_cost_none"),
}


def expected_outcome(stem: str, variant: str) -> list[str]:
    fixture = FIXTURES / f"{stem}.json"
    if not fixture.exists():
        pytest.skip(f"no pabutools fixture for {stem}: run regenerate_fixtures.py")
    data = json.loads(fixture.read_text())
    if variant not in data["outcomes"]:
        if variant in data.get("end_games", {}):
            pytest.skip(f"pabutools' whole loop is too slow on {stem}: its end game is checked instead")
        limit = data.get("timeouts", {}).get(variant)
        if limit is None:
            pytest.skip(f"no pabutools outcome of {variant} on {stem} yet: too slow to regenerate here")
        pytest.skip(f"pabutools did not finish {variant} on {stem} within {limit} s when regenerating")
    return data["outcomes"][variant]


def ours(path, variant: str) -> list[str]:
    method, options, _ = VARIANTS[variant]
    return list(tally(parsed(path)[1], method, options).selected)


CASES = [(p, v) for p in PB_FILES for v in VARIANTS]


@pytest.mark.parametrize(("path", "variant"), CASES, ids=[f"{p.stem}-{v}" for p, v in CASES])
def test_outcome_equals_the_recorded_pabutools_outcome(path, variant):
    expected = expected_outcome(path.stem, variant)
    got = ours(path, variant)
    if variant.startswith("greedy"):
        # pabutools lists greedy winners by density, which puts free projects first: same set.
        assert sorted(got) == sorted(expected)
    else:
        assert got == expected


def end_games() -> list:
    cases = []
    for path in PB_FILES:
        fixture = FIXTURES / f"{path.stem}.json"
        if fixture.exists():
            for variant, game in json.loads(fixture.read_text()).get("end_games", {}).items():
                cases.append(pytest.param(path, variant, game, id=f"{path.stem}-{variant}"))
    return cases


@pytest.mark.parametrize(("path", "variant", "game"), end_games())
def test_add_one_stops_where_pabutools_own_loop_stops_when_started_close_by(path, variant, game):
    # pabutools' iterated MES from game["from_step"] steps past budget / voters (its whole loop from
    # step 0 takes hours here) stopped with game["outcome"]; ours must stop at game["our_step"],
    # inside those steps, with the same outcome.
    election = parsed(path)[1]
    method, options, _ = VARIANTS[variant]
    result = tally(election, method, options)
    assert game["from_step"] <= game["our_step"]
    assert add_one_steps(election, result) == game["our_step"]
    assert list(result.selected) == game["outcome"]


LIVE_CASES = [(stem, v) for stem, variants in LIVE.items() for v in variants]


@pytest.mark.parametrize(("stem", "variant"), LIVE_CASES, ids=[f"{s}-{v}" for s, v in LIVE_CASES])
def test_outcome_equals_live_pabutools_on_small_files(stem, variant):
    from tests.rounds.tallying.conftest import pb_path

    path = pb_path(stem)
    expected = pabutools_outcome(str(path), variant)
    got = ours(path, variant)
    assert sorted(got) == sorted(expected) if variant.startswith("greedy") else got == expected
