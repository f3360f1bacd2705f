"""The whole ballot with the keyboard alone (Tab, Space, Enter): from the voting code to the
receipt, with a visible focus at every stop, and form errors that are announced."""

from __future__ import annotations

import re

import pytest

from tests.browser.citizen import open_page
from tests.browser.world import World

pytestmark = pytest.mark.browser

FOCUSED = """() => {
  const e = document.activeElement;
  return {
    tag: e.tagName.toLowerCase(), id: e.id, name: e.getAttribute("name"), type: e.getAttribute("type"),
    text: (e.innerText || "").trim().slice(0, 80), checked: !!e.checked,
    outline: getComputedStyle(e).outlineStyle, describedby: e.getAttribute("aria-describedby") || "",
  };
}"""


def _focused(page) -> dict:
    return page.evaluate(FOCUSED)


def _tab_to(page, wanted, limit: int = 60, trail: list | None = None) -> dict:
    """Press Tab until the focused element satisfies `wanted`; every stop must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = _focused(page)
        assert element["tag"] != "body", "focus fell out of the page"
        assert element["outline"] != "none", f"no visible focus on {element}"
        if trail is not None:
            trail.append(element)
        if wanted(element):
            return element
    raise AssertionError(f"Tab never reached the element; stops: {trail}")


def _checkbox(element: dict) -> bool:
    return element["tag"] == "input" and element["type"] == "checkbox"


def _submit(element: dict) -> bool:
    return element["tag"] == "button" and element["type"] == "submit" and element["name"] != "language"


def _enter_voting_code(page, tenant_url, world: World, code: str) -> None:
    open_page(page, tenant_url(f"/stem/{world.voting}/kode/"))
    _tab_to(page, lambda e: e["name"] == "code")
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def _costs(page) -> list[int]:
    return [
        int(c) for c in page.locator("input[name=choice]").evaluate_all("els => els.map(e => e.dataset.cost)")
    ]


def test_the_skip_link_is_the_first_stop_and_leads_to_the_content(page, tenant_url, browser_world):
    open_page(page, tenant_url(f"/runder/{browser_world.voting}/"))
    first = _tab_to(page, lambda e: True)
    assert first["tag"] == "a" and page.locator(".skip-link").is_visible(), first
    page.keyboard.press("Enter")
    after = _tab_to(page, lambda e: True)
    inside_main = page.evaluate("() => document.querySelector('main').contains(document.activeElement)")
    assert inside_main, f"after the skip link, Tab went to {after}"


def test_a_wrong_voting_code_is_announced_next_to_the_field(page, tenant_url, browser_world):
    _enter_voting_code(page, tenant_url, browser_world, "AAAA-AAAA-AAAA-AAAA")
    alert = page.locator("[role=alert]")
    alert.wait_for()
    assert alert.inner_text().strip()
    field = _focused(page)
    alert_id = alert.get_attribute("id")
    assert field["name"] == "code", f"focus should return to the code field, is on {field}"
    assert alert_id and alert_id in field["describedby"].split()
    assert page.locator("input[name=code]").get_attribute("aria-invalid") == "true"


def test_the_whole_ballot_can_be_filled_and_cast_with_the_keyboard(page, tenant_url, browser_world):
    _enter_voting_code(page, tenant_url, browser_world, browser_world.voting_code())
    page.wait_for_url(tenant_url(f"/stem/{browser_world.voting}/stemmeseddel/"))
    costs = _costs(page)
    limit = int(page.locator("form[data-ballot]").get_attribute("data-limit"))
    assert sum(costs) > limit, "the seeded ballot must allow an over-budget choice"

    # Everything at once is over budget: the server refuses, and says so where it is heard.
    for _ in costs:
        _tab_to(page, _checkbox)
        page.keyboard.press("Space")
    assert page.locator("input[name=choice]:checked").count() == len(costs)
    meter = page.locator("#ballot-meter")
    assert (
        meter.get_attribute("aria-live") == "polite"
        and f"{sum(costs):,}".replace(",", ".") in meter.inner_text()
    )
    _tab_to(page, _submit)
    page.keyboard.press("Enter")
    alert = page.locator("[role=alert]")
    alert.wait_for()
    alert_id = alert.get_attribute("id")
    described = page.locator(f"[aria-describedby~='{alert_id}']").count()
    focus_in_alert = page.evaluate(
        "id => document.getElementById(id).contains(document.activeElement)", alert_id
    )
    assert described or focus_in_alert, "the error is neither focused nor named by aria-describedby"
    assert page.locator("input[name=choice]:checked").count() == len(costs), "the choices were kept"

    # Untick from the most expensive until the choice fits, then cast the vote with Enter.
    keep = sorted(range(len(costs)), key=lambda i: costs[i])
    while sum(costs[i] for i in keep) > limit:
        keep.pop()
    for i, _ in enumerate(costs):
        box = _tab_to(page, _checkbox)
        if (i in keep) != box["checked"]:
            page.keyboard.press("Space")
    chosen = page.locator("input[name=choice]:checked").evaluate_all("els => els.map(e => +e.dataset.cost)")
    assert sorted(chosen) == sorted(costs[i] for i in keep)
    _tab_to(page, _submit)
    page.keyboard.press("Enter")

    receipt = page.locator(".receipt")
    receipt.wait_for()
    code = receipt.inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code), code
    _tab_to(
        page, lambda e: e["tag"] == "a" and "/kvitteringer/" in page.evaluate("document.activeElement.href")
    )
    page.keyboard.press("Enter")
    page.wait_for_url(tenant_url(f"/runder/{browser_world.voting}/kvitteringer/"))
    assert code in page.locator("main").inner_text()
