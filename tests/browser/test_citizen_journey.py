"""A citizen's whole round in a real browser: reads the round, submits a proposal (after a
refused first try that loses nothing), supports another, votes with a knapsack ballot, keeps the
receipt, and later reads the results and what became of the proposals.

Staff steps between the phases (assessment, opening the vote, counting, reporting progress) are
done through the services, as the admin console would. No process model has both supports and a
knapsack ballot (the models that let citizens support proposals, Köln and the Aarhus hybrid, have
no ballot or an approval ballot), so the citizen supports a proposal in Browserby's Köln round.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tenants.utils import tenant_context

from rounds.models import Proposal, Round
from rounds.services.accountability import implementation_update_post
from rounds.services.assessments import proposal_assess
from rounds.services.proposals import proposal_submit
from rounds.services.results import result_record
from rounds.services.rounds import round_create_from_preset
from tests.browser.citizen import code_from_mail, open_page
from tests.browser.world import POSTCODE, World
from tests.rounds.helpers import advance_to

pytestmark = pytest.mark.browser

SLUG, TITLE, POT = "byens-pulje-2027", "Byens pulje 2027", 200_000
OTHERS = (("Vandpost i Byparken", 70_000), ("Bogskab ved stationen", 25_000), ("Scene i gården", 150_000))
MINE = "Bænke og skygge på Rådhuspladsen"


@pytest.fixture
def journey(browser_world: World):
    """An open-pot round with a knapsack ballot whose ideas phase opened yesterday, so the front
    page shows it; unpublished afterwards, so the other tests see Browserby as seeded."""
    with tenant_context(browser_world.municipality):
        Round.objects.filter(slug=SLUG).update(slug=f"{SLUG}-{Round.objects.count()}", is_published=False)
        pb_round = round_create_from_preset(
            preset_key="faaborg_midtfyn_aaben_pulje",
            starts_at=timezone.now() - dt.timedelta(days=8),
            slug=SLUG,
            title=TITLE,
            pot=POT,
            ballot="knapsack",
            email_verification=True,
        )
        pb_round.is_published = True
        pb_round.save(update_fields=["is_published"])
        advance_to(pb_round, "ideas")
        author = get_user_model().objects.get(username=browser_world.citizen_username)
        for title, cost in OTHERS:
            proposal_submit(
                pb_round=pb_round,
                author=author,
                author_name="Lars",
                title=title,
                description=title,
                cost=cost,
            )
    yield pb_round
    with tenant_context(browser_world.municipality):
        Round.objects.filter(pk=pb_round.pk).update(is_published=False)


def _staff_opens_the_vote(world: World, pb_round: Round) -> None:
    with tenant_context(world.municipality):
        advance_to(pb_round, "assessment")
        for proposal in pb_round.proposals.filter(status=Proposal.Status.SUBMITTED):
            proposal_assess(proposal=proposal, actor=None, department="Teknik og Miljø", outcome="feasible")
        advance_to(pb_round, "voting")


def _staff_counts_and_reports(world: World, pb_round: Round, mine: int) -> None:
    with tenant_context(world.municipality):
        advance_to(pb_round, "results")
        result_record(pb_round=pb_round)
        advance_to(pb_round, "implementation")
        implementation_update_post(
            proposal=Proposal.objects.get(pk=mine),
            status="in_progress",
            progress=40,
            text="Bænkene er bestilt hos kommunens smed.",
        )


def _text(page) -> str:
    return re.sub(r"\s+", " ", page.locator("main").inner_text())


def test_a_citizen_takes_part_in_a_round_from_proposal_to_accountability(
    page, tenant_url, browser_world, journey
):
    address = "mette.borger@example.invalid"

    # Reads the round on the front page.
    open_page(page, tenant_url("/"))
    assert page.locator("h1").inner_text() == TITLE
    assert "200.000 kr." in _text(page)

    # Submits a proposal: the form asks for a login by email code first.
    page.get_by_role("link", name="Stil et forslag").first.click()
    page.wait_for_url(re.compile(r"/log-ind/"))
    page.get_by_label("E-mailadresse").fill(address)
    page.locator("main form button[type=submit]").click()
    page.locator("input[name=code]").fill(code_from_mail(address))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(tenant_url(f"/runder/{SLUG}/forslag/nyt/"))
    page.locator("input[name=title]").fill(MINE)
    page.locator("textarea[name=description]").fill("Tre bænke under nye træer, så ældre kan hvile sig.")
    page.locator("input[name=cost]").fill(str(POT + 50_000))
    page.locator("button[name=submit]").click()
    alert = page.locator("#id_cost_error[role=alert]")
    alert.wait_for()
    assert "200.000 kr." in alert.inner_text(), alert.inner_text()
    assert page.locator("input[name=title]").input_value() == MINE, "the draft was lost"
    page.locator("input[name=cost]").fill("60000")
    page.locator("button[name=submit]").click()
    page.wait_for_url(re.compile(r"/forslag/\d+/$"))
    mine = int(re.search(r"/forslag/(\d+)/$", page.url).group(1))
    assert page.locator("h1").inner_text() == MINE
    assert "Tak! Dit forslag er sendt." in _text(page)

    # Supports another citizen's proposal in the Köln round, still logged in.
    open_page(page, tenant_url(f"/runder/{browser_world.ideas}/forslag/"))
    page.get_by_role("link", name="Blomstereng i Frederiksberg Have").click()
    before = int(re.search(r"(\d+) for", _text(page)).group(1))
    page.get_by_role("button", name="Jeg støtter det").click()
    page.locator(".messages").wait_for()
    assert int(re.search(r"(\d+) for", _text(page)).group(1)) == before + 1
    assert page.get_by_role("button", name="Jeg støtter det").get_attribute("aria-pressed") == "true"

    # Votes with a knapsack ballot: an email code proves who she is.
    _staff_opens_the_vote(browser_world, journey)
    open_page(page, tenant_url("/"))
    page.get_by_role("link", name="Stem", exact=True).click()
    page.get_by_role("link", name="Få en kode på e-mail").click()
    page.locator("input[name=email]").fill(address)
    page.locator("input[name=age]").fill("34")
    page.locator("input[name=postcode]").fill(POSTCODE)
    page.locator("main form button[type=submit]").click()
    page.locator("input[name=code]").fill(code_from_mail(address))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(tenant_url(f"/stem/{SLUG}/stemmeseddel/"))
    page.get_by_label(re.compile(MINE)).check()
    page.get_by_label(re.compile("Vandpost i Byparken")).check()
    page.get_by_label(re.compile("Bogskab ved stationen")).check()
    assert "155.000 kr. af 200.000 kr." in page.locator("#ballot-meter").inner_text()
    page.get_by_role("button", name="Afgiv min stemme").click()
    receipt = page.locator(".receipt")
    receipt.wait_for()
    code = receipt.inner_text().strip()
    page.get_by_role("link", name=re.compile("kvitteringskoder", re.IGNORECASE)).click()
    assert code in _text(page)

    # Later: the results and what became of her proposal.
    _staff_counts_and_reports(browser_world, journey, mine)
    open_page(page, tenant_url(f"/runder/{SLUG}/"))
    page.get_by_role("navigation", name="Runden").get_by_role("link", name="Resultater").click()
    row = page.locator("table tbody tr", has_text=MINE)
    assert row.locator("td").nth(2).inner_text() == "1"
    assert row.locator("td").nth(3).inner_text() == "Ja"
    assert "60.000 kr." in row.inner_text()
    page.get_by_role("navigation", name="Runden").get_by_role("link", name="Det skete der").click()
    section = page.locator("section", has_text=MINE)
    assert "Bænkene er bestilt hos kommunens smed." in section.inner_text()
    assert section.locator("progress").get_attribute("value") == "40"
