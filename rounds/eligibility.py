"""Who may vote: the verified facts about a voter, and the round's rules about age and residence.

Verification methods (MitID via an OIDC broker, voting codes, staff at a voting day, email
codes) each produce a VoterIdentity; the ballot service asks `eligibility_problem`. Only derived
facts are kept (birth date or age, municipality code, postcode), never a CPR number.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from rounds.models import Area, Round
from rounds.models.voting import AgeBand, Channel, Tier

TIER_RULE = {
    Tier.EID: "eid_verification",
    Tier.CODE: "code_verification",
    Tier.EMAIL: "email_verification",
    Tier.STAFF: "in_person_voting",
}
CHANNEL_RULE = {
    Channel.ONLINE: "online_voting",
    Channel.KIOSK: "in_person_voting",
    Channel.PAPER: "in_person_voting",
}


@dataclass(frozen=True)
class VoterIdentity:
    """What a verification method established about a voter.

    `keys` are the identifiers the person is known by, e.g. "eid:<broker pseudonym>",
    "person:<name>|<birth date>" (checked by staff or given by the broker), "code:<code id>",
    "email:<address>". They are hashed before they are stored.
    """

    tier: str
    channel: str
    keys: tuple[str, ...]
    birth_date: dt.date | None = None
    age: int | None = None
    municipality_code: str | None = None
    postcode: str | None = None
    street: str | None = None
    point: tuple[float, float] | None = None  # (longitude, latitude)
    area_id: int | None = None  # a voting code is bound to an area


def person_key(name: str, birth_date: dt.date) -> str:
    """The key staff and brokers share for a person: normalised full name and birth date."""
    return f"person:{' '.join(name.casefold().split())}|{birth_date.isoformat()}"


def key_hash(key: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"voter-key:{key}".encode(), hashlib.sha256).hexdigest()


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


AGE_BANDS = ((65, AgeBand.FROM_65), (50, AgeBand.FROM_50), (30, AgeBand.FROM_30), (18, AgeBand.FROM_18))


def age_band(identity: VoterIdentity, day: dt.date) -> str:
    """The voter's coarse age band on `day` (for participation by age), or "" when unknown."""
    age = age_on(identity.birth_date, day) if identity.birth_date is not None else identity.age
    if age is None:
        return ""
    return next((band for lowest, band in AGE_BANDS if age >= lowest), AgeBand.UNDER_18)


def age_reference_date(pb_round: Round) -> dt.date:
    if pb_round.age_reference_on:
        return pb_round.age_reference_on
    voting = pb_round.phases.filter(kind="voting").first()
    first_day = voting.starts_at if voting else pb_round.phases.order_by("position").first().starts_at
    return timezone.localtime(first_day).date()


def eligibility_problem(pb_round: Round, identity: VoterIdentity, area: Area | None) -> str | None:
    """Why this voter may not vote in this round (and area), as a reason code; None when they may."""
    rules = pb_round.rules
    if not getattr(rules, CHANNEL_RULE[Channel(identity.channel)]):
        return "channel_not_allowed"
    if not getattr(rules, TIER_RULE[Tier(identity.tier)]):
        return "verification_not_allowed"
    if not identity.keys:
        return "not_verified"
    if rules.min_voting_age:
        if identity.birth_date is not None:
            if age_on(identity.birth_date, age_reference_date(pb_round)) < rules.min_voting_age:
                return "too_young"
        elif identity.age is not None:
            if identity.age < rules.min_voting_age:
                return "too_young"
        elif identity.tier != Tier.CODE:  # codes are mailed only to residents of the right age
            return "age_unknown"
    if identity.area_id is not None and area is not None and identity.area_id != area.pk:
        return "wrong_area"
    if rules.residence_required and identity.tier in (Tier.EID, Tier.EMAIL):
        from django.db import connection

        code = getattr(getattr(connection, "tenant", None), "code", None)
        if identity.municipality_code and code and identity.municipality_code != code:
            return "not_resident"
        if area is not None and not area_contains(area, identity):
            return "not_resident"
    return None


def area_contains(area: Area, identity: VoterIdentity) -> bool:
    """Does the voter live in the area? An area without any definition takes everyone."""
    if not (area.postcodes or area.streets or area.boundary):
        return True
    if identity.postcode and identity.postcode in {str(p) for p in area.postcodes}:
        return True
    if identity.street and identity.postcode:
        wanted = f"{identity.street.casefold().strip()}|{identity.postcode}"
        if wanted in {s.casefold().strip() for s in area.streets}:
            return True
    if identity.point and area.boundary:
        return geojson_contains(area.boundary, identity.point)
    return False


def geojson_contains(geojson: dict, point: tuple[float, float]) -> bool:
    """Point in a GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection (holes respected)."""
    kind = geojson.get("type")
    if kind == "FeatureCollection":
        return any(geojson_contains(f, point) for f in geojson.get("features", []))
    if kind == "Feature":
        return geojson_contains(geojson.get("geometry") or {}, point)
    if kind == "Polygon":
        return _polygon_contains(geojson["coordinates"], point)
    if kind == "MultiPolygon":
        return any(_polygon_contains(polygon, point) for polygon in geojson["coordinates"])
    return False


def _polygon_contains(rings: list, point: tuple[float, float]) -> bool:
    outer, *holes = rings
    return _ring_contains(outer, point) and not any(_ring_contains(hole, point) for hole in holes)


def _ring_contains(ring: list, point: tuple[float, float]) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def identity_checked_by_staff(
    *, name: str, birth_date: dt.date, channel: str, postcode: str | None = None, area_id: int | None = None
) -> VoterIdentity:
    """A voter whose identification voting-day staff checked: known by name and birth date, the
    same key a MitID broker gives when it shares them, so one register spans both channels."""
    return VoterIdentity(
        tier=Tier.STAFF,
        channel=channel,
        keys=(person_key(name, birth_date),),
        birth_date=birth_date,
        postcode=postcode,
        area_id=area_id,
    )
