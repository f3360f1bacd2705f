"""Changing a running round's settings (ballot rules freeze with the first ballot) and
publishing a result from a hand count."""

import datetime as dt
import re

from rounds.console.roles import TENANT_ADMIN
from rounds.eligibility import identity_checked_by_staff
from rounds.models import Proposal, Round
from rounds.rules import REASONS
from rounds.services.ballots import ballot_cast
from rounds.services.proposals import proposal_submit
from tests.rounds.helpers import advance_to, new_round


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _settings_data(pb_round, **changes) -> dict:
    data = {f"setting-{name}": value for name, value in pb_round.settings.items()}
    data = {k: "" if v is None else str(v) for k, v in data.items()}
    data.update({f"setting-{k}": v for k, v in changes.items()})
    return data


def _voting_round():
    pb_round = new_round(
        "porto_alegre",
        {"delegates": False, "proposers": "everyone", "area_funding": "none", "in_person_voting": True,
         "pot": 100_000},
        slug="optaelling",
    )  # fmt: skip
    advance_to(pb_round, "ideas")
    for title, cost in (("Legeplads", 60_000), ("Bænke", 50_000), ("Træer", 30_000)):
        proposal_submit(
            pb_round=pb_round, author=None, author_name="Ida", title=title, description="-", cost=cost
        )
    advance_to(pb_round, "voting")
    return pb_round


def test_settings_change_until_the_first_ballot_freezes_the_ballot_rules(people, console_client):
    pb_round = _voting_round()
    admin = console_client(people[TENANT_ADMIN])
    page = _text(admin.get("/admin-konsol/runder/optaelling/indstillinger/"))
    assert 'name="setting-pot" value="100000"' in page
    invalid = admin.post(
        "/admin-konsol/runder/optaelling/indstillinger/", _settings_data(pb_round, min_voting_age="40")
    )
    assert invalid.status_code == 400 and 'id="id_setting-min_voting_age_error"' in invalid.content.decode()
    saved = admin.post(
        "/admin-konsol/runder/optaelling/indstillinger/", _settings_data(pb_round, pot="120000")
    )
    assert saved.status_code == 302 and Round.objects.get(pk=pb_round.pk).rules.pot == 120_000
    ballot_cast(
        pb_round=pb_round,
        identity=identity_checked_by_staff(name="Anna Berg", birth_date=dt.date(1980, 5, 1), channel="paper"),
        choices=[Proposal.objects.get(title="Træer").pk],
        paper_serial="1",
    )
    pb_round.refresh_from_db()
    frozen = admin.post(
        "/admin-konsol/runder/optaelling/indstillinger/", _settings_data(pb_round, pot="90000")
    )
    assert frozen.status_code == 400 and str(REASONS["rules_frozen"]) in _text(frozen)
    assert Round.objects.get(pk=pb_round.pk).rules.pot == 120_000


def test_a_hand_count_publishes_the_result(people, console_client):
    pb_round = _voting_round()
    admin = console_client(people[TENANT_ADMIN])
    advance_to(pb_round, "results")
    ids = {p.title: p.pk for p in Proposal.objects.filter(round=pb_round)}
    page = _text(admin.get("/admin-konsol/runder/optaelling/"))
    assert f'name="votes_{ids["Legeplads"]}"' in page
    missing = admin.post(
        "/admin-konsol/runder/optaelling/resultat/haandoptaelling/", {f"votes_{ids['Legeplads']}": "12"}
    )
    assert missing.status_code == 400 and not hasattr(Round.objects.get(pk=pb_round.pk), "result")
    counted = admin.post(
        "/admin-konsol/runder/optaelling/resultat/haandoptaelling/",
        {f"votes_{ids['Legeplads']}": "12", f"votes_{ids['Bænke']}": "9", f"votes_{ids['Træer']}": "7"},
    )
    assert counted.status_code == 302
    statuses = dict(Proposal.objects.filter(round=pb_round).values_list("title", "status"))
    # Greedy within 100.000 kr.: Legeplads (60.000) and Træer (30.000) fit; Bænke (50.000) does not.
    assert statuses == {"Legeplads": "selected", "Bænke": "not_selected", "Træer": "selected"}
    assert Proposal.objects.get(pk=ids["Bænke"]).votes == 9
