"""The citizen site through the test client: login, proposals, supports, comments, meetings,
results, accountability, the accessibility statement, and a constant number of queries."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rounds.models import Proposal
from rounds.services.proposals import proposal_submit
from rounds.services.results import result_record
from rounds.services.rounds import round_create_from_preset
from tests.rounds.helpers import START, advance_to, citizen


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _published(preset, slug, until, **overrides):
    pb_round = round_create_from_preset(preset_key=preset, starts_at=START, slug=slug, **overrides)
    pb_round.is_published = True
    pb_round.save()
    advance_to(pb_round, until)
    return pb_round


def _login(client, email="mette@example.invalid"):
    client.post("/log-ind/", {"email": email})
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    response = client.post("/log-ind/kode/", {"email": email, "code": code, "next": "/"})
    assert response.status_code == 302
    return client


def test_a_citizen_logs_in_with_an_emailed_code(aarhus, aarhus_client):
    response = aarhus_client.post("/log-ind/", {"email": "Mette@Example.invalid"})
    assert "Vi har sendt en kode på seks cifre til mette@example.invalid" in _text(response)
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    wrong = "000000" if code != "000000" else "111111"
    assert (
        aarhus_client.post("/log-ind/kode/", {"email": "mette@example.invalid", "code": wrong}).status_code
        == 400
    )
    response = aarhus_client.post(
        "/log-ind/kode/", {"email": "mette@example.invalid", "code": code, "next": "/"}
    )
    assert response.status_code == 302
    assert "Log ud" in _text(aarhus_client.get("/"))


def test_the_login_next_parameter_cannot_leave_the_site(aarhus, aarhus_client):
    aarhus_client.post("/log-ind/", {"email": "a@example.invalid"})
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    response = aarhus_client.post(
        "/log-ind/kode/", {"email": "a@example.invalid", "code": code, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_submitting_needs_a_login(aarhus, aarhus_client):
    _published("kolding_braendkjaer", "bb", "ideas")
    response = aarhus_client.get("/runder/bb/forslag/nyt/")
    assert response.status_code == 302 and "/log-ind/" in response["Location"]


def test_a_proposal_over_the_cap_is_refused_next_to_the_field_and_kept_as_a_draft(aarhus, aarhus_client):
    pb_round = _published("kolding_braendkjaer", "bb", "ideas")
    _login(aarhus_client)
    items = [str(i) for i in pb_round.checklist_items.values_list("id", flat=True)]
    data = {
        "title": "Ny legeplads",
        "description": "Til de mindste",
        "cost": "16000",
        "checklist": items,
        "submit": "",
    }
    response = aarhus_client.post("/runder/bb/forslag/nyt/", data)
    assert response.status_code == 400
    html = _text(response)
    assert 'id="id_cost_error"' in html and "Beløbet er over maksimum på 15.000 kr. pr. projekt." in html
    assert 'aria-describedby="id_cost_error"' in html and 'aria-invalid="true"' in html
    assert 'value="Ny legeplads"' in html  # what was typed is still there
    draft = Proposal.objects.get(title="Ny legeplads")
    assert draft.status == "draft" and draft.cost == 16_000
    data.update(cost="15000", draft=str(draft.pk))
    response = aarhus_client.post("/runder/bb/forslag/nyt/", data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "submitted" and draft.cost == 15_000
    assert Proposal.objects.filter(title="Ny legeplads").count() == 1


def test_support_and_comment_on_a_proposal(aarhus, aarhus_client):
    pb_round = _published("koeln_byen", "koeln", "ideas")
    proposal = proposal_submit(
        pb_round=pb_round, author=citizen(), author_name="Ole", title="Træer", description="x", cost=1000,
        theme=pb_round.themes.first(),
    )  # fmt: skip
    _login(aarhus_client)
    aarhus_client.post(f"/forslag/{proposal.pk}/stoet/", {"value": "-1"})
    aarhus_client.post(f"/forslag/{proposal.pk}/stoet/", {"value": "1"})  # replaces the first
    aarhus_client.post(f"/forslag/{proposal.pk}/kommenter/", {"body": "<script>x()</script> Flot"})
    html = _text(aarhus_client.get(f"/forslag/{proposal.pk}/"))
    assert "1 for, 0 imod" in html
    assert "&lt;script&gt;x()&lt;/script&gt; Flot" in html and "<script>x()" not in html
    assert 'aria-pressed="true">Jeg støtter det' in html


def test_the_proposal_list_filters_searches_sorts_and_pages(aarhus, aarhus_client):
    pb_round = _published("koeln_byen", "koeln", "ideas")
    themes = {t.name: t for t in pb_round.themes.all()}
    for i in range(25):
        proposal_submit(
            pb_round=pb_round, author=citizen(), author_name="A", title=f"Sti nummer {i}" if i % 5 == 0 else f"Bænk {i}",
            description="x", cost=1000 + i, theme=themes["Klima"] if i % 2 else themes["Sport"],
        )  # fmt: skip
    html = _text(aarhus_client.get("/runder/koeln/forslag/"))
    assert "25 forslag" in html and "Side 1 af 2" in html
    html = _text(aarhus_client.get("/runder/koeln/forslag/", {"q": "sti"}))
    assert "5 forslag" in html
    html = _text(aarhus_client.get("/runder/koeln/forslag/", {"tema": themes["Klima"].pk}))
    assert "12 forslag" in html
    html = _text(aarhus_client.get("/runder/koeln/forslag/", {"sorter": "cost_desc"}))
    assert html.index("1.024 kr.") < html.index("1.023 kr.")
    html = _text(aarhus_client.get("/runder/koeln/forslag/", {"side": "2"}))
    assert "Side 2 af 2" in html


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _bulk_proposals(pb_round, n):
    Proposal.objects.bulk_create(
        Proposal(
            round=pb_round, author_name="A", title=f"P{i}", description="x", cost=1000, status="submitted"
        )
        for i in range(n)
    )


@pytest.mark.parametrize("page", ["/runder/{slug}/forslag/", "/runder/{slug}/resultater/", "/"])
def test_pages_run_the_same_number_of_queries_for_10_and_1000_proposals(aarhus, aarhus_client, page):
    counts = []
    for n, slug in ((10, "small"), (1000, "large")):
        pb_round = _published("kolding_braendkjaer", slug, "ideas", approval_max=50)
        _bulk_proposals(pb_round, n)
        advance_to(pb_round, "results")
        result_record(
            pb_round=pb_round, vote_counts={p: 3 for p in pb_round.proposals.values_list("pk", flat=True)}
        )
        counts.append(_queries(aarhus_client, page.format(slug=slug)))
    assert counts[0] == counts[1]


def test_meetings_sign_up_until_full(aarhus, aarhus_client):
    pb_round = _published("odense_velfaerdseksperiment", "odense", "workshops")
    from rounds.services.participation import meeting_create

    meeting = meeting_create(
        pb_round=pb_round,
        kind="expert_day",
        title="Ekspertdag",
        location="Bolbro",
        starts_at=START,
        capacity=1,
    )
    response = aarhus_client.post(
        "/runder/odense/moeder/",
        {"meeting": meeting.pk, f"m{meeting.pk}-name": "Lis", f"m{meeting.pk}-email": "lis@example.invalid"},
    )
    assert response.status_code == 302
    html = _text(aarhus_client.get("/runder/odense/moeder/"))
    assert "1 af 1 pladser er taget" in html and "Mødet er fuldt booket." in html
    assert "kl. 09.00" in html and "1. september 2026" in html


def test_results_show_a_table_and_chart_data(aarhus, aarhus_client):
    pb_round = _published("faaborg_midtfyn_aaben_pulje", "fm", "ideas")
    a = proposal_submit(
        pb_round=pb_round,
        author=citizen(),
        author_name="A",
        title="Naturcenter",
        description="x",
        cost=400_000,
    )
    b = proposal_submit(
        pb_round=pb_round, author=citizen(), author_name="B", title="Sti", description="x", cost=200_000
    )
    advance_to(pb_round, "assessment")
    from rounds.services.assessments import proposal_assess

    for p in (a, b):
        proposal_assess(proposal=p, actor=None, department="AG", outcome="feasible")
    advance_to(pb_round, "results")
    result_record(pb_round=pb_round, vote_counts={a.pk: 1, b.pk: 2})
    html = _text(aarhus_client.get("/runder/fm/resultater/"))
    assert "<caption>Stemmer og bevilling pr. projekt</caption>" in html
    assert re.search(
        r"Sti</a>.*?<td class=\"num\">2</td> <td>Ja</td> <td class=\"num\">200.000 kr.</td>", html
    )
    assert '<script id="results-data" type="application/json">' in html and "chart.umd.min.js" in html
    assert "200.000 kr. af 500.000 kr. er brugt" in html
    assert "Resultatet er en håndoptælling af 3 stemmer." in html and "blev talt op" not in html


def test_accountability_shows_decisions_and_progress(aarhus, aarhus_client):
    pb_round = _published("odense_velfaerdseksperiment", "odense", "ideas")
    bolbro = pb_round.areas.get(name="Bolbro")
    p = proposal_submit(
        pb_round=pb_round,
        author=citizen(),
        author_name="A",
        title="Nyttehaver",
        description="x",
        cost=30_000,
        area=bolbro,
    )
    advance_to(pb_round, "results")
    result_record(pb_round=pb_round, vote_counts={p.pk: 40})
    advance_to(pb_round, "decision")
    from rounds.services.accountability import decision_record, implementation_update_post

    decision_record(
        proposal=p, outcome="changed", amount=25_000, reason="Mindre areal.", decided_by="Byrådet"
    )
    advance_to(pb_round, "implementation")
    implementation_update_post(proposal=p, status="in_progress", progress=60, text="Bedene er gravet.")
    html = _text(aarhus_client.get("/runder/odense/ansvarlighed/"))
    assert "Vedtaget med ændringer" in html and "Mindre areal." in html
    assert 'value="60"' in html and "Bedene er gravet." in html


def test_every_page_links_the_accessibility_statement_and_was_redirects(aarhus, aarhus_client):
    html = _text(aarhus_client.get("/"))
    assert '<a href="/was">Tilgængelighedserklæring</a>' in html
    response = aarhus_client.get("/was")
    assert response.status_code == 302 and response["Location"] == "/tilgaengelighedserklaering/"
    assert "WCAG 2.1" in _text(aarhus_client.get(response["Location"]))


def test_support_needs_a_login_and_csrf(aarhus):
    from django.test import Client

    pb_round = _published("koeln_byen", "koeln", "ideas")
    proposal = proposal_submit(
        pb_round=pb_round,
        author=citizen(),
        author_name="O",
        title="T",
        description="x",
        cost=1,
        theme=pb_round.themes.first(),
    )
    anonymous = Client(HTTP_HOST="aarhus.localhost")
    response = anonymous.post(f"/forslag/{proposal.pk}/stoet/", {"value": "1"})
    assert response.status_code == 302 and response["Location"].startswith("/log-ind/")
    strict = Client(HTTP_HOST="aarhus.localhost", enforce_csrf_checks=True)
    user = citizen()
    strict.force_login(user)
    assert strict.post(f"/forslag/{proposal.pk}/stoet/", {"value": "1"}).status_code == 403  # no CSRF token
    assert not proposal.supports.exists()
    token = strict.get(f"/forslag/{proposal.pk}/").cookies["csrftoken"].value
    response = strict.post(f"/forslag/{proposal.pk}/stoet/", {"value": "1", "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and proposal.supports.get().user == user


def test_a_suspended_municipality_is_read_only_with_a_banner(aarhus, aarhus_client):
    pb_round = _published("koeln_byen", "koeln", "ideas")
    proposal = proposal_submit(
        pb_round=pb_round,
        author=citizen(),
        author_name="O",
        title="T",
        description="x",
        cost=1,
        theme=pb_round.themes.first(),
    )
    _login(aarhus_client)
    aarhus.status = "suspended"
    aarhus.save(update_fields=["status"])
    try:
        html = _text(aarhus_client.get(f"/forslag/{proposal.pk}/"))
        assert "sat på pause: du kan læse med, men ikke deltage" in html
        response = aarhus_client.post(f"/forslag/{proposal.pk}/stoet/", {"value": "1"})
        assert response.status_code == 403 and "Du kan ikke deltage lige nu" in _text(response)
        assert not proposal.supports.exists()
    finally:
        aarhus.status = "active"
        aarhus.save(update_fields=["status"])


def test_citizens_answer_the_evaluation_survey_once_and_anonymously(aarhus, aarhus_client):
    from rounds.models import SurveyResponse
    from rounds.services.accountability import evaluation_publish
    from rounds.services.survey import survey_summary

    pb_round = _published("hedensted_landdistrikter", "hed", "inform")
    assert "Runden er ikke evalueret endnu." in _text(aarhus_client.get("/runder/hed/evaluering/"))
    pb_round.phases.exclude(kind="evaluation").update(state="closed")
    pb_round.phases.filter(kind="evaluation").update(state="open")
    evaluation_publish(pb_round=pb_round, summary="Øget deltagelse.", made_with="Lokalrådene")
    answer = {
        "satisfaction": "4",
        "took_part": ["voted", "meeting"],
        "would_again": "yes",
        "comment": "Mere info",
    }
    response = aarhus_client.post("/runder/hed/evaluering/", answer)
    assert response.status_code == 302
    aarhus_client.post("/runder/hed/evaluering/", answer)  # a second answer from the same browser is ignored
    stored = SurveyResponse.objects.get()
    assert (stored.satisfaction, stored.took_part, stored.would_again) == (4, ["voted", "meeting"], "yes")
    assert not {f.name for f in SurveyResponse._meta.get_fields()} & {"user", "author", "session"}
    assert survey_summary(pb_round) == {"answers": 1, "average": 4.0, "again": {"yes": 1}}
    html = _text(aarhus_client.get("/runder/hed/evaluering/"))
    assert "Øget deltagelse." in html and "Tak: vi har dit svar." in html
    bad = aarhus_client.__class__(HTTP_HOST="aarhus.localhost").post(
        "/runder/hed/evaluering/", {"would_again": "yes"}
    )
    assert bad.status_code == 400 and 'role="alert"' in bad.content.decode()


def test_a_hidden_comment_shows_the_moderators_public_reason_not_its_text(aarhus, aarhus_client):
    from rounds.services.moderation import comment_hide
    from rounds.services.proposals import comment_add

    pb_round = _published("koeln_byen", "koeln", "ideas")
    proposal = proposal_submit(
        pb_round=pb_round,
        author=citizen(),
        author_name="O",
        title="T",
        description="x",
        cost=1,
        theme=pb_round.themes.first(),
    )
    comment = comment_add(
        proposal=proposal, author=None, author_name="Troll", body="Noget grimt og personligt"
    )
    comment_hide(comment=comment, actor=None, reason="Personangreb")
    html = _text(aarhus_client.get(f"/forslag/{proposal.pk}/"))
    assert "Noget grimt" not in html and "Troll" not in html
    assert "En moderator har skjult denne kommentar: Personangreb" in html
