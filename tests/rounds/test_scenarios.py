"""One scenario per case in the seed memo, walked from creation to accountability through the services."""

import pytest

from rounds.models import Assessment, ChecklistItem, ImplementationUpdate, Proposal
from rounds.rules import RuleViolation
from rounds.selectors import proposal_favourites, proposals_with_support
from rounds.services.accountability import decision_record, evaluation_publish, implementation_update_post
from rounds.services.areas import area_application_decide, area_application_submit
from rounds.services.assessments import proposal_assess, statement_add
from rounds.services.participation import delegate_choose, meeting_create, meeting_sign_up
from rounds.services.proposals import comment_add, proposal_submit, round_shortlist
from rounds.services.results import result_record
from rounds.services.supports import support_give
from tests.rounds.helpers import START, advance_to, citizen, new_round, staff


def _propose(pb_round, title, cost, **kwargs):
    author = kwargs.pop("author", None) or citizen()
    return proposal_submit(
        pb_round=pb_round,
        author=author,
        author_name=author.username,
        title=title,
        description=f"{title} – beskrivelse",
        cost=cost,
        **kwargs,
    )


def test_koeln_favourites_are_top_n_per_theme_and_the_council_sees_the_full_list(aarhus):
    pb_round = new_round(
        "koeln", {"pot": 2_000_000, "favourites_per_theme": 2}, themes=["Grønne områder", "Kultur", "Sport"]
    )
    themes = {t.name: t for t in pb_round.themes.all()}
    advance_to(pb_round, "ideas")
    green = [_propose(pb_round, f"Grønt {i}", 50_000 + i, theme=themes["Grønne områder"]) for i in range(4)]
    culture = [_propose(pb_round, f"Kultur {i}", 80_000, theme=themes["Kultur"]) for i in range(3)]
    voters = [citizen() for _ in range(6)]
    # Green 2 gets 5 for, green 0 gets 4 for and 1 against, green 3 gets 3, green 1 gets 2 against.
    for voter in voters[:5]:
        support_give(proposal=green[2], user=voter, value=1)
    for voter in voters[:4]:
        support_give(proposal=green[0], user=voter, value=1)
    support_give(proposal=green[0], user=voters[5], value=-1)
    for voter in voters[:3]:
        support_give(proposal=green[3], user=voter, value=1)
    for voter in voters[:2]:
        support_give(proposal=green[1], user=voter, value=-1)
    support_give(proposal=culture[1], user=voters[0], value=1)
    comment_add(proposal=green[2], author=voters[0], author_name="Mette", body="Godt forslag!")

    favourites = proposal_favourites(pb_round)
    # Green 0 and green 3 tie at net 3; green 0 has more supports for, so it wins the tie.
    assert [p.title for p in favourites[themes["Grønne områder"]]] == ["Grønt 2", "Grønt 0"]
    # Ties (culture 0 and 2 both at 0) go to the earlier submission.
    assert [p.title for p in favourites[themes["Kultur"]]] == ["Kultur 1", "Kultur 0"]

    advance_to(pb_round, "shortlist")
    round_shortlist(pb_round=pb_round)
    shortlisted = set(pb_round.proposals.filter(status="shortlisted").values_list("title", flat=True))
    assert shortlisted == {"Grønt 2", "Grønt 0", "Kultur 1", "Kultur 0"}
    advance_to(pb_round, "assessment")
    worker = staff()
    for proposal in pb_round.proposals.filter(status="shortlisted"):
        proposal_assess(proposal=proposal, actor=worker, department="Teknik og Miljø", outcome="feasible")
    with pytest.raises(RuleViolation) as excinfo:
        proposal_assess(proposal=green[1], actor=worker, department="Teknik og Miljø", outcome="feasible")
    assert excinfo.value.code == "not_assessable"  # not a favourite: no assessment
    advance_to(pb_round, "statements")
    statement_add(proposal=green[2], actor=worker, body_name="Lokaludvalg Nord", text="Vi bakker op.")
    advance_to(pb_round, "decision")
    # The council sees every proposal, with its supports, not only the favourites.
    full_list = {p.title: p.net_support for p in proposals_with_support(pb_round)}
    assert full_list["Grønt 1"] == -2 and len(full_list) == 7
    decision_record(
        proposal=green[2],
        outcome="adopted",
        amount=50_002,
        reason="Passer i budgettet.",
        decided_by="Byrådet",
    )
    decision_record(
        proposal=green[1],
        outcome="adopted",
        amount=50_001,
        reason="Vedtaget trods modstand.",
        decided_by="Byrådet",
    )
    decision_record(
        proposal=culture[1], outcome="rejected", reason="Indgår i kulturplanen.", decided_by="Byrådet"
    )
    advance_to(pb_round, "implementation")
    implementation_update_post(
        proposal=green[2], status="in_progress", progress=40, text="Anlægsarbejdet er i gang."
    )
    green[2].refresh_from_db()
    assert green[2].status == Proposal.Status.ADOPTED
    assert green[2].updates.get().progress == 40
    culture[1].refresh_from_db()
    assert (
        culture[1].status == Proposal.Status.DECLINED
        and culture[1].decision.reason == "Indgår i kulturplanen."
    )


