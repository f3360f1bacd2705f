"""WCAG 2.1 A and AA: axe-core finds no violation on any citizen page type, in Danish and English,
on a desktop and on a phone. Pages with a state (a form with errors, the ballot, the receipt) are
reached the way a citizen reaches them. axe finds about half of WCAG's problems; the keyboard
test and manual review cover more."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from tests.browser.axe import axe_violations, violations_report
from tests.browser.citizen import code_from_mail, open_page, verify_with_voting_code
from tests.browser.conftest import LANGUAGES
from tests.browser.world import POSTCODE, World

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Visit:
    """A page type and how a citizen gets there: a path, or steps taken in the page."""

    name: str
    path: Callable[[World], str] | None = None
    steps: Callable | None = None  # steps(page, tenant_url, world)
    logged_in: bool = False


def _ballot(page, tenant_url, world: World) -> None:
    verify_with_voting_code(page, tenant_url, world.voting, world.voting_code())


def _ballot_over_budget(page, tenant_url, world: World) -> None:
    _ballot(page, tenant_url, world)
    for box in page.locator("input[name=choice]").all():
        box.check()
    page.locator("main form button[type=submit]").click()
    page.locator("[role=alert]").wait_for()


def _receipt(page, tenant_url, world: World) -> None:
    _ballot(page, tenant_url, world)
    page.locator("input[name=choice]").first.check()
    page.locator("main form button[type=submit]").click()
    page.locator(".receipt").wait_for()


def _vote_email_code_step(page, tenant_url, world: World, age: int = 40) -> str:
    address = f"axe-{age}@example.invalid"
    open_page(page, tenant_url(f"/stem/{world.voting}/email/"))
    page.locator("input[name=email]").fill(address)
    page.locator("input[name=age]").fill(str(age))
    page.locator("input[name=postcode]").fill(POSTCODE)
    page.locator("main form button[type=submit]").click()
    page.locator("input[name=code]").wait_for()
    return address


def _ballot_already_voted(page, tenant_url, world: World) -> None:
    """Verified by email code, which (unlike a voting code) lets the voter change the ballot."""
    address = _vote_email_code_step(page, tenant_url, world, age=41)
    page.locator("input[name=code]").fill(code_from_mail(address))
    page.locator("main form button[type=submit]").click()
    page.locator("input[name=choice]").first.check()
    page.locator("main form button[type=submit]").click()
    page.locator(".receipt").wait_for()
    open_page(page, tenant_url(f"/stem/{world.voting}/stemmeseddel/"))
    page.locator(".notice[role=status]").wait_for()


def _not_eligible(page, tenant_url, world: World) -> None:
    address = _vote_email_code_step(page, tenant_url, world, age=12)
    page.locator("input[name=code]").fill(code_from_mail(address))
    page.locator("main form button[type=submit]").click()
    page.locator("[role=alert][data-code=too_young]").wait_for()


def _vote_email_errors(page, tenant_url, world: World) -> None:
    open_page(page, tenant_url(f"/stem/{world.voting}/email/"))
    page.locator("main form button[type=submit]").click()
    page.locator("[role=alert]").first.wait_for()


def _login_code_step(page, tenant_url, world: World) -> None:
    open_page(page, tenant_url("/log-ind/"))
    page.locator("input[name=email]").fill("axe-login@example.invalid")
    page.locator("main form button[type=submit]").click()
    page.locator("input[name=code]").wait_for()
    assert code_from_mail("axe-login@example.invalid")


def _evaluation_errors(page, tenant_url, world: World) -> None:
    open_page(page, tenant_url(f"/runder/{world.finished}/evaluering/"))
    page.locator("main form button[type=submit]").click()
    page.locator("[role=alert]").first.wait_for()


def _meetings_errors(page, tenant_url, world: World) -> None:
    open_page(page, tenant_url(f"/runder/{world.meetings}/moeder/"))
    page.locator("main form button[type=submit]").first.click()
    page.locator("[role=alert]").first.wait_for()


def _proposal_form_errors(page, tenant_url, world: World) -> None:
    open_page(page, tenant_url(f"/runder/{world.meetings}/forslag/nyt/"))
    page.locator("main form button[name=submit]").click()
    page.locator("[role=alert]").first.wait_for()


VISITS = (
    Visit("front-page", path=lambda w: "/"),
    Visit("round", path=lambda w: f"/runder/{w.voting}/"),
    Visit("round-finished", path=lambda w: f"/runder/{w.finished}/"),
    Visit("proposal", path=lambda w: f"/forslag/{w.proposal('Shelter ved Søndermarken')}/"),
    Visit("proposal-decided", path=lambda w: f"/forslag/{w.proposal('Nye bænke ved legepladsen')}/"),
    Visit(
        "proposal-to-support",
        path=lambda w: f"/forslag/{w.proposal('Gratis koncerter i parken')}/",
        logged_in=True,
    ),
    Visit("proposal-list", path=lambda w: f"/runder/{w.ideas}/forslag/"),
    Visit("proposal-form", path=lambda w: f"/runder/{w.meetings}/forslag/nyt/", logged_in=True),
    Visit("proposal-form-errors", steps=_proposal_form_errors, logged_in=True),
    Visit("meetings", path=lambda w: f"/runder/{w.meetings}/moeder/"),
    Visit("meetings-errors", steps=_meetings_errors),
    Visit("vote-start", path=lambda w: f"/stem/{w.voting}/"),
    Visit("vote-code", path=lambda w: f"/stem/{w.voting}/kode/"),
    Visit("vote-email", path=lambda w: f"/stem/{w.voting}/email/"),
    Visit("vote-email-errors", steps=_vote_email_errors),
    Visit("vote-email-code", steps=_vote_email_code_step),
    Visit("ballot", steps=_ballot),
    Visit("ballot-over-budget", steps=_ballot_over_budget),
    Visit("receipt", steps=_receipt),
    Visit("ballot-already-voted", steps=_ballot_already_voted),
    Visit("not-eligible", steps=_not_eligible),
    Visit("receipt-list", path=lambda w: f"/runder/{w.voting}/kvitteringer/"),
    Visit("results", path=lambda w: f"/runder/{w.finished}/resultater/"),
    Visit("result-certificate", path=lambda w: f"/runder/{w.finished}/certifikat/"),
    Visit("accountability", path=lambda w: f"/runder/{w.finished}/ansvarlighed/"),
    Visit("evaluation", path=lambda w: f"/runder/{w.finished}/evaluering/"),
    Visit("evaluation-errors", steps=_evaluation_errors),
    Visit("login", path=lambda w: "/log-ind/"),
    Visit("login-code", steps=_login_code_step),
    Visit("accessibility-statement", path=lambda w: "/tilgaengelighedserklaering/"),
)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("visit", VISITS, ids=[v.name for v in VISITS])
def test_the_page_has_no_wcag_21_aa_violations(
    visit, language, viewport, kept_page, tenant_url, browser_world
):
    page = kept_page(viewport, language)
    _visit(page, visit, tenant_url, browser_world)
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1, "a page has one main heading"
    violations = axe_violations(page)
    assert not violations, f"{page.url}:{violations_report(violations)}"
    _assert_no_sideways_scrolling(page)


def _visit(page, visit: Visit, tenant_url, world: World) -> None:
    if visit.logged_in:
        page.context.add_cookies([{**world.session_cookie(), "url": tenant_url()}])
    if visit.path is not None:
        open_page(page, tenant_url(visit.path(world)))
    else:
        visit.steps(page, tenant_url, world)


def _assert_no_sideways_scrolling(page) -> None:
    """Reflow (WCAG 1.4.10), which axe does not check: nothing is wider than the screen."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    width = page.viewport_size["width"]
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at {width} CSS px"


@pytest.mark.parametrize("visit", VISITS, ids=[v.name for v in VISITS])
def test_the_page_reflows_at_320_css_pixels(visit, kept_page, tenant_url, browser_world):
    page = kept_page("narrow", "da")  # Danish: the longer words
    _visit(page, visit, tenant_url, browser_world)
    _assert_no_sideways_scrolling(page)
