"""Proposals in and out of the console: CSV import with row-level errors (all or nothing),
exports that import again to the same data, and the round's JSON archive."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rounds.console.roles import TENANT_ADMIN
from rounds.models import AuditEntry, Proposal
from rounds.services.proposal_import import ImportRefused, proposals_import_csv
from rounds.services.proposals import proposal_submit
from tests.rounds.helpers import advance_to, citizen, new_round

FIELDS = ("title", "summary", "description", "cost", "author_name", "author_email", "area", "theme")


def _open_round(**kwargs):
    pb_round = new_round(
        "porto_alegre",
        {"pot": 300_000, "project_cap": 100_000, "delegates": False, "proposers": "everyone"},
        areas=[("Bolbro", "city_district", 150_000), ("Dalum", "city_district", 150_000)],
        **kwargs,
    )
    advance_to(pb_round, "ideas")
    return pb_round


def _upload(text: str):
    return SimpleUploadedFile("forslag.csv", text.encode("utf-8"), content_type="text/csv")


def _snapshot(pb_round):
    return [
        (p.title, p.summary, p.description, p.cost, p.author_name, p.author_email,
         p.area.name if p.area else "", p.theme.name if p.theme else "", p.status)
        for p in Proposal.objects.filter(round=pb_round).select_related("area", "theme").order_by("id")
    ]  # fmt: skip


def test_an_import_with_errors_lists_every_row_and_imports_nothing(people, console_client):
    pb_round = _open_round()
    text = (
        "title,description,cost,author_name,area\n"
        "Legeplads,Gynger,40000,Ida,Bolbro\n"  # fine
        ",Uden titel,1000,Bo,Bolbro\n"  # empty title
        "Dyrt,For dyrt,250000,Kaj,Dalum\n"  # over the 100.000 kr. cap: the round's rule
        "Forkert beløb,Tekst,mange penge,Lis,Dalum\n"  # not an amount
        "Ukendt område,Tekst,1000,Mo,Vejle\n"  # unknown area
    )
    with pytest.raises(ImportRefused) as refused:
        proposals_import_csv(pb_round=pb_round, text=text, actor=None)
    assert [e.row for e in refused.value.errors] == [3, 4, 5, 6]
    response = console_client(people[TENANT_ADMIN]).post(
        f"/admin-konsol/runder/{pb_round.slug}/import/", {"file": _upload(text)}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert all(f"<td>{row}</td>" in html for row in (3, 4, 5, 6)) and "<td>2</td>" not in html
    assert 'role="alert"' in html
    assert not Proposal.objects.filter(round=pb_round).exists()


@pytest.mark.usefixtures("aarhus")
def test_rows_that_break_the_rounds_rules_are_reported_and_nothing_is_kept():
    pb_round = _open_round()
    text = "title;description;cost;author_name;area\nLegeplads;Gynger;40000;Ida;Bolbro\nDyrt;For dyrt;250000;Kaj;Dalum\n"
    with pytest.raises(ImportRefused) as refused:
        proposals_import_csv(pb_round=pb_round, text=text, actor=None)
    assert [e.row for e in refused.value.errors] == [3]
    assert "100.000" in refused.value.errors[0].message
    assert not Proposal.objects.filter(round=pb_round).exists()
    assert not AuditEntry.objects.filter(action="proposal_submit", object_type="proposal").exists()


@pytest.mark.usefixtures("aarhus")
def test_a_file_without_the_required_columns_is_refused():
    pb_round = _open_round()
    with pytest.raises(ImportRefused) as refused:
        proposals_import_csv(pb_round=pb_round, text="titel;beskrivelse\nA;B\n", actor=None)
    assert len(refused.value.errors) == 4 and {e.row for e in refused.value.errors} == {1}


@pytest.mark.usefixtures("aarhus")
def test_an_import_outside_the_proposal_phase_is_refused():
    pb_round = new_round(
        "porto_alegre", {"delegates": False, "proposers": "everyone", "area_funding": "none"}
    )
    advance_to(pb_round, "workshops")
    with pytest.raises(ImportRefused) as refused:
        proposals_import_csv(
            pb_round=pb_round, text="title,description,cost,author_name\nA,B,1000,C\n", actor=None
        )
    assert [e.row for e in refused.value.errors] == [2]


def test_exported_proposals_import_again_to_the_same_data(people, console_client):
    source = _open_round()
    bolbro = source.areas.get(name="Bolbro")
    proposal_submit(
        pb_round=source, author=citizen(), author_name="Ida Æbelø", author_email="ida@example.invalid",
        title="Bænke; ved åen", summary='Fem "gode" bænke', description="Linje 1\nLinje 2", cost=45_000,
        area=bolbro,
    )  # fmt: skip
    proposal_submit(
        pb_round=source, author=None, author_name="Bo", title="Træer", description="Ti træer", cost=100_000,
        area=source.areas.get(name="Dalum"),
    )  # fmt: skip
    client = console_client(people[TENANT_ADMIN])
    exported = client.get(f"/admin-konsol/runder/{source.slug}/eksport/forslag.csv")
    assert exported["Content-Type"].startswith("text/csv")
    assert exported.content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    target = _open_round()
    response = client.post(
        f"/admin-konsol/runder/{target.slug}/import/", {"file": _upload(exported.content.decode("utf-8"))}
    )
    assert response.status_code == 302
    assert _snapshot(target) == _snapshot(source)
    assert len(_snapshot(target)) == 2


def test_the_json_archive_holds_the_round_and_its_decision_chain(people, console_client):
    pb_round = _open_round()
    proposal_submit(pb_round=pb_round, author=None, author_name="Bo", title="Træer", description="Ti", cost=9_000,
                    area=pb_round.areas.get(name="Dalum"))  # fmt: skip
    response = console_client(people[TENANT_ADMIN]).get(
        f"/admin-konsol/runder/{pb_round.slug}/eksport/arkiv.json"
    )
    assert 'attachment; filename="' in response["Content-Disposition"]
    archive = json.loads(response.content)
    assert archive["round"]["slug"] == pb_round.slug and archive["round"]["settings"]["pot"] == 300_000
    assert [p["title"] for p in archive["proposals"]] == ["Træer"]
    assert archive["proposals"][0]["area"] == "Dalum" and archive["proposals"][0]["assessment"] is None
    assert [a["name"] for a in archive["areas"]] == ["Bolbro", "Dalum"]
    assert archive["ballots_by_channel"] == {"online": 0, "kiosk": 0, "paper": 0, "imported": 0}
    assert archive["phases"][0]["state"] == "closed" and archive["result"] is None
