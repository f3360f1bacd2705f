"""Voting with a one-time code by email: the weakest tier, self-declared, only where the round allows it."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from rounds.eligibility import VoterIdentity
from rounds.models import Ballot
from rounds.services.ballots import ballot_cast
from rounds.services.results import result_record
from rounds.voting_session import SESSION_KEY
from tests.rounds.helpers import advance_to
from tests.rounds.voting_rounds import voting_open


@pytest.fixture(autouse=True)
def fresh_throttles():
    """Throttle counters live in the cache for up to an hour; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _ask(client, pb_round, email="mette@example.dk", **fields):
    data = {"email": email, "birth_date": "1980-05-17", "age": "", "postcode": "8260", **fields}
    return client.post(f"/stem/{pb_round.slug}/email/", data)


def _code_from_mail(index: int = -1) -> str:
    return re.search(r"\b(\d{6})\b", mail.outbox[index].body).group(1)


def _confirm(client, pb_round, code):
    return client.post(f"/stem/{pb_round.slug}/email/", {"code": code})


def test_a_voter_gets_a_code_by_email_and_votes_with_tier_email(aarhus, aarhus_client):
    pb_round = voting_open(email_verification=True)
    start = _text(aarhus_client.get(f"/stem/{pb_round.slug}/"))
    assert f'href="/stem/{pb_round.slug}/email/"' in start and "Få en kode på e-mail" in start
    form = aarhus_client.get(f"/stem/{pb_round.slug}/email/")
    assert form.status_code == 200 and '<label for="id_email">' in form.content.decode()

    asked = _ask(aarhus_client, pb_round, email="  Mette@Example.DK ")
    assert asked.status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["mette@example.dk"]
    assert pb_round.title in mail.outbox[0].subject + mail.outbox[0].body
    confirmed = _confirm(aarhus_client, pb_round, _code_from_mail())
    assert confirmed.status_code == 302 and confirmed["Location"] == f"/stem/{pb_round.slug}/stemmeseddel/"
    stored = aarhus_client.session[SESSION_KEY]
    assert (stored["tier"], stored["keys"], stored["postcode"]) == (
        "email",
        ["email:mette@example.dk"],
        "8260",
    )

    proposal = pb_round.proposals.order_by("pk").first()
    receipt = aarhus_client.post(confirmed["Location"], {"choice": [str(proposal.pk)]})
    assert receipt.status_code == 200 and 'class="receipt"' in receipt.content.decode()
    assert list(Ballot.objects.filter(round=pb_round).values_list("tier", "channel")) == [("email", "online")]


def test_only_a_hash_of_the_code_is_kept_and_a_code_works_once(aarhus, aarhus_client):
    pb_round = voting_open(email_verification=True)
    _ask(aarhus_client, pb_round)
    code = _code_from_mail()
    kept = b"".join(value for value in cache._cache.values())  # the local-memory cache, pickled
    assert code.encode() not in kept and b"mette@example.dk" not in kept
    assert _confirm(aarhus_client, pb_round, code).status_code == 302
    aarhus_client.session.flush()
    _ask(aarhus_client, pb_round)  # a new pending login in the same browser
    again = _confirm(aarhus_client, pb_round, code)  # the old, used code
    assert again.status_code == 400 and "Koden er ikke rigtig." in _text(again)


def test_the_email_tier_is_refused_where_the_round_does_not_allow_it(aarhus, aarhus_client):
    pb_round = voting_open()  # open pot: MitID only, as the model's default
    assert "Få en kode på e-mail" not in _text(aarhus_client.get(f"/stem/{pb_round.slug}/"))
    response = _ask(aarhus_client, pb_round)
    assert response.status_code == 404
    assert "Denne runde godtager ikke denne måde at vise, hvem du er." in _text(response)
    assert mail.outbox == []