def test_porto_alegre_workshops_delegates_vote_and_evaluation(aarhus):
    pb_round = new_round("porto_alegre", {"pot": 300_000}, areas=[("Gellerup", "city_district", 300_000)])
    area = pb_round.areas.get()
    advance_to(pb_round, "workshops")
    workshop = meeting_create(
        pb_round=pb_round,
        kind="workshop",
        title="Idéværksted",
        location="Globus1",
        starts_at=START,
        capacity=2,
    )
    meeting_sign_up(meeting=workshop, name="Aisha", email="aisha@example.invalid")
    meeting_sign_up(meeting=workshop, name="Bo", email="bo@example.invalid")
    with pytest.raises(RuleViolation) as excinfo:
        meeting_sign_up(meeting=workshop, name="Carl", email="carl@example.invalid")
    assert excinfo.value.code == "meeting_full"
    advance_to(pb_round, "delegates")
    delegate_user = citizen("delegeret")
    delegate_choose(pb_round=pb_round, name="Aisha", user=delegate_user, area=area)
    advance_to(pb_round, "ideas")
    with pytest.raises(RuleViolation) as excinfo:
        _propose(pb_round, "Ikke delegeret", 10_000, area=area)
    assert excinfo.value.code == "delegates_only"
    a = _propose(pb_round, "Multibane", 200_000, area=area, author=delegate_user)
    b = _propose(pb_round, "Lektiecafé", 80_000, area=area, author=delegate_user)
    c = _propose(pb_round, "Fællesgrill", 50_000, area=area, author=delegate_user)
    advance_to(pb_round, "voting")
    assert set(pb_round.proposals.values_list("status", flat=True)) == {"on_ballot"}
    advance_to(pb_round, "results")
    result_record(pb_round=pb_round, vote_counts={a.pk: 120, b.pk: 90, c.pk: 60})
    statuses = dict(pb_round.proposals.values_list("title", "status"))
    # 200.000 + 80.000 fit in 300.000; the grill (50.000) no longer does.
    assert statuses == {"Multibane": "selected", "Lektiecafé": "selected", "Fællesgrill": "not_selected"}
    advance_to(pb_round, "decision")
    decision_record(
        proposal=a, outcome="adopted", amount=200_000, reason="Flest stemmer.", decided_by="Byrådet"
    )
    advance_to(pb_round, "implementation")
    implementation_update_post(proposal=a, status="done", text="Multibanen er indviet.")
    advance_to(pb_round, "evaluation")
    evaluation = evaluation_publish(
        pb_round=pb_round, summary="Stor deltagelse fra unge.", made_with="Delegerede"
    )
    assert pb_round.evaluation == evaluation


