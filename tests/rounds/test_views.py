"""The municipality's front page and a proposal's page, as a citizen sees them."""

import re

import pytest

from rounds.services.assessments import proposal_assess
from rounds.services.proposals import comment_add, proposal_submit
from rounds.services.rounds import round_create_from_preset
from tests.rounds.helpers import START, advance_to, citizen


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def published(aarhus):
    def make(preset, slug, until):
        pb_round = round_create_from_preset(preset_key=preset, starts_at=START, slug=slug)
        pb_round.is_published = True
        pb_round.save()
        advance_to(pb_round, until)
        return pb_round

    return make


def test_the_front_page_shows_the_current_round_in_danish_format(published, aarhus_client):
    published("kolding_braendkjaer", "braendkjaer", "ideas")
    html = _text(aarhus_client.get("/"))
    assert "<h1>Brændkjær Bestemmer</h1>" in html
    assert "Porto Alegre-modellen" in html
    assert "<dd>75.000 kr.</dd>" in html
    assert "højst 15.000 kr." in html
    assert "Nu</dt><dd>Forslag (indtil" in html
    assert "Du stemmer ved fremmøde på valgdagen." in html
    assert 'aria-current="step"> <strong>Forslag</strong>' in html


def test_the_front_page_lists_areas_with_their_sub_pots(published, aarhus_client):
    published("odense_velfaerdseksperiment", "odense", "workshops")
    html = _text(aarhus_client.get("/"))
    assert 'Bolbro <span class="muted">(bydel)</span>: 200.000 kr.' in html
    assert 'Dalum <span class="muted">(bydel)</span>: 200.000 kr.' in html
    assert "Alle på 10 år eller derover, der bor i området, kan stemme." in html


def test_an_open_pot_says_there_is_no_cap(published, aarhus_client):
    published("faaborg_midtfyn_aaben_pulje", "faaborg", "inform")
    assert "Intet loft: ét projekt kan få hele puljen" in _text(aarhus_client.get("/"))


def test_an_unpublished_round_is_not_shown(aarhus, aarhus_client):
    round_create_from_preset(preset_key="kolding_braendkjaer", starts_at=START, slug="kladde")
    html = _text(aarhus_client.get("/"))
    assert "Brændkjær" not in html
    assert "Der er ingen åben borgerbudgetrunde lige nu." in html
    assert aarhus_client.get("/runder/kladde/").status_code == 404


def test_a_rejection_is_public_with_its_reason_and_user_content_is_escaped(published, aarhus_client):
    pb_round = published("faaborg_midtfyn_aaben_pulje", "faaborg", "ideas")
    author = citizen()
    proposal = proposal_submit(
        pb_round=pb_round, author=author, author_name="<b>Købmand</b>", title="Tilskud til <script>alert(1)</script>",
        description="Støtte til butikken", cost=100_000,
    )  # fmt: skip
    comment_add(proposal=proposal, author=None, author_name="Bo", body="<img src=x onerror=alert(1)>")
    advance_to(pb_round, "assessment")
    legal = pb_round.checklist_items.get(text__contains="erhvervsstøtte")
    proposal_assess(
        proposal=proposal, actor=None, department="Juridisk kontor", outcome="feasible", failed_checks=[legal]
    )
    front = _text(aarhus_client.get("/"))
    assert "Forslag, der ikke gik videre" in front and "(ingen erhvervsstøtte)" in front
    page = _text(aarhus_client.get(f"/forslag/{proposal.pk}/"))
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "Juridisk kontor" in page and "Afvist" in page
    assert (
        "Begrundelse: Projektet giver ikke støtte til enkeltpersoner eller virksomheder (ingen erhvervsstøtte)"
        in page
    )


def test_a_draft_proposal_is_private(published, aarhus_client):
    pb_round = published("faaborg_midtfyn_aaben_pulje", "faaborg", "ideas")
    draft = proposal_submit(
        pb_round=pb_round,
        author=citizen(),
        author_name="A",
        title="Hemmelig kladde",
        description="x",
        cost=1,
        as_draft=True,
    )
    assert aarhus_client.get(f"/forslag/{draft.pk}/").status_code == 404


def test_the_english_front_page(published, aarhus_client):
    published("kolding_braendkjaer", "braendkjaer", "ideas")
    aarhus_client.cookies["django_language"] = "en"
    html = _text(aarhus_client.get("/"))
    assert '<html lang="en">' in html
    assert "The Porto Alegre model" in html and "at most 15.000 kr." in html
