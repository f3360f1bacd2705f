"""A whole round run through the console with the test client, as staff would click it:
catalogue → settings → phases → CSV import → assessment → paper ballots → result → decision."""

import re

import pytest

from models_catalogue import registry
from rounds.console.forms import PhaseDaysForm, SettingsForm
from rounds.console.roles import CASE_WORKER, TENANT_ADMIN, VOTING_DAY
from rounds.models import AuditEntry, Ballot, Proposal, Round
from rounds.rules import REASONS

from .conftest import DEPARTMENT


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def start_data(key: str, slug: str, **settings) -> dict:
    """The start form as the page offers it (every setting at its default), with some changed."""
    model = registry.get(key)
    data = {"title": "Borgerbudget 2027", "slug": slug, "starts_on": "2027-03-01", "themes": "", "areas": ""}
    form = SettingsForm(model=model)
    for name, field in form.fields.items():
        data[f"setting-{name}"] = field.initial
    for name, field in PhaseDaysForm(model=model).fields.items():
        data[f"days-{name}"] = field.initial
    data.update({f"setting-{k}": v for k, v in settings.items()})
    return data


def advance(client, slug: str, to: str):
    response = client.post(f"/admin-konsol/runder/{slug}/fase/", {"to": to})
    assert response.status_code == 302, _text(response)


CSV = (
    "title;description;cost;author_name;author_email\n"
    "Legeplads i parken;Nye gynger og en rutsjebane;60.000;Ida Holm;ida@example.invalid\n"
    "Bænke ved åen;Fem bænke langs stien;50000;Bo Lund;\n"
    "Tilskud til butik;Støtte til min forretning;30000;Kaj Købmand;\n"
)