def test_aarhus_hybrid_is_advisory_with_practice_tracks(aarhus):
    pb_round = new_round(
        "aarhus_hybrid",
        {},
        themes=["Gentænk fremtidens almene boliger"],
        areas=[
            ("Grønt borgerbudget i Testrup", "practice_track", 100_000),
            ("Langtidsledige tager teten", "practice_track", 50_000),
        ],
    )
    theme = pb_round.themes.get()
    testrup = pb_round.areas.get(name__contains="Testrup")
    advance_to(pb_round, "ideas")
    with pytest.raises(RuleViolation) as excinfo:
        _propose(pb_round, "Uden tema", 10_000, area=testrup)
    assert excinfo.value.code == "theme_required"
    with pytest.raises(RuleViolation) as excinfo:
        _propose(pb_round, "For dyrt for Testrup", 150_000, theme=theme, area=testrup)
    assert excinfo.value.code == "over_area_pot"
    roof = _propose(pb_round, "Fælles tagterrasse", 90_000, theme=theme, area=testrup)
    laundry = _propose(pb_round, "Delevaskeri", 40_000, theme=theme, area=testrup)
    with pytest.raises(RuleViolation) as excinfo:
        support_give(proposal=roof, user=citizen(), value=-1)
    assert excinfo.value.code == "against_not_allowed"
    for _ in range(3):
        support_give(proposal=laundry, user=citizen())
    support_give(proposal=roof, user=citizen())
    advance_to(pb_round, "results")
    result = result_record(pb_round=pb_round)
    assert result.method == "advisory" and result.final_selected == ()
    laundry.refresh_from_db()
    roof.refresh_from_db()
    # Advisory: ranked by support, nothing funded, statuses untouched.
    assert (laundry.votes, roof.votes) == (3, 1)
    assert laundry.funded_amount is None and laundry.status == "submitted"
    advance_to(pb_round, "decision")
    decision_record(
        proposal=laundry,
        outcome="changed",
        amount=30_000,
        reason="Indgår i budget 2027 i mindre skala.",
        decided_by="Byrådet",
    )
    advance_to(pb_round, "implementation")
    with pytest.raises(RuleViolation, match="45.000|30.000"):
        implementation_update_post(proposal=laundry, status="in_progress", text="Indkøb", payout=45_000)


def test_kolding_braendkjaer_bestemmer(aarhus):
    pb_round = new_round(
        "porto_alegre",
        {
            "pot": 75_000, "project_cap": 15_000, "delegates": False, "proposers": "everyone",
            "self_qualification": True, "online_voting": False, "in_person_voting": True, "area_funding": "none",
        },
        title="Brændkjær Bestemmer",
        funding_source="§18-midler (frivillige sociale midler)",
        checklist={"self_qualification": ["Projektet øger trivslen i Brændkjær", "Projektet fremmer frivilligheden", "Budgettet er højst 15.000 kr."]},
    )  # fmt: skip
    assert not pb_round.phases.filter(kind="delegates").exists()
    items = list(pb_round.checklist_items.values_list("id", flat=True))
    advance_to(pb_round, "ideas")
    with pytest.raises(RuleViolation) as excinfo:
        _propose(pb_round, "Ny legeplads", 16_000, checklist_confirmed=items)
    assert excinfo.value.code == "over_cap"
    assert str(excinfo.value) == "Beløbet er over maksimum på 15.000 kr. pr. projekt."
    with pytest.raises(RuleViolation) as excinfo:
        _propose(pb_round, "Fællesspisning", 8_000, checklist_confirmed=items[:2])
    assert excinfo.value.code == "checklist_incomplete"
    titles = ["Fællesspisning", "Lektiecafé", "Cykelværksted", "Sommerfest", "Bålhytte", "Strikkeklub"]
    costs = [8_000, 15_000, 12_000, 15_000, 15_000, 5_000]
    proposals = [
        _propose(pb_round, t, c, checklist_confirmed=items) for t, c in zip(titles, costs, strict=True)
    ]
    advance_to(pb_round, "voting")
    advance_to(pb_round, "results")
    counts = dict(zip([p.pk for p in proposals], [70, 64, 51, 40, 33, 12], strict=True))
    result_record(pb_round=pb_round, vote_counts=counts)
    selected = list(
        pb_round.proposals.filter(status="selected").order_by("-votes").values_list("title", flat=True)
    )
    # 8 + 15 + 12 + 15 + 15 = 65.000; the knitting club (5.000) fits in the last 10.000 too.
    assert selected == [
        "Fællesspisning",
        "Lektiecafé",
        "Cykelværksted",
        "Sommerfest",
        "Bålhytte",
        "Strikkeklub",
    ]
    assert sum(pb_round.proposals.values_list("funded_amount", flat=True)) == 70_000


