"""Idempotent kiosk ballots: a ballot sent again with the same key is cast once.

The kiosk keeps a ballot on the device while the network is down and sends it when the network
returns, possibly more than once (a lost answer, two retries racing). `kiosk_ballot_cast` casts
the ballot and stores its key with the receipt in one transaction; a repeat gets the stored
receipt. Under a race both requests may pass the first look-up: the loser then fails either in
the register (the same person has voted: `already_voted`) or on the unique (round, key)
constraint, its transaction rolls back, and it answers with the winner's receipt.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from rounds.eligibility import VoterIdentity
from rounds.models import Area, KioskSubmission, Round
from rounds.rules import RuleViolation
from rounds.services.ballots import CastResult, ballot_cast

VOTER_SALT = "rounds.kiosk.voter"
KIOSK_SALT = "rounds.kiosk.staff"
TOKEN_MAX_AGE = dt.timedelta(hours=24)  # one voting day; a queued ballot older than that is refused


def stored_receipt(pb_round: Round, key: uuid.UUID) -> str | None:
    return KioskSubmission.objects.filter(round=pb_round, key=key).values_list("receipt", flat=True).first()


def kiosk_ballot_cast(
    *,
    pb_round: Round,
    key: uuid.UUID,
    identity: VoterIdentity,
    choices: dict[int, int],
    area: Area | None,
    actor=None,
) -> CastResult:
    """Cast a kiosk ballot once per key. Raises RuleViolation like `ballot_cast` for a new key."""
    if (receipt := stored_receipt(pb_round, key)) is not None:
        return CastResult(receipt=receipt, replaced=False)
    try:
        with transaction.atomic():
            result = ballot_cast(
                pb_round=pb_round, identity=identity, choices=choices, area=area, actor=actor
            )
            KioskSubmission.objects.create(
                round=pb_round, key=key, receipt=result.receipt, created_on=timezone.localdate()
            )
    except (IntegrityError, RuleViolation):
        # A concurrent request with the same key won (its transaction has committed by now).
        if (receipt := stored_receipt(pb_round, key)) is not None:
            return CastResult(receipt=receipt, replaced=False)
        raise
    return result


# --- Signed tokens in the kiosk page, so a queued ballot is one self-contained request.


def voter_token(
    *, pb_round: Round, staff_id: int, name: str, birth_date: dt.date, area_id: int | None
) -> str:
    """The voter staff checked on the server, signed so the page cannot change it."""
    payload = {"r": pb_round.pk, "s": staff_id, "n": name, "b": birth_date.isoformat(), "a": area_id}
    return signing.dumps(payload, salt=VOTER_SALT, compress=True)


def kiosk_token(*, pb_round: Round, staff_id: int) -> str:
    """Proof that this staff member opened a kiosk for this round (for voters checked offline)."""
    return signing.dumps({"r": pb_round.pk, "s": staff_id}, salt=KIOSK_SALT)


def token_read(token: str, *, salt: str, pb_round: Round, staff_id: int) -> dict | None:
    """The token's payload if it is genuine, recent and for this round and staff member; else None."""
    try:
        payload = signing.loads(token, salt=salt, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if payload.get("r") != pb_round.pk or payload.get("s") != staff_id:
        return None
    return payload
