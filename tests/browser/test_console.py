"""The admin console in a real browser: voting-day staff log in and run the kiosk (the voter
fills in the ballot, gets a receipt, the kiosk returns for the next voter), and axe-core finds no
WCAG 2.1 A/AA violation on the console's pages, also with errors shown."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from rounds.console.roles import TENANT_ADMIN, VOTING_DAY
from rounds.models import Ballot
from rounds.services.proposals import proposal_submit
from tests.browser.citizen import open_page
from tests.browser.test_accessibility import axe_violations, violations_report
from tests.browser.world import World
from tests.rounds.console.conftest import make_staff
from tests.rounds.helpers import advance_to, new_round

pytestmark = pytest.mark.browser
PASSWORD = "console-test-password"
_runs = itertools.count()


@pytest.fixture
def voting_day(browser_world: World):
    """An unpublished in-person round with its vote open, and staff for it (fresh names per test)."""
    n = next(_runs)
    with tenant_context(browser_world.municipality):
        pb_round = new_round(
            "porto_alegre",
            {"delegates": False, "proposers": "everyone", "area_funding": "none", "online_voting": False,
             "in_person_voting": True, "pot": 100_000},
            slug=f"valgdag-konsol-{n}",
        )  # fmt: skip
        advance_to(pb_round, "ideas")
        for title, cost in (("Shelter i skoven", 40_000), ("Bålplads ved søen", 20_000)):
            proposal_submit(
                pb_round=pb_round, author=None, author_name="Ida", title=title, description="-", cost=cost
            )
        advance_to(pb_round, "voting")
        staff = {
            VOTING_DAY: make_staff(f"valgstyrer-{n}", [VOTING_DAY]).username,
            TENANT_ADMIN: make_staff(f"forvalter-{n}", [TENANT_ADMIN]).username,
        }
    connection.set_schema_to_public()
    return pb_round, staff


def _log_in(page, tenant_url, username: str) -> None:
    open_page(page, tenant_url("/admin-konsol/log-ind/"))
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(tenant_url("/admin-konsol/"))


def test_voting_day_staff_run_the_kiosk_for_two_voters(voting_day, page, tenant_url, browser_world):
    pb_round, staff = voting_day
    _log_in(page, tenant_url, staff[VOTING_DAY])
    page.get_by_role("link", name="Valgdag").click()
    page.locator(f"a[href='/admin-konsol/valgdag/{pb_round.slug}/kiosk/']").click()
    for name, born, project in (
        ("Anna Berg", "1980-05-01", "Shelter i skoven"),
        ("Bo Lund", "1991-11-30", "Bålplads ved søen"),
    ):
        page.get_by_label("Vælgerens fulde navn").fill(name)
        page.get_by_label("Vælgerens fødselsdato").fill(born)
        page.get_by_role("button", name="Åbn stemmesedlen for denne vælger").click()
        # The voter's screen: no console menu, no staff data, only the ballot.
        assert page.locator(".console-nav").count() == 0 and name not in page.content()
        page.get_by_label(project).check()
        page.get_by_role("button", name="Afgiv min stemme").click()
        receipt = page.locator("[role=status] strong").inner_text()
        with tenant_context(browser_world.municipality):
            assert Ballot.objects.filter(round=pb_round, receipt=receipt, channel="kiosk").exists()
        connection.set_schema_to_public()
        page.get_by_role("link", name="Næste vælger").click()
        page.get_by_label("Vælgerens fulde navn").wait_for()
    # Back with the browser's history: the last voter is forgotten, the kiosk asks staff again.
    page.goto(tenant_url(f"/admin-konsol/valgdag/{pb_round.slug}/kiosk/stemmeseddel/"))
    assert page.url == tenant_url(f"/admin-konsol/valgdag/{pb_round.slug}/kiosk/")
    with tenant_context(browser_world.municipality):
        assert Ballot.objects.filter(round=pb_round).count() == 2
    connection.set_schema_to_public()


def test_the_console_pages_have_no_wcag_21_aa_violations(voting_day, kept_page, tenant_url, browser_world):
    pb_round, staff = voting_day
    page = kept_page("desktop", "da")
    checked = []

    def scan(label: str) -> None:
        violations = axe_violations(page)
        assert not violations, f"{label} {page.url}:{violations_report(violations)}"
        checked.append(label)

    open_page(page, tenant_url("/admin-konsol/log-ind/"))
    scan("login")
    page.context.add_cookies([{**browser_world.session_cookie(staff[TENANT_ADMIN]), "url": tenant_url()}])
    for label, path in (
        ("dashboard", "/admin-konsol/"),
        ("catalogue", "/admin-konsol/katalog/"),
        ("compare", "/admin-konsol/katalog/sammenlign/"),
        ("round", f"/admin-konsol/runder/{pb_round.slug}/"),
        ("participation", f"/admin-konsol/runder/{pb_round.slug}/deltagelse/"),
        ("paper entry", f"/admin-konsol/valgdag/{pb_round.slug}/"),
        ("audit", "/admin-konsol/log/"),
        ("moderation", "/admin-konsol/moderation/"),
        ("staff", "/admin-konsol/personale/"),
    ):
        open_page(page, tenant_url(path))
        scan(label)
    open_page(page, tenant_url("/admin-konsol/runder/ny/porto_alegre/"))
    page.get_by_label("Pulje (kr.)").fill("10")
    page.get_by_role("button", name="Opret runden").click()
    page.locator(".error-summary").wait_for()
    scan("round start with errors")
    open_page(page, tenant_url(f"/admin-konsol/valgdag/{pb_round.slug}/"))
    page.get_by_role("button", name="Registrér stemmesedlen").click()
    page.locator("[role=alert]").first.wait_for()
    scan("paper entry with errors")
    open_page(page, tenant_url(f"/admin-konsol/valgdag/{pb_round.slug}/kiosk/"))
    scan("kiosk start")
    assert len(checked) == 13