def test_hedensted_local_councils_apply_and_sub_pots_never_exceed_the_pool(aarhus):
    pb_round = new_round("local_council_pool", {"pot": 240_000}, title="Borgerbudget i landdistrikterne 2014")
    advance_to(pb_round, "applications")
    councils = ["Løsning", "Juelsminde", "Tørring", "Hornsyld", "Barrit", "Stouby"]
    applications = [
        area_application_submit(
            pb_round=pb_round, applicant=f"{name} Lokalråd", process_plan="Borgermøde og afstemning"
        )
        for name in councils
    ]
    advance_to(pb_round, "allocation")
    with pytest.raises(RuleViolation) as excinfo:
        area_application_decide(application=applications[0], select=True, pot=250_000)
    assert excinfo.value.code == "pot_exceeded"
    for application in applications[:4]:
        area_application_decide(application=application, select=True, pot=60_000)
    with pytest.raises(RuleViolation) as excinfo:
        area_application_decide(application=applications[4], select=True, pot=1)
    assert excinfo.value.code == "pot_exceeded"
    for application in applications[4:]:
        area_application_decide(application=application, select=False)
    assert sum(pb_round.areas.values_list("pot", flat=True)) == 240_000
    assert pb_round.areas.count() == 4
    areas = list(pb_round.areas.order_by("name"))
    advance_to(pb_round, "ideas")
    internet = _propose(pb_round, "Bedre internetdækning", 45_000, area=areas[0])
    skate = _propose(pb_round, "Skatebane", 40_000, area=areas[0])
    hut = _propose(pb_round, "Bålhytte", 55_000, area=areas[1])
    hall = _propose(pb_round, "Forsamlingshus", 60_000, area=areas[2])
    with pytest.raises(RuleViolation) as excinfo:
        _propose(pb_round, "For stort", 70_000, area=areas[3])
    assert excinfo.value.code == "over_area_pot"
    advance_to(pb_round, "voting")
    advance_to(pb_round, "results")
    result_record(pb_round=pb_round, vote_counts={internet.pk: 90, skate.pk: 80, hut.pk: 40, hall.pk: 70})
    # Each area's vote stays within its own sub-pot: internet fills area 0, the skate park no longer fits.
    assert dict(pb_round.proposals.values_list("title", "status")) == {
        "Bedre internetdækning": "selected", "Skatebane": "not_selected", "Bålhytte": "selected", "Forsamlingshus": "selected",
    }  # fmt: skip
    advance_to(pb_round, "implementation")
    advance_to(pb_round, "evaluation")
    evaluation_publish(
        pb_round=pb_round,
        summary="Øget deltagelse og involvering.",
        recommendations="Facilitér grundigt; afsæt ressourcer til kommunikation; lad processen løbe over flere år.",
        made_with="Lokalrådene",
    )


