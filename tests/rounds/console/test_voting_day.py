"""Voting day in the console: the kiosk (staff check the voter, the voter fills the ballot, the
kiosk resets) and cumulative paper ballots."""

import pytest

from rounds.console.roles import VOTING_DAY
from rounds.models import Ballot, BallotChoice
from rounds.rules import REASONS
from rounds.services.proposals import proposal_submit
from tests.rounds.helpers import advance_to, new_round


def _voting_round(**settings):
    pb_round = new_round(
        "porto_alegre",
        {"delegates": False, "proposers": "everyone", "area_funding": "none", "online_voting": False,
         "in_person_voting": True, "pot": 100_000, **settings},
        slug="valgdag",
    )  # fmt: skip
    advance_to(pb_round, "ideas")
    proposals = [
        proposal_submit(
            pb_round=pb_round, author=None, author_name="Ida", title=title, description="-", cost=cost
        )
        for title, cost in (("Legeplads", 60_000), ("Bænke", 30_000))
    ]
    advance_to(pb_round, "voting")
    return pb_round, proposals


def test_the_kiosk_takes_one_ballot_per_checked_voter_and_resets(people, console_client):
    pb_round, (playground, benches) = _voting_round()
    kiosk = console_client(people[VOTING_DAY])
    # Without a checked voter the ballot step sends the tablet back to staff.
    assert (
        kiosk.get("/admin-konsol/valgdag/valgdag/kiosk/stemmeseddel/")["Location"]
        == "/admin-konsol/valgdag/valgdag/kiosk/"
    )
    started = kiosk.post(
        "/admin-konsol/valgdag/valgdag/kiosk/", {"name": "Anna Berg", "birth_date": "1980-05-01"}
    )
    assert started["Location"] == "/admin-konsol/valgdag/valgdag/kiosk/stemmeseddel/"
    ballot_page = kiosk.get(started["Location"]).content.decode()
    assert (
        "Legeplads" in ballot_page
        and "Anna Berg" not in ballot_page
        and 'class="console-nav"' not in ballot_page
    )
    receipt = kiosk.post(started["Location"], {"choices": [playground.pk, benches.pk]})
    assert receipt.status_code == 200 and receipt["Refresh"].endswith("/admin-konsol/valgdag/valgdag/kiosk/")
    ballot = Ballot.objects.get(round=pb_round)
    assert ballot.channel == "kiosk" and ballot.receipt in receipt.content.decode()
    assert set(BallotChoice.objects.filter(ballot=ballot).values_list("proposal_id", flat=True)) == {
        playground.pk,
        benches.pk,
    }
    # The voter is forgotten: going back to the ballot does not let anyone vote again.
    assert kiosk.get("/admin-konsol/valgdag/valgdag/kiosk/stemmeseddel/").status_code == 302
    # The same person checked in again is refused at the ballot, and nothing is stored.
    kiosk.post("/admin-konsol/valgdag/valgdag/kiosk/", {"name": "ANNA  Berg", "birth_date": "1980-05-01"})
    again = kiosk.post("/admin-konsol/valgdag/valgdag/kiosk/stemmeseddel/", {"choices": [benches.pk]})
    assert again.status_code == 400 and str(REASONS["already_voted"]) in again.content.decode()
    assert Ballot.objects.filter(round=pb_round).count() == 1


def test_the_kiosk_refuses_a_ballot_over_the_pot(people, console_client):
    pb_round, (playground, benches) = _voting_round(ballot="knapsack", pot=80_000)
    kiosk = console_client(people[VOTING_DAY])
    kiosk.post("/admin-konsol/valgdag/valgdag/kiosk/", {"name": "Bo Lund", "birth_date": "1970-01-01"})
    over = kiosk.post(
        "/admin-konsol/valgdag/valgdag/kiosk/stemmeseddel/", {"choices": [playground.pk, benches.pk]}
    )
    assert over.status_code == 400 and 'role="alert"' in over.content.decode()
    assert "90.000" in over.content.decode() and not Ballot.objects.exists()


@pytest.mark.parametrize("points, accepted", [({"a": 3, "b": 2}, True), ({"a": 6}, False)])
def test_a_cumulative_paper_ballot_is_entered_with_points(points, accepted, people, console_client):
    pb_round, (playground, benches) = _voting_round(
        ballot="cumulative", cumulative_points=5, cumulative_max_per_project=5, approval_min=0
    )
    ids = {"a": playground.pk, "b": benches.pk}
    data = {"serial": "P-1", "name": "Carl Dam", "birth_date": "1960-03-03"}
    data.update({f"points_{ids[k]}": v for k, v in points.items()})
    response = console_client(people[VOTING_DAY]).post("/admin-konsol/valgdag/valgdag/", data)
    assert (response.status_code == 302) is accepted
    stored = dict(BallotChoice.objects.filter(ballot__round=pb_round).values_list("proposal_id", "points"))
    assert stored == ({ids[k]: v for k, v in points.items()} if accepted else {})