def test_five_wrong_tries_use_the_code_up(aarhus, aarhus_client):
    pb_round = voting_open(email_verification=True)
    _ask(aarhus_client, pb_round)
    code = _code_from_mail()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(4):
        assert _confirm(aarhus_client, pb_round, wrong).status_code == 400
    fifth = _confirm(aarhus_client, pb_round, wrong)
    assert fifth.status_code == 429 and "For mange forkerte forsøg. Bed om en ny kode." in _text(fifth)
    late = _confirm(aarhus_client, pb_round, code)  # the right code, too late
    assert late.status_code == 400 and SESSION_KEY not in aarhus_client.session


def test_code_requests_are_throttled_per_address_and_per_client(aarhus, aarhus_client):
    pb_round = voting_open(email_verification=True)
    for _ in range(3):
        assert _ask(aarhus_client, pb_round).status_code == 200
    fourth = _ask(aarhus_client, pb_round)
    assert fourth.status_code == 429 and "For mange forsøg." in _text(fourth)
    assert len(mail.outbox) == 3

    for i in range(6):  # other addresses from the same client: 10 sends in all
        _ask(aarhus_client, pb_round, email=f"nr{i}@example.dk")
    assert len(mail.outbox) == 9
    assert _ask(aarhus_client, pb_round, email="another@example.dk").status_code == 429
    assert len(mail.outbox) == 9


def test_guessing_across_codes_is_throttled_per_client(aarhus, aarhus_client):
    pb_round = voting_open(email_verification=True)
    statuses = []
    for i in range(5):
        _ask(aarhus_client, pb_round, email=f"guess{i}@example.dk")
        statuses += [_confirm(aarhus_client, pb_round, "000000").status_code for _ in range(4)]
    assert statuses[:20].count(400) >= 19  # (one guess could be right by chance: 1 in 10^6)
    assert _confirm(aarhus_client, pb_round, "000000").status_code == 429


def test_a_code_expires_after_15_minutes(aarhus, aarhus_client):
    pb_round = voting_open(email_verification=True)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _ask(aarhus_client, pb_round)
        traveller.shift(dt.timedelta(minutes=16))
        late = _confirm(aarhus_client, pb_round, _code_from_mail())
    assert late.status_code == 400 and "Koden er udløbet" in _text(late)


def test_a_self_declared_age_below_the_minimum_is_refused(aarhus, aarhus_client):
    pb_round = voting_open(email_verification=True, min_voting_age=15)
    _ask(aarhus_client, pb_round, birth_date="", age="12")
    response = _confirm(aarhus_client, pb_round, _code_from_mail())
    assert response.status_code == 403
    assert "Du er ikke gammel nok til at stemme i denne runde." in _text(response)


def test_form_errors_are_announced_and_tied_to_their_fields(aarhus, aarhus_client):
    pb_round = voting_open(email_verification=True)
    response = _ask(aarhus_client, pb_round, email="not an address", birth_date="", age="", postcode="80")
    html = response.content.decode()
    assert response.status_code == 400 and mail.outbox == []
    assert 'role="alert" id="id_email_error"' in html
    assert re.search(r'<input[^>]*aria-describedby="id_email_error"[^>]*aria-invalid="true"|'
                     r'<input[^>]*aria-invalid="true"[^>]*aria-describedby="id_email_error"', html)  # fmt: skip
    assert 'id="id_postcode_error"' in html
    assert 'id="id_age_error"' in html and "Angiv din fødselsdato eller din alder." in _text(response)


def test_results_show_the_tier_mix(aarhus, aarhus_client):
    pb_round = voting_open(email_verification=True)
    first, second = pb_round.proposals.order_by("pk")[:2]
    _ask(aarhus_client, pb_round)
    _confirm(aarhus_client, pb_round, _code_from_mail())
    aarhus_client.post(f"/stem/{pb_round.slug}/stemmeseddel/", {"choice": [str(first.pk)]})
    mitid_voter = VoterIdentity(
        tier="eid", channel="online", keys=("eid:https://broker.example:abc",), birth_date=dt.date(1970, 1, 1)
    )
    ballot_cast(pb_round=pb_round, identity=mitid_voter, choices=[second.pk])
    advance_to(pb_round, "results")
    result_record(pb_round=pb_round)
    assert pb_round.result.tier_mix == {"email": 1, "eid": 1}
    assert pb_round.result.channel_mix == {"online": 2}