def test_odense_bolbro_and_dalum_with_meetings_and_voting_age_10(aarhus):
    pb_round = new_round(
        "porto_alegre",
        {
            "pot": 400_000,
            "delegates": False,
            "proposers": "everyone",
            "min_voting_age": 10,
            "online_voting": False,
        },
        title="Velfærdseksperiment 2015",
        areas=[("Bolbro", "city_district", 200_000), ("Dalum", "city_district", 200_000)],
    )
    assert pb_round.rules.min_voting_age == 10
    bolbro = pb_round.areas.get(name="Bolbro")
    advance_to(pb_round, "workshops")
    info = meeting_create(
        pb_round=pb_round,
        kind="info",
        title="Informationsmøde",
        location="Bolbro Skole",
        starts_at=START,
        area=bolbro,
    )
    expert = meeting_create(
        pb_round=pb_round,
        kind="expert_day",
        title="Ekspertdag",
        location="Bolbro Bibliotek",
        starts_at=START,
        capacity=30,
    )
    meeting_sign_up(meeting=info, name="Lise", email="lise@example.invalid")
    meeting_sign_up(meeting=expert, name="Lise", email="lise@example.invalid")
    with pytest.raises(RuleViolation) as excinfo:
        meeting_sign_up(meeting=expert, name="Lise", email="LISE@example.invalid")
    assert excinfo.value.code == "already_signed_up"
    advance_to(pb_round, "ideas")
    park = _propose(pb_round, "Bevægelsespark", 150_000, area=bolbro)
    garden = _propose(pb_round, "Nyttehaver", 30_000, area=bolbro)
    patrol = _propose(pb_round, "Legepatrulje for børn", 20_000, area=bolbro, author=citizen("skolebarn"))
    advance_to(pb_round, "voting")
    advance_to(pb_round, "results")
    result_record(pb_round=pb_round, vote_counts={park.pk: 300, garden.pk: 250, patrol.pk: 210})
    assert set(pb_round.proposals.filter(status="selected").values_list("title", flat=True)) == {
        "Bevægelsespark", "Nyttehaver", "Legepatrulje for børn",
    }  # fmt: skip


def test_faaborg_midtfyn_open_pot_whole_pot_project_and_public_rejection(aarhus):
    pb_round = new_round(
        "open_pot",
        {"pot": 500_000},
        checklist={"legal": ["Almennyttigt formål", "Inden for kommunen", "Ingen erhvervsstøtte til enkeltpersoner eller virksomheder", "Kan starte inden for 1 år", "Kan afsluttes inden for 2 år"]},
    )  # fmt: skip
    legal = list(pb_round.checklist_items.filter(kind=ChecklistItem.Kind.LEGAL))
    advance_to(pb_round, "ideas")
    whole = _propose(pb_round, "Naturcenter ved Svanninge Bakker", 500_000)
    shop = _propose(pb_round, "Tilskud til lokal købmand", 100_000)
    path = _propose(pb_round, "Trampesti langs åen", 60_000)
    advance_to(pb_round, "assessment")
    worker = staff()
    with pytest.raises(RuleViolation) as excinfo:
        advance_to(pb_round, "voting")
    assert excinfo.value.code == "not_all_assessed"
    proposal_assess(proposal=whole, actor=worker, department="Arbejdsgruppen", outcome="feasible")
    proposal_assess(proposal=path, actor=worker, department="Arbejdsgruppen", outcome="feasible")
    proposal_assess(
        proposal=shop, actor=worker, department="Jura", outcome="feasible", failed_checks=[legal[2]]
    )
    shop.refresh_from_db()
    assert shop.status == "rejected"
    assert shop.assessment.outcome == Assessment.Outcome.REJECTED
    assert shop.assessment.public_reason == "Ingen erhvervsstøtte til enkeltpersoner eller virksomheder"
    advance_to(pb_round, "voting")
    on_ballot = set(pb_round.proposals.filter(status="on_ballot").values_list("title", flat=True))
    assert on_ballot == {"Naturcenter ved Svanninge Bakker", "Trampesti langs åen"}
    advance_to(pb_round, "results")
    result_record(pb_round=pb_round, vote_counts={whole.pk: 900, path.pk: 400})
    whole.refresh_from_db()
    assert whole.status == "selected" and whole.funded_amount == 500_000
    advance_to(pb_round, "implementation")
    with pytest.raises(RuleViolation) as excinfo:
        implementation_update_post(proposal=whole, status="in_progress", text="Første etape", payout=200_000)
    assert excinfo.value.code == "invoice_required"
    implementation_update_post(
        proposal=whole,
        status="in_progress",
        progress=40,
        text="Første etape",
        payout=200_000,
        invoice_reference="F-2026-118",
    )
    assert whole.updates.get().status == ImplementationUpdate.Status.IN_PROGRESS
