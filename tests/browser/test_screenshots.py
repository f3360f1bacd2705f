"""Full-page screenshots of the main citizen pages, in Danish, for the README: docs/screenshots/.

Taken on every run, each must be a real picture of the page (the page answered, the expected
content is there) and small enough to keep in git. They are written to docs/screenshots/ only with
UPDATE_SCREENSHOTS=1 (`make screenshots`), so a test run leaves the working tree as it was (the
receipt's code is random)."""

from __future__ import annotations

import os
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser.citizen import open_page, verify_with_voting_code
from tests.browser.conftest import VIEWPORTS
from tests.browser.world import World

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
MAX_BYTES = 400_000


@dataclass(frozen=True)
class Shot:
    name: str
    viewport: str
    steps: Callable  # steps(page, tenant_url, world): bring the page into the state to show
    shows: str  # a CSS selector that must be on the page


def _path(path: Callable[[World], str]) -> Callable:
    return lambda page, tenant_url, world: open_page(page, tenant_url(path(world)))


def _ballot(page, tenant_url, world: World) -> None:
    verify_with_voting_code(page, tenant_url, world.voting, world.voting_code())
    boxes = page.locator("input[name=choice]")
    boxes.nth(0).check()
    boxes.nth(1).check()


def _receipt(page, tenant_url, world: World) -> None:
    _ballot(page, tenant_url, world)
    page.locator("main form button[type=submit]").click()
    page.locator(".receipt").wait_for()


def _results(page, tenant_url, world: World) -> None:
    open_page(page, tenant_url(f"/runder/{world.finished}/resultater/"))
    page.wait_for_function("() => window.Chart && Chart.getChart('results-chart')")


SHOTS = (
    Shot("front-page", "desktop", _path(lambda w: "/"), "h1"),
    Shot(
        "proposal-list",
        "desktop",
        _path(lambda w: f"/runder/{w.ideas}/forslag/"),
        "main a[href^='/forslag/']",
    ),
    Shot(
        "proposal",
        "desktop",
        _path(lambda w: f"/forslag/{w.proposal('Nye bænke ved legepladsen')}/"),
        ".chain",
    ),
    Shot("ballot", "desktop", _ballot, "input[name=choice]:checked"),
    Shot("receipt", "desktop", _receipt, ".receipt"),
    Shot("results", "desktop", _results, "table"),
    Shot("accountability", "desktop", _path(lambda w: f"/runder/{w.finished}/ansvarlighed/"), "main h2"),
    Shot("front-page-phone", "phone", _path(lambda w: "/"), "h1"),
    Shot("ballot-phone", "phone", _ballot, "input[name=choice]:checked"),
)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("shot", SHOTS, ids=[s.name for s in SHOTS])
def test_a_screenshot_of_the_page_is_saved_for_the_readme(
    shot, kept_page, tenant_url, browser_world, tmp_path
):
    page = kept_page(shot.viewport, "da")
    shot.steps(page, tenant_url, browser_world)
    assert page.locator(shot.shows).count() > 0, f"{page.url} does not show {shot.shows}"
    folder = SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{shot.name}.png"
    data = page.screenshot(path=str(target), full_page=True, animations="disabled", scale="css")
    viewport = VIEWPORTS[shot.viewport]
    width, height = _png_size(data)
    assert width == viewport["viewport"]["width"], "the page is wider than the screen"
    assert height >= viewport["viewport"]["height"]
    assert target.read_bytes() == data
    assert len(data) < MAX_BYTES, f"{target.name} is {len(data)} bytes; keep screenshots under {MAX_BYTES}"
