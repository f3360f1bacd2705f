"""Fifty concurrent submissions for the same voter leave exactly one ballot (double voting under
concurrent requests has hit Decidim and Go Vocal in production). Real threads, real commits."""

import pytest
from django.contrib.auth import get_user_model
from django_tenants.utils import tenant_context

from rounds.eligibility import VoterIdentity
from rounds.models import AuditEntry, Ballot, BallotChoice, Round, Voter, VoterKey
from rounds.services.ballots import ballot_cast
from tenants.models import Municipality
from tests.rounds.services.test_ballots import ADULT, voting_round
from tests.rounds.threads import run_together

SUBMISSIONS = 50


@pytest.fixture
def committed_round(committed_db):
    """A voting round committed in Kolding's schema (threads cannot see a test transaction)."""
    created = []

    def make(settings):
        with tenant_context(kolding):
            pb_round, ids = voting_round(settings)
        created.append(pb_round.pk)
        return pb_round, ids

    kolding = Municipality.objects.get(schema_name="kolding")
    with tenant_context(kolding):
        first_audit = (AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()) or 0
        users = set(get_user_model().objects.values_list("id", flat=True))
    yield kolding, make
    with tenant_context(kolding):
        BallotChoice.objects.filter(ballot__round__in=created).delete()
        Ballot.objects.filter(round__in=created).delete()
        VoterKey.objects.filter(round__in=created).delete()
        Voter.objects.filter(round__in=created).delete()
        Round.objects.filter(pk__in=created).delete()
        AuditEntry.objects.filter(id__gt=first_audit).delete()
        get_user_model().objects.exclude(id__in=users).delete()


def _race(kolding, pb_round, choices_for):
    identity = VoterIdentity(tier="eid", channel="online", keys=("eid:broker:same-person",), birth_date=ADULT)

    def submit(i):
        result = ballot_cast(pb_round=pb_round, identity=identity, choices=choices_for(i))
        return "replaced" if result.replaced else "cast"

    return run_together(kolding, [lambda i=i: submit(i) for i in range(SUBMISSIONS)])


def test_fifty_concurrent_first_ballots_of_one_voter_leave_exactly_one(committed_round):
    kolding, make = committed_round
    pb_round, ids = make({"ballot_changes_allowed": False})
    outcomes = _race(kolding, pb_round, lambda i: [ids[i % 3]])
    assert sorted(set(outcomes)) == ["already_voted", "cast"]
    assert outcomes.count("cast") == 1 and len(outcomes) == SUBMISSIONS
    with tenant_context(kolding):
        assert Ballot.objects.filter(round=pb_round).count() == 1
        assert Voter.objects.filter(round=pb_round).count() == 1
        assert BallotChoice.objects.filter(ballot__round=pb_round).count() == 1


def test_fifty_concurrent_changes_of_one_ballot_leave_exactly_one(committed_round):
    kolding, make = committed_round
    pb_round, ids = make({"ballot_changes_allowed": True})
    outcomes = _race(kolding, pb_round, lambda i: [ids[i % 3]])
    assert outcomes.count("cast") == 1 and outcomes.count("replaced") == SUBMISSIONS - 1
    with tenant_context(kolding):
        assert Ballot.objects.filter(round=pb_round).count() == 1
        assert BallotChoice.objects.filter(ballot__round=pb_round).count() == 1
        voter = Voter.objects.get(round=pb_round)
        assert voter.ballots_cast == SUBMISSIONS
