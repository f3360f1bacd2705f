"""Ballots: validation per method, eligibility, one person one ballot across channels, receipts,
anonymity, and rules that freeze with the first ballot."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from rounds.eligibility import VoterIdentity, identity_checked_by_staff, person_key
from rounds.models import Ballot, BallotChoice, Voter, VoterKey
from rounds.rules import RuleViolation
from rounds.services.areas import area_pot_set
from rounds.services.ballots import ballot_cast, receipts_public
from rounds.services.proposals import proposal_submit
from rounds.services.results import result_record
from rounds.services.rounds import round_update_settings
from tests.rounds.helpers import advance_to, citizen, new_round

ADULT = dt.date(1980, 5, 1)


def voting_round(settings=None, costs=(30_000, 40_000, 50_000), areas=None):
    base = {"delegates": False, "proposers": "everyone", "area_funding": "none", "pot": 100_000}
    pb_round = new_round("porto_alegre", {**base, **(settings or {})}, areas=areas or [])
    advance_to(pb_round, "ideas")
    area = pb_round.areas.first()
    for i, cost in enumerate(costs):
        proposal_submit(
            pb_round=pb_round,
            author=citizen(),
            author_name="A",
            title=f"Projekt {i}",
            description="x",
            cost=cost,
            area=area,
        )
    advance_to(pb_round, "voting")
    return pb_round, list(pb_round.proposals.order_by("id").values_list("pk", flat=True))


def online(key="eid:broker:abc", **facts):
    return VoterIdentity(
        tier="eid", channel="online", keys=(key,), birth_date=facts.pop("birth_date", ADULT), **facts
    )


@pytest.mark.parametrize(
    ("settings", "choices", "code"),
    [
        ({"ballot": "approval", "approval_min": 1, "approval_max": 2}, [], "too_few"),
        ({"ballot": "approval", "approval_min": 1, "approval_max": 2}, [0, 1, 2], "too_many"),
        ({"ballot": "knapsack"}, [0, 1, 2], "over_budget"),
        (
            {"ballot": "cumulative", "cumulative_points": 3, "cumulative_max_per_project": 2},
            {0: 3},
            "too_many_points_on_one",
        ),
        (
            {"ballot": "cumulative", "cumulative_points": 3, "cumulative_max_per_project": 2},
            {0: 2, 1: 2},
            "too_many_points",
        ),
        ({"ballot": "approval"}, {0: 2}, "one_vote_per_project"),
    ],
)
def test_an_invalid_ballot_is_refused_with_a_clear_message_and_nothing_stored(
    aarhus, settings, choices, code
):
    pb_round, ids = voting_round(settings)
    choices = (
        {ids[i]: n for i, n in choices.items()} if isinstance(choices, dict) else [ids[i] for i in choices]
    )
    with pytest.raises(RuleViolation) as excinfo:
        ballot_cast(pb_round=pb_round, identity=online(), choices=choices)
    assert excinfo.value.code == code
    assert excinfo.value.message
    assert (Ballot.objects.count(), Voter.objects.count(), VoterKey.objects.count()) == (0, 0, 0)


def test_the_knapsack_message_names_the_amounts_in_danish(aarhus):
    pb_round, ids = voting_round({"ballot": "knapsack"})
    with pytest.raises(RuleViolation) as excinfo:
        ballot_cast(pb_round=pb_round, identity=online(), choices=ids)
    assert (
        str(excinfo.value) == "Dine valg koster 120.000 kr. – mere end de 100.000 kr., der er til rådighed."
    )


def test_valid_ballots_of_each_method_are_counted(aarhus):
    pb_round, ids = voting_round(
        {"ballot": "cumulative", "cumulative_points": 3, "cumulative_max_per_project": 2}
    )
    ballot_cast(pb_round=pb_round, identity=online("eid:a"), choices={ids[0]: 2, ids[1]: 1})
    ballot_cast(pb_round=pb_round, identity=online("eid:b"), choices={ids[1]: 2})
    advance_to(pb_round, "results")
    result = result_record(pb_round=pb_round)
    assert dict(result.ranking) == {str(ids[0]): 2, str(ids[1]): 3, str(ids[2]): 0}


def test_voting_age_is_checked_on_the_reference_date(aarhus):
    pb_round, ids = voting_round({"min_voting_age": 10})
    voting_starts = pb_round.phases.get(kind="voting").starts_at.date()
    nine = voting_starts.replace(year=voting_starts.year - 10) + dt.timedelta(days=1)
    with pytest.raises(RuleViolation) as excinfo:
        ballot_cast(pb_round=pb_round, identity=online("eid:child", birth_date=nine), choices=[ids[0]])
    assert excinfo.value.code == "too_young"
    ten = nine - dt.timedelta(days=1)
    assert ballot_cast(
        pb_round=pb_round, identity=online("eid:child2", birth_date=ten), choices=[ids[0]]
    ).receipt


def test_residence_in_an_area_by_postcode_street_or_boundary(aarhus):
    pb_round, ids = voting_round(
        {"area_funding": "fixed", "pot": 200_000}, areas=[("Bolbro", "city_district", 200_000)]
    )
    area = pb_round.areas.get()
    area.postcodes = ["5200"]
    area.streets = ["Stærmosegårdsvej|5230"]
    area.boundary = {
        "type": "Polygon",
        "coordinates": [[[10.3, 55.3], [10.4, 55.3], [10.4, 55.4], [10.3, 55.4], [10.3, 55.3]]],
    }
    area.save()
    with pytest.raises(RuleViolation) as excinfo:
        ballot_cast(pb_round=pb_round, identity=online("eid:x", postcode="8000"), choices=[ids[0]], area=area)
    assert excinfo.value.code == "not_resident"
    ballot_cast(pb_round=pb_round, identity=online("eid:p", postcode="5200"), choices=[ids[0]], area=area)
    ballot_cast(
        pb_round=pb_round,
        identity=online("eid:s", postcode="5230", street="stærmosegårdsvej"),
        choices=[ids[0]],
        area=area,
    )
    ballot_cast(
        pb_round=pb_round,
        identity=online("eid:g", postcode="5000", point=(10.35, 55.35)),
        choices=[ids[0]],
        area=area,
    )
    assert Ballot.objects.count() == 3


def test_a_voter_of_another_municipality_is_refused(aarhus):
    pb_round, ids = voting_round()
    with pytest.raises(RuleViolation) as excinfo:
        ballot_cast(pb_round=pb_round, identity=online(municipality_code="0621"), choices=[ids[0]])
    assert excinfo.value.code == "not_resident"


def test_one_person_one_ballot_across_online_and_paper(aarhus):
    pb_round, ids = voting_round({"in_person_voting": True, "in_person_replaces_online": False})
    mitid = VoterIdentity(
        tier="eid",
        channel="online",
        keys=("eid:broker:sub-1", person_key("Mette Hansen", ADULT)),
        birth_date=ADULT,
    )
    ballot_cast(pb_round=pb_round, identity=mitid, choices=[ids[0]])
    at_the_hall = identity_checked_by_staff(name="METTE  hansen", birth_date=ADULT, channel="paper")
    with pytest.raises(RuleViolation) as excinfo:
        ballot_cast(pb_round=pb_round, identity=at_the_hall, choices=[ids[1]], paper_serial="A-0001")
    assert excinfo.value.code == "already_voted_online"
    assert Ballot.objects.count() == 1


def test_an_in_person_ballot_replaces_an_online_one_where_the_round_says_so(aarhus):
    pb_round, ids = voting_round({"in_person_voting": True, "in_person_replaces_online": True})
    mitid = VoterIdentity(
        tier="eid", channel="online", keys=("eid:s", person_key("Bo Ek", ADULT)), birth_date=ADULT
    )
    first = ballot_cast(pb_round=pb_round, identity=mitid, choices=[ids[0]])
    paper = ballot_cast(
        pb_round=pb_round, identity=identity_checked_by_staff(name="Bo Ek", birth_date=ADULT, channel="paper"),
        choices=[ids[1]], paper_serial="A-0002",
    )  # fmt: skip
    assert paper.replaced
    assert receipts_public(pb_round) == [paper.receipt] and first.receipt not in receipts_public(pb_round)
    assert list(BallotChoice.objects.values_list("proposal_id", flat=True)) == [ids[1]]
    # ...and after the paper ballot, nothing replaces it.
    with pytest.raises(RuleViolation) as excinfo:
        ballot_cast(pb_round=pb_round, identity=mitid, choices=[ids[2]])
    assert excinfo.value.code == "already_voted"


def test_an_online_voter_may_change_the_ballot_and_the_last_one_counts(aarhus):
    pb_round, ids = voting_round({"ballot_changes_allowed": True})
    ballot_cast(pb_round=pb_round, identity=online(), choices=[ids[0]])
    second = ballot_cast(pb_round=pb_round, identity=online(), choices=[ids[2]])
    assert second.replaced
    assert list(BallotChoice.objects.values_list("proposal_id", flat=True)) == [ids[2]]
    assert Voter.objects.get().ballots_cast == 2


def test_a_second_ballot_is_refused_where_changes_are_not_allowed(aarhus):
    pb_round, ids = voting_round({"ballot_changes_allowed": False})
    ballot_cast(pb_round=pb_round, identity=online(), choices=[ids[0]])
    with pytest.raises(RuleViolation) as excinfo:
        ballot_cast(pb_round=pb_round, identity=online(), choices=[ids[1]])
    assert excinfo.value.code == "already_voted"


def test_paper_ballots_need_a_unique_serial(aarhus):
    pb_round, ids = voting_round({"in_person_voting": True})
    anna = identity_checked_by_staff(name="Anna", birth_date=ADULT, channel="paper")
    with pytest.raises(RuleViolation) as excinfo:
        ballot_cast(pb_round=pb_round, identity=anna, choices=[ids[0]])
    assert excinfo.value.code == "serial_required"
    ballot_cast(pb_round=pb_round, identity=anna, choices=[ids[0]], paper_serial="B-7")
    bo = identity_checked_by_staff(name="Bo", birth_date=ADULT, channel="paper")
    with pytest.raises(RuleViolation) as excinfo:
        ballot_cast(pb_round=pb_round, identity=bo, choices=[ids[0]], paper_serial="B-7")
    assert excinfo.value.code == "serial_taken"
    assert Voter.objects.count() == 1  # the refused ballot left nothing in the register


def test_the_register_and_the_ballots_cannot_be_joined(aarhus):
    pb_round, ids = voting_round()
    ballot_cast(pb_round=pb_round, identity=online("eid:broker:secret-sub"), choices=[ids[0]])
    voter, ballot = Voter.objects.get(), Ballot.objects.get()
    ballot_fields = {f.name for f in Ballot._meta.get_fields()}
    assert not ballot_fields & {"voter", "user", "cast_at", "created_at"}
    assert {f.name for f in Voter._meta.get_fields()}.isdisjoint({"ballot", "ballots"})
    assert ballot.locator != voter.secret
    stored = [str(v) for v in VoterKey.objects.values_list("key_hash", flat=True)]
    assert "secret-sub" not in "".join(stored)


def test_receipts_are_public_without_content(aarhus, aarhus_client):
    pb_round, ids = voting_round()
    pb_round.is_published = True
    pb_round.save()
    receipt = ballot_cast(pb_round=pb_round, identity=online(), choices=[ids[0]]).receipt
    page = aarhus_client.get(f"/runder/{pb_round.slug}/kvitteringer/").content.decode()
    assert receipt in page and "Projekt 0" not in page


def test_ballot_rules_freeze_with_the_first_ballot(aarhus):
    pb_round, ids = voting_round({"area_funding": "fixed"}, areas=[("Dalum", "city_district", 100_000)])
    round_update_settings(pb_round=pb_round, settings={"approval_max": 2})  # before any ballot: fine
    ballot_cast(pb_round=pb_round, identity=online(), choices=[ids[0]], area=pb_round.areas.get())
    pb_round.refresh_from_db()
    assert pb_round.rules_frozen_at is not None
    for change in ({"approval_max": 3}, {"pot": 90_000}, {"ballot": "knapsack"}, {"min_voting_age": 12}):
        with pytest.raises(RuleViolation) as excinfo:
            round_update_settings(pb_round=pb_round, settings=change)
        assert excinfo.value.code == "rules_frozen"
    with pytest.raises(RuleViolation):
        area_pot_set(area=pb_round.areas.get(), pot=50_000)
    pb_round.refresh_from_db()
    assert pb_round.rules.approval_max == 2 and pb_round.rules.pot == 100_000
    round_update_settings(pb_round=pb_round, settings={"evaluation": False})  # not a ballot rule
    with pytest.raises(ValidationError):
        round_update_settings(pb_round=pb_round, settings={"min_voting_age": 99})


def test_results_show_the_channel_and_tier_mix(aarhus):
    pb_round, ids = voting_round({"in_person_voting": True})
    ballot_cast(pb_round=pb_round, identity=online("eid:1"), choices=[ids[0]])
    ballot_cast(pb_round=pb_round, identity=online("eid:2"), choices=[ids[1]])
    ballot_cast(
        pb_round=pb_round, identity=identity_checked_by_staff(name="C", birth_date=ADULT, channel="paper"),
        choices=[ids[0]], paper_serial="1",
    )  # fmt: skip
    advance_to(pb_round, "results")
    result_record(pb_round=pb_round)
    stored = pb_round.result
    assert stored.channel_mix == {"online": 2, "paper": 1}
    assert stored.tier_mix == {"eid": 2, "staff": 1}
    assert stored.ballots == 3
    assert "eid:" not in stored.certificate_pb and "Mette" not in stored.certificate_pb
