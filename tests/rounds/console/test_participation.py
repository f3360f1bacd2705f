"""The participation dashboard: voters by age band (the band recorded at voting, never the birth
date), voters per day by channel, ballots by area, turnout against the eligible residents staff
set for the round and its areas; every chart with a table of the same numbers."""

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.utils import translation

from rounds.console import selectors
from rounds.console.roles import TENANT_ADMIN
from rounds.eligibility import VoterIdentity, age_band, identity_checked_by_staff
from rounds.models import AuditEntry, Voter
from rounds.models.voting import AgeBand
from rounds.services.ballots import ballot_cast
from rounds.services.rounds import round_eligible_residents_set
from tests.rounds.services.test_ballots import voting_round

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")
NOW = dt.datetime(2026, 10, 1, 12, 0, tzinfo=CPH)
DAY = dt.date(2026, 10, 1)


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize(
    ("facts", "band"),
    [
        ({"birth_date": dt.date(2010, 10, 2)}, AgeBand.UNDER_18),  # 17 the day before the birthday
        ({"birth_date": dt.date(2008, 10, 1)}, AgeBand.FROM_18),  # 18 on the day
        ({"age": 29}, AgeBand.FROM_18),
        ({"age": 30}, AgeBand.FROM_30),
        ({"birth_date": dt.date(1962, 1, 1)}, AgeBand.FROM_50),
        ({"age": 65}, AgeBand.FROM_65),
        ({}, ""),
    ],
)
def test_the_age_band_is_the_age_on_the_day_of_voting(facts, band):
    identity = VoterIdentity(tier="eid", channel="online", keys=("eid:x",), **facts)
    assert age_band(identity, DAY) == band


@pytest.fixture
def voted(aarhus):
    """Four voters in Bolbro on one day: on paper, at a kiosk and two online (one by age only)."""
    pb_round, ids = voting_round(
        {"area_funding": "fixed", "pot": 200_000, "online_voting": True, "in_person_voting": True},
        areas=[("Bolbro", "city_district", 200_000)],
    )
    area = pb_round.areas.get()
    voters = [
        (identity_checked_by_staff(name="Anna Berg", birth_date=dt.date(1980, 5, 1), channel="paper"), "P-1"),
        (identity_checked_by_staff(name="Bo Lund", birth_date=dt.date(2000, 1, 1), channel="kiosk"), ""),
        (VoterIdentity(tier="eid", channel="online", keys=("eid:c",), birth_date=dt.date(1950, 1, 1)), ""),
        (VoterIdentity(tier="eid", channel="online", keys=("eid:d",), age=60), ""),
    ]
    with time_machine.travel(NOW, tick=False):
        for identity, serial in voters:
            ballot_cast(
                pb_round=pb_round, identity=identity, choices=[ids[0]], area=area, paper_serial=serial
            )
    return pb_round, area


def test_the_selectors_count_voters_by_age_band_day_channel_and_area(voted):
    pb_round, area = voted
    assert "birth_date" not in {f.name for f in Voter._meta.fields}
    with translation.override("en"):
        series = selectors.participation(pb_round)
        ages = {label: values for label, values in series["ages"].rows}
        assert ages == {
            "Under 18": (0,), "18–29": (1,), "30–49": (1,), "50–64": (1,), "65 and over": (1,), "Not known": (0,)
        }  # fmt: skip
        voters = series["voters"]
        assert [str(c) for c in voters.columns] == ["Online", "Kiosk at a voting day", "Paper ballot"]
        assert voters.rows == [("2026-10-01", (2, 1, 1))] and voters.stacked
        assert series["channels"].total == 4
        assert series["areas"].rows == [("Bolbro", (3, 0, 4, 0))]
        assert series["proposals"].total == 3
    chart = series["voters"].chart()
    assert chart["labels"] == ["2026-10-01"] and [d["data"] for d in chart["datasets"]] == [[2], [1], [1]]

    assert selectors.turnout(pb_round, None) == []
    round_eligible_residents_set(pb_round=pb_round, eligible=200, areas={area.pk: 40}, actor=None)
    with translation.override("en"):
        shares = [(t.label, t.voters, t.residents, t.percent) for t in selectors.turnout(pb_round, 1_000)]
    assert shares == [
        ("Eligible residents", 4, 200, 2.0),
        ("Bolbro", 4, 40, 10.0),
        ("All inhabitants", 4, 1_000, 0.4),
    ]
    assert selectors.participation(pb_round)["areas"].rows == [("Bolbro", (3, 0, 4, 40))]


def test_the_page_shows_every_chart_as_a_table_and_staff_set_the_eligible_residents(
    voted, people, console_client
):
    pb_round, area = voted
    admin = console_client(people[TENANT_ADMIN])
    admin.cookies["django_language"] = "en"
    url = f"/admin-konsol/runder/{pb_round.slug}/"
    page = _text(admin.get(url + "deltagelse/"))
    for key in ("proposals", "voters", "channels", "ages", "areas"):
        assert f'id="chart-{key}" type="application/json"' in page, key
    assert '<th scope="row">30–49</th><td class="num">1</td>' in page
    assert (
        '<th scope="row">2026-10-01</th><td class="num">2</td><td class="num">1</td><td class="num">1</td>'
        in page
    )
    assert "set the number of eligible residents below" in page

    refused = admin.post(url + "stemmeberettigede/", {"eligible": "-5", f"area_{area.pk}": "40"})
    assert refused.status_code == 400 and 'id="id_eligible_error"' in refused.content.decode()
    saved = admin.post(url + "stemmeberettigede/", {"eligible": "2000", f"area_{area.pk}": "40"})
    assert saved.status_code == 302 and saved["Location"] == url + "deltagelse/"
    page = _text(admin.get(url + "deltagelse/"))
    assert '<th scope="row">Bolbro</th><td>4</td><td>40</td><td>10.0 %</td>' in page
    assert '<th scope="row">Eligible residents</th><td>4</td><td>2,000</td><td>0.2 %</td>' in page
    entry = AuditEntry.objects.get(action="round_eligible_residents_set")
    assert entry.new_value == {"round": 2000, "Bolbro": 40} and entry.actor == people[TENANT_ADMIN]
