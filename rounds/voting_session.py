"""The verified voter of this browser session, between verification and the ballot.

Each verification method (MitID via OIDC, voting code, email code) stores the VoterIdentity it
established here; the ballot page reads it. Only derived facts are kept, never a CPR number,
and the identity belongs to one round: verifying again replaces it.
"""

from __future__ import annotations

import datetime as dt

from rounds.eligibility import VoterIdentity

SESSION_KEY = "voter_identity"


def identity_store(request, *, round_id: int, identity: VoterIdentity) -> None:
    request.session.cycle_key()  # a new session id after verification: no session fixation
    request.session[SESSION_KEY] = {
        "round_id": round_id,
        "tier": str(identity.tier),
        "channel": str(identity.channel),
        "keys": list(identity.keys),
        "birth_date": identity.birth_date.isoformat() if identity.birth_date else None,
        "age": identity.age,
        "municipality_code": identity.municipality_code,
        "postcode": identity.postcode,
        "street": identity.street,
        "point": list(identity.point) if identity.point else None,
        "area_id": identity.area_id,
    }


def identity_load(request, *, round_id: int) -> VoterIdentity | None:
    data = request.session.get(SESSION_KEY)
    if not data or data.get("round_id") != round_id:
        return None
    return VoterIdentity(
        tier=data["tier"],
        channel=data["channel"],
        keys=tuple(data["keys"]),
        birth_date=dt.date.fromisoformat(data["birth_date"]) if data.get("birth_date") else None,
        age=data.get("age"),
        municipality_code=data.get("municipality_code"),
        postcode=data.get("postcode"),
        street=data.get("street"),
        point=tuple(data["point"]) if data.get("point") else None,
        area_id=data.get("area_id"),
    )


def identity_forget(request) -> None:
    request.session.pop(SESSION_KEY, None)