@pytest.mark.django_db
def test_a_round_runs_from_the_catalogue_to_the_council_decision(people, console_client):
    admin = console_client(people[TENANT_ADMIN])
    case_worker = console_client(people[CASE_WORKER])
    voting_staff = console_client(people[VOTING_DAY])

    # Browse and compare, then create a Porto Alegre round with a voting day and assessment.
    assert "Porto Alegre" in _text(admin.get("/admin-konsol/katalog/"))
    table = _text(admin.get("/admin-konsol/katalog/sammenlign/?model=porto_alegre&model=koeln"))
    assert '<th scope="col">Porto Alegre-modellen</th><th scope="col">Køln-modellen</th></tr>' in table
    assert registry.get("open_pot").name["da"] not in table
    data = start_data(
        "porto_alegre", "bb-2027", pot="100000", delegates="False", proposers="everyone",
        assessment_required="True", area_funding="none", online_voting="False", in_person_voting="True",
        evaluation="False",
    )  # fmt: skip
    response = admin.post("/admin-konsol/runder/ny/porto_alegre/", data)
    assert response.status_code == 302 and response["Location"] == "/admin-konsol/runder/bb-2027/"
    pb_round = Round.objects.get(slug="bb-2027")
    assert pb_round.rules.pot == 100_000 and pb_round.rules.assessment_required
    assert [p.kind for p in pb_round.phases.order_by("position")] == [
        "inform", "workshops", "ideas", "assessment", "voting", "results", "decision", "implementation",
    ]  # fmt: skip

    for kind in ("inform", "workshops", "ideas"):
        advance(admin, "bb-2027", kind)
    # A stale page that names a later phase cannot skip one.
    stale = admin.post("/admin-konsol/runder/bb-2027/fase/", {"to": "voting"})
    assert stale.status_code == 400 and str(REASONS["phase_out_of_order"]) in _text(stale)

    # Proposals handed in on paper arrive as a CSV file.
    upload = admin.post("/admin-konsol/runder/bb-2027/import/", {"file": _file(CSV)})
    assert upload.status_code == 302
    playground, benches, shop = Proposal.objects.filter(round=pb_round).order_by("id")
    assert (playground.cost, playground.author_email, benches.author_name) == (
        60_000,
        "ida@example.invalid",
        "Bo Lund",
    )

    advance(admin, "bb-2027", "assessment")
    # Nothing is in the case worker's queue until the admin assigns proposals to their department,
    # two at once from the full list and one from its own page.
    assert "Legeplads i parken" not in _text(case_worker.get("/admin-konsol/"))
    assert case_worker.get(f"/admin-konsol/forslag/{playground.pk}/").status_code == 403
    assigned = admin.post(
        "/admin-konsol/runder/bb-2027/tildel-afdeling/",
        {"proposals": [playground.pk, benches.pk], "department": DEPARTMENT},
    )
    assert assigned.status_code == 302 and assigned["Location"] == "/admin-konsol/runder/bb-2027/"
    one = admin.post(
        "/admin-konsol/runder/bb-2027/tildel-afdeling/",
        {"proposals": [shop.pk], "department": DEPARTMENT, "return_to": "proposal"},
    )
    assert one["Location"] == f"/admin-konsol/forslag/{shop.pk}/"
    assert AuditEntry.objects.filter(action="proposal_assign", actor=people[TENANT_ADMIN]).count() == 3
    # The case worker sees the queue and assesses for their own department only.
    assert "Legeplads i parken" in _text(case_worker.get("/admin-konsol/"))
    foreign = case_worker.post(
        f"/admin-konsol/forslag/{playground.pk}/vurdering/", {"department": "Kultur", "outcome": "feasible"}
    )
    assert foreign.status_code == 400 and not hasattr(Proposal.objects.get(pk=playground.pk), "assessment")
    for proposal, outcome, reason in ((playground, "feasible", ""), (benches, "feasible", "")):
        response = case_worker.post(
            f"/admin-konsol/forslag/{proposal.pk}/vurdering/",
            {"department": DEPARTMENT, "outcome": outcome, "public_reason": reason},
        )
        assert response.status_code == 302
    # Voting cannot open while a proposal waits for its assessment.
    early = admin.post("/admin-konsol/runder/bb-2027/fase/", {"to": "voting"})
    assert early.status_code == 400 and str(REASONS["not_all_assessed"]) in _text(early)
    no_reason = case_worker.post(
        f"/admin-konsol/forslag/{shop.pk}/vurdering/", {"department": DEPARTMENT, "outcome": "rejected"}
    )
    assert no_reason.status_code == 400
    case_worker.post(
        f"/admin-konsol/forslag/{shop.pk}/vurdering/",
        {"department": DEPARTMENT, "outcome": "rejected", "public_reason": "Erhvervsstøtte er ikke tilladt."},
    )
    advance(admin, "bb-2027", "voting")
    assert set(Proposal.objects.filter(round=pb_round, status="on_ballot")) == {playground, benches}

    # Voting day: paper ballots with serial numbers, entered by voting-day staff.
    ballots = [
        ("A-001", "Anna Berg", "1980-05-01", [playground.pk]),
        ("A-002", "Carl Dam", "1975-02-11", [playground.pk, benches.pk]),
        ("A-003", "Dorte Eriksen", "1990-12-24", [benches.pk]),
        ("A-004", "Erik Falk", "1966-07-07", [playground.pk]),
    ]
    for serial, name, born, choices in ballots:
        response = voting_staff.post(
            "/admin-konsol/valgdag/bb-2027/",
            {"serial": serial, "name": name, "birth_date": born, "choices": choices},
        )
        assert response.status_code == 302, _text(response)
    again = voting_staff.post(
        "/admin-konsol/valgdag/bb-2027/",
        {"serial": "A-005", "name": "anna  berg", "birth_date": "1980-05-01", "choices": [benches.pk]},
    )
    assert again.status_code == 400 and str(REASONS["already_voted"]) in _text(again)
    reused = voting_staff.post(
        "/admin-konsol/valgdag/bb-2027/",
        {"serial": "A-001", "name": "Frida Gram", "birth_date": "1970-01-01", "choices": [benches.pk]},
    )
    assert reused.status_code == 400 and 'id="id_serial_error"' in reused.content.decode()
    assert Ballot.objects.filter(round=pb_round, channel="paper").count() == 4
    count = _text(voting_staff.get("/admin-konsol/valgdag/bb-2027/optaelling/"))
    assert '<td id="count-paper">4</td>' in count and '<td id="count-total">4</td>' in count

    # Results: greedy within the 100.000 kr. pot: the playground (3 votes, 60.000) fits, the benches not.
    advance(admin, "bb-2027", "results")
    assert admin.post("/admin-konsol/runder/bb-2027/resultat/").status_code == 302
    playground.refresh_from_db()
    benches.refresh_from_db()
    assert (playground.status, playground.votes) == ("selected", 3)
    assert (benches.status, benches.votes) == ("not_selected", 2)
    result_csv = admin.get("/admin-konsol/runder/bb-2027/eksport/resultat.csv").content.decode("utf-8-sig")
    assert f"1;{playground.pk};Legeplads i parken;;60000;3;1;1;60000" in result_csv

    # Participation and the anonymised ballots, as the certificate holds them.
    participation = _text(admin.get("/admin-konsol/runder/bb-2027/deltagelse/"))
    assert '<th scope="row">Stemmeseddel på papir</th><td class="num">4</td>' in participation
    assert 'id="chart-channels" type="application/json"' in participation
    pb_file = admin.get("/admin-konsol/runder/bb-2027/eksport/stemmesedler.pb").content.decode()
    assert pb_file.startswith("META") and "VOTES" in pb_file and "Anna" not in pb_file

    # The council decides; the decision needs a reason.
    advance(admin, "bb-2027", "decision")
    missing = admin.post(
        f"/admin-konsol/forslag/{playground.pk}/beslutning/",
        {"outcome": "adopted", "amount": "60000", "reason": "", "decided_by": "Byrådet"},
    )
    assert missing.status_code == 400
    decided = admin.post(
        f"/admin-konsol/forslag/{playground.pk}/beslutning/",
        {"outcome": "adopted", "amount": "60000", "reason": "Flest stemmer", "decided_by": "Byrådet"},
    )
    assert decided.status_code == 302
    playground.refresh_from_db()
    assert playground.status == "adopted" and playground.decision.reason == "Flest stemmer"

    # Every step is in the audit log under the person who took it.
    log = _text(admin.get("/admin-konsol/log/?person=sagsbehandler"))
    assert "proposal_assess" in log and "decision_record" not in log
    assert AuditEntry.objects.filter(actor=people[VOTING_DAY], action="ballot_cast").count() == 4


def _file(text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("forslag.csv", text.encode("utf-8"), content_type="text/csv")
