"""Double entry of paper ballots in the console: the admin switches it on, two voting-day staff
enter each ballot paper, the live count shows waiting and flagged papers apart from the counted
ones, and the admin resolves a mismatch. In English: the Danish catalogue is compiled by the lead
(`make messages`), so these pages' new strings may not be in it yet."""

import re

from django.utils import translation

from rounds.console.roles import TENANT_ADMIN, VOTING_DAY
from rounds.models import AuditEntry, Ballot, PaperEntry
from rounds.rules import REASONS
from tests.rounds.console.conftest import make_staff
from tests.rounds.console.test_voting_day import _voting_round

PAPER = "/admin-konsol/valgdag/valgdag/"


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _reason(code: str) -> str:
    with translation.override("en"):
        return str(REASONS[code])


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _paper(client, serial, choices, name="Anna Berg"):
    return client.post(
        PAPER, {"serial": serial, "name": name, "birth_date": "1980-05-01", "choices": choices}
    )


def test_two_staff_enter_each_paper_ballot_and_only_agreeing_entries_count(people, console_client):
    pb_round, (playground, benches) = _voting_round()
    admin = _english(console_client(people[TENANT_ADMIN]))
    switched = admin.post("/admin-konsol/runder/valgdag/dobbelt-indtastning/", {"is_on": "1"})
    assert switched.status_code == 302
    pb_round.refresh_from_db()
    assert pb_round.paper_double_entry
    assert "Switch double entry off" in _text(admin.get("/admin-konsol/runder/valgdag/"))

    first = _english(console_client(people[VOTING_DAY]))
    second = _english(console_client(make_staff("valgstyrer-2", [VOTING_DAY])))
    page = _text(first.get(PAPER))
    assert 'id="double-entry-note"' in page
    waiting = _paper(first, "A-1", [playground.pk])
    assert waiting.status_code == 302
    assert "Ballot A-1 is entered once" in _text(first.get(PAPER))
    own = _paper(first, "A-1", [playground.pk])
    assert own.status_code == 400 and _reason("double_entry_same_person") in _text(own)
    assert 'id="id_serial_error"' in own.content.decode()
    assert _paper(second, "A-1", [playground.pk]).status_code == 302
    assert Ballot.objects.filter(round=pb_round, paper_serial="A-1").count() == 1

    _paper(first, "A-2", [benches.pk], name="Bo Lund")
    _paper(second, "A-2", [playground.pk], name="Bo Lund")  # the second entrant read another cross
    _paper(second, "A-3", [benches.pk], name="Carl Dam")
    count = _text(first.get(PAPER + "optaelling/"))
    assert '<td id="count-paper">1</td>' in count and '<td id="count-total">1</td>' in count
    assert '<td id="count-pending">1</td>' in count and '<td id="count-mismatch">1</td>' in count

    # The admin sees the mismatch with both entries and discards it with a reason.
    entries = _text(admin.get(PAPER + "dobbelt-indtastning/"))
    assert "Ballot A-2: Entries differ" in entries
    assert "the marks on the ballot" in entries and "Legeplads" in entries and "Bænke" in entries
    mismatch = PaperEntry.objects.get(serial="A-2")
    url = f"{PAPER}dobbelt-indtastning/{mismatch.pk}/"
    prefix = f"e{mismatch.pk}"
    refused = admin.post(url, {f"{prefix}-action": "discard", f"{prefix}-reason": ""})
    assert refused.status_code == 400 and 'role="alert"' in refused.content.decode()
    done = admin.post(url, {f"{prefix}-action": "discard", f"{prefix}-reason": "Sedlen er utydelig"})
    assert done.status_code == 302
    assert PaperEntry.objects.get(serial="A-2").status == "discarded"
    assert AuditEntry.objects.filter(action="paper_entry_discard", actor=people[TENANT_ADMIN]).exists()
    again = _paper(first, "A-2", [benches.pk], name="Bo Lund")
    assert again.status_code == 400 and _reason("serial_discarded") in _text(again)

    # Double entry cannot be switched off while a ballot paper waits for its second entry.
    off = admin.post("/admin-konsol/runder/valgdag/dobbelt-indtastning/", {"is_on": "0"})
    assert off.status_code == 302
    pb_round.refresh_from_db()
    assert pb_round.paper_double_entry
    assert _reason("paper_entries_waiting") in _text(admin.get("/admin-konsol/runder/valgdag/"))
