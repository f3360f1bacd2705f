"""The offline kiosk on the server: a ballot sent again with the same key is cast once, the
voter travels signed in the page (or checked on the device, on a kiosk staff opened), and under a
race the unique (round, key) constraint decides."""

import datetime as dt
import uuid

from rounds.console.roles import VOTING_DAY
from rounds.models import Ballot, KioskSubmission, Voter
from rounds.services import kiosk as kiosk_service
from rounds.services.kiosk import kiosk_token, voter_token
from tests.rounds.console.test_voting_day import _voting_round

BALLOT = "/admin-konsol/valgdag/valgdag/kiosk/stemmeseddel/"
JSON = {"HTTP_ACCEPT": "application/json"}


def _page_tokens(client) -> dict:
    import re

    page = client.get(BALLOT).content.decode()
    return {name: re.search(rf'name="{name}" value="([^"]+)"', page).group(1) for name in ("voter", "kiosk")}


def test_the_same_key_twice_casts_one_ballot_with_one_receipt(people, console_client):
    pb_round, (playground, _benches) = _voting_round()
    kiosk = console_client(people[VOTING_DAY])
    kiosk.post("/admin-konsol/valgdag/valgdag/kiosk/", {"name": "Anna Berg", "birth_date": "1980-05-01"})
    tokens = _page_tokens(kiosk)
    key = str(uuid.uuid4())
    data = {"voter": tokens["voter"], "choices": [playground.pk], "idempotency_key": key}
    first = kiosk.post(BALLOT, data, **JSON)
    second = kiosk.post(BALLOT, data, **JSON)  # the answer was lost; the device sends again
    assert first.status_code == second.status_code == 200
    assert first.json()["receipt"] == second.json()["receipt"] == Ballot.objects.get(round=pb_round).receipt
    assert Ballot.objects.filter(round=pb_round).count() == 1 and Voter.objects.count() == 1
    stored = KioskSubmission.objects.get(round=pb_round)
    assert str(stored.key) == key and stored.receipt == first.json()["receipt"]
    # The table holds no voter: only round, key, receipt and day.
    assert {f.name for f in KioskSubmission._meta.concrete_fields} == {
        "id",
        "round",
        "key",
        "receipt",
        "created_on",
    }
    # A new key for the same person is a second ballot, refused by the register.
    again = kiosk.post(BALLOT, {**data, "idempotency_key": str(uuid.uuid4())}, **JSON)
    assert again.status_code == 400 and again.json()["errors"]
    assert Ballot.objects.filter(round=pb_round).count() == 1


def test_a_voter_checked_on_the_device_needs_the_kiosk_token_and_tokens_cannot_be_forged(
    people, console_client
):
    pb_round, (playground, benches) = _voting_round()
    staff = people[VOTING_DAY]
    kiosk = console_client(staff)
    choices = {"choices": [benches.pk]}
    # Checked offline: name and birth date in the request, with the token of a kiosk staff opened.
    plain = {"name": "Bo Lund", "birth_date": "1970-01-01", **choices}
    refused = kiosk.post(BALLOT, {**plain, "idempotency_key": str(uuid.uuid4())}, **JSON)
    assert refused.status_code == 400 and not Ballot.objects.exists()
    genuine = kiosk_token(pb_round=pb_round, staff_id=staff.pk)
    forged = genuine[:-10] + ("B" if genuine[-10] == "A" else "A") + genuine[-9:]
    assert kiosk.post(BALLOT, {**plain, "kiosk": forged}, **JSON).status_code == 400
    other_staff = kiosk_token(pb_round=pb_round, staff_id=people["citizen"].pk)
    assert kiosk.post(BALLOT, {**plain, "kiosk": other_staff}, **JSON).status_code == 400
    assert not Ballot.objects.exists()
    token = kiosk_token(pb_round=pb_round, staff_id=staff.pk)
    ok = kiosk.post(BALLOT, {**plain, "kiosk": token, "idempotency_key": str(uuid.uuid4())}, **JSON)
    assert ok.status_code == 200 and Ballot.objects.get().channel == "kiosk"

    # A voter token with another name under its signature is not the voter staff checked.
    def signed(name):
        return voter_token(
            pb_round=pb_round, staff_id=staff.pk, name=name, birth_date=dt.date(1960, 3, 3), area_id=None
        )

    good, other = signed("Carl Dam"), signed("Dan Eng")
    swapped = other.split(":")[0] + good[len(good.split(":")[0]) :]
    assert kiosk.post(BALLOT, {"voter": swapped, **choices}, **JSON).status_code == 400
    assert kiosk.post(BALLOT, {"voter": good, "choices": [playground.pk]}, **JSON).status_code == 200
    assert Ballot.objects.count() == 2


def test_under_a_race_the_loser_answers_with_the_winners_receipt(people, console_client, monkeypatch):
    pb_round, (playground, _benches) = _voting_round()
    kiosk = console_client(people[VOTING_DAY])
    token = kiosk_token(pb_round=pb_round, staff_id=people[VOTING_DAY].pk)
    key = str(uuid.uuid4())
    winner = kiosk.post(
        BALLOT,
        {"kiosk": token, "name": "Dorte Holm", "birth_date": "1990-02-02", "choices": [playground.pk],
         "idempotency_key": key},
        **JSON,
    ).json()["receipt"]  # fmt: skip
    # The loser's first look-up ran before the winner committed: it sees no stored key.
    real, calls = kiosk_service.stored_receipt, []

    def racing(pb_round, key):
        calls.append(key)
        return None if len(calls) == 1 else real(pb_round, key)

    monkeypatch.setattr(kiosk_service, "stored_receipt", racing)
    # (a) the same voter: the register refuses the second ballot, the stored key answers.
    same = {"kiosk": token, "name": "Dorte Holm", "birth_date": "1990-02-02", "choices": [playground.pk]}
    loser = kiosk.post(BALLOT, {**same, "idempotency_key": key}, **JSON)
    assert loser.status_code == 200 and loser.json()["receipt"] == winner
    # (b) a different voter with the same key (the register lets it through): the unique
    # constraint on (round, key) fails, the whole cast rolls back.
    calls.clear()
    other = {**same, "name": "Erik Juhl", "idempotency_key": key}
    loser = kiosk.post(BALLOT, other, **JSON)
    assert loser.status_code == 200 and loser.json()["receipt"] == winner
    assert Ballot.objects.filter(round=pb_round).count() == 1 and Voter.objects.count() == 1
    assert KioskSubmission.objects.count() == 1
