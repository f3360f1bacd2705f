"""Double entry of paper ballots in a real browser: two voting-day staff members, each in their own
browser, enter the same ballot papers. Agreeing entries count once; differing entries are flagged
and not counted, and the admin's page of flagged papers passes axe (WCAG 2.1 A/AA).

In English: the Danish catalogue is compiled by the lead (`make messages`), so the new strings
may not be in it yet."""

from __future__ import annotations

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from rounds.console.roles import VOTING_DAY
from rounds.models import Ballot, PaperEntry, Round
from rounds.services.paper import paper_double_entry_set
from tests.browser.axe import axe_violations, violations_report
from tests.browser.citizen import open_page
from tests.browser.test_console import voting_day  # noqa: F401 (the fixture)
from tests.rounds.console.conftest import make_staff

pytestmark = pytest.mark.browser


def _counts(world, pb_round) -> tuple[int, dict[str, str]]:
    with tenant_context(world.municipality):
        ballots = Ballot.objects.filter(round=pb_round, channel="paper").count()
        entries = dict(PaperEntry.objects.filter(round=pb_round).values_list("serial", "status"))
    connection.set_schema_to_public()
    return ballots, entries


def _staff_page(new_page, world, tenant_url, username: str):
    page = new_page("desktop", "en")
    page.context.add_cookies([{**world.session_cookie(username), "url": tenant_url()}])
    return page


def _enter(page, tenant_url, pb_round, serial: str, name: str, project: str) -> str:
    """Enter one ballot paper; the message the console shows afterwards."""
    open_page(page, tenant_url(f"/admin-konsol/valgdag/{pb_round.slug}/"))
    page.get_by_label("Serial number of the ballot paper").fill(serial)
    page.get_by_label("Voter's full name").fill(name)
    page.get_by_label("Voter's birth date").fill("1980-05-01")
    page.get_by_label(project).check()
    page.get_by_role("button", name="Enter the ballot").click()
    return page.locator(".messages").inner_text()


def test_two_staff_enter_the_same_ballots_match_counts_mismatch_is_flagged(
    voting_day,  # noqa: F811
    new_page,
    tenant_url,
    browser_world,
):
    pb_round, staff = voting_day
    with tenant_context(browser_world.municipality):
        paper_double_entry_set(pb_round=Round.objects.get(pk=pb_round.pk), is_on=True, actor=None)
        second_clerk = make_staff(f"{staff[VOTING_DAY]}-b", [VOTING_DAY]).username
    connection.set_schema_to_public()
    first = _staff_page(new_page, browser_world, tenant_url, staff[VOTING_DAY])
    second = _staff_page(new_page, browser_world, tenant_url, second_clerk)

    # The same ballot paper, entered alike by both: waits after the first entry, counts after the second.
    told = _enter(first, tenant_url, pb_round, "B-100", "Anna Berg", "Shelter i skoven")
    assert "entered once" in told
    assert _counts(browser_world, pb_round) == (0, {"B-100": "pending"})
    told = _enter(second, tenant_url, pb_round, "B-100", "Anna Berg", "Shelter i skoven")
    assert "entered and counted" in told
    assert _counts(browser_world, pb_round) == (1, {})

    # Another paper the second clerk reads differently: flagged, nothing counted.
    _enter(first, tenant_url, pb_round, "B-101", "Bo Lund", "Shelter i skoven")
    told = _enter(second, tenant_url, pb_round, "B-101", "Bo Lund", "Bålplads ved søen")
    assert "differs from the first entry" in told
    assert _counts(browser_world, pb_round) == (1, {"B-101": "mismatch"})

    # The live count keeps the flagged paper apart from the counted ballots.
    open_page(first, tenant_url(f"/admin-konsol/valgdag/{pb_round.slug}/optaelling/"))
    assert first.locator("#count-paper").inner_text() == "1"
    assert first.locator("#count-total").inner_text() == "1"
    assert first.locator("#count-mismatch").inner_text() == "1"
    assert first.locator("#count-pending").inner_text() == "0"

    # The admin's list of flagged papers shows both entries, and passes axe.
    admin = _staff_page(new_page, browser_world, tenant_url, staff["tenant_admin"])
    open_page(admin, tenant_url(f"/admin-konsol/valgdag/{pb_round.slug}/dobbelt-indtastning/"))
    flagged = admin.get_by_role("region", name="Ballot B-101: Entries differ")
    assert "Shelter i skoven" in flagged.inner_text() and "Bålplads ved søen" in flagged.inner_text()
    violations = axe_violations(admin)
    assert not violations, violations_report(violations)
