"""The voting-day kiosk when the village hall's network drops: the kiosk keeps taking ballots,
queued on the tablet with an idempotency key and shown as waiting to send, and sends them when the
network returns; a ballot sent twice is counted once."""

from __future__ import annotations

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from rounds.console.roles import VOTING_DAY
from rounds.models import Ballot, KioskSubmission
from tests.browser.axe import axe_violations, violations_report
from tests.browser.citizen import open_page
from tests.browser.test_console import _log_in, voting_day  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser
QUEUE = "JSON.parse(localStorage.getItem('borgerbudget-kiosk-queue') || '[]')"


def _ballots(world, pb_round) -> tuple[int, dict]:
    with tenant_context(world.municipality):
        count = Ballot.objects.filter(round=pb_round).count()
        keys = {
            str(k): r for k, r in KioskSubmission.objects.filter(round=pb_round).values_list("key", "receipt")
        }
    connection.set_schema_to_public()
    return count, keys


def _vote(page, name: str, born: str, project: str) -> None:
    page.get_by_label("Vælgerens fulde navn").fill(name)
    page.get_by_label("Vælgerens fødselsdato").fill(born)
    page.get_by_role("button", name="Åbn stemmesedlen for denne vælger").click()
    page.get_by_label(project).check()
    page.get_by_role("button", name="Afgiv min stemme").click()
    page.locator("#kiosk-next-link").wait_for()


def test_the_kiosk_queues_ballots_offline_and_sends_them_once(voting_day, page, tenant_url, browser_world):  # noqa: F811
    pb_round, staff = voting_day
    _log_in(page, tenant_url, staff[VOTING_DAY])
    open_page(page, tenant_url(f"/admin-konsol/valgdag/{pb_round.slug}/kiosk/"))
    waiting = page.locator("#kiosk-queue")

    _vote(page, "Anna Berg", "1980-05-01", "Shelter i skoven")  # online: the staff step on the server
    receipt = page.locator("#kiosk-message strong").inner_text()
    assert _ballots(browser_world, pb_round)[0] == 1
    assert list(_ballots(browser_world, pb_round)[1].values()) == [receipt]
    page.get_by_role("link", name="Næste vælger").click()

    page.context.set_offline(True)
    _vote(page, "Bo Lund", "1991-11-30", "Bålplads ved søen")
    assert "sendt" in page.locator("#kiosk-message").inner_text()  # "... sendt, når netværket er tilbage"
    page.get_by_role("link", name="Næste vælger").click()
    _vote(page, "Carl Dam", "1960-03-03", "Shelter i skoven")
    assert waiting.get_attribute("data-waiting") == "2" and waiting.get_attribute("role") == "status"
    assert "Venter på at blive sendt: 2" in waiting.inner_text()
    queued = page.evaluate(QUEUE)
    assert len(queued) == 2 and len({item["key"] for item in queued}) == 2
    assert _ballots(browser_world, pb_round)[0] == 1  # nothing reached the server
    violations = axe_violations(page)  # the page with ballots waiting (WCAG 2.1 A/AA)
    assert not violations, violations_report(violations)
    page.get_by_role("link", name="Næste vælger").click()  # the staff step on the page
    violations = axe_violations(page)
    assert not violations, violations_report(violations)

    page.context.set_offline(False)
    page.wait_for_function("document.getElementById('kiosk-queue').dataset.waiting === '0'", timeout=30_000)
    assert page.evaluate(QUEUE) == []
    count, keys = _ballots(browser_world, pb_round)
    assert count == 3 and {item["key"] for item in queued} <= set(keys)

    # The same queued ballot sent again (a lost answer, a second tablet tab): a no-op.
    again = page.evaluate(
        """async (item) => {
            const body = new URLSearchParams(item.fields);
            body.set("csrfmiddlewaretoken", document.querySelector("[name=csrfmiddlewaretoken]").value);
            body.set("idempotency_key", item.key);
            const r = await fetch(item.url, {method: "POST", body, headers: {"Accept": "application/json"}});
            return {status: r.status, body: await r.json()};
        }""",
        queued[0],
    )
    assert again == {"status": 200, "body": {"receipt": keys[queued[0]["key"]]}}
    assert _ballots(browser_world, pb_round)[0] == 3
