"""MitID through an OpenID Connect provider: a broker, or a SAML-to-OIDC bridge to NemLog-in.

Authorization-code flow with PKCE (S256); `state` and `nonce` wait in the session. The ID token
is checked against the provider's JWKS (RS256), issuer, audience, expiry and nonce. Only the
broker's pseudonym (`sub`) and derived facts become a VoterIdentity: CPR-like claims are dropped
before anything is stored or logged.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
import re
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

import jwt
from django.core.cache import cache

from rounds.eligibility import VoterIdentity, person_key
from rounds.models.voting import Channel, Tier
from tenants.models_identity import IdentityProvider

logger = logging.getLogger(__name__)

HTTP_TIMEOUT = 10  # seconds; a slow broker should give an error page, not a hung worker
DISCOVERY_TTL = 60 * 60
JWKS_TTL = 60 * 60
PENDING_TTL = 15 * 60  # a login not finished within this time must start again
LEEWAY = 60  # seconds of clock skew tolerated on exp, iat and nbf
ALGORITHMS = ["RS256"]
# Claim names that carry a CPR number at the brokers and bridges we know (Signicat `nin`,
# NemLog-in's OIOSAML `https://data.gov.dk/model/core/eid/cprNumber`, `dk.cpr`, ...).
CPR_CLAIM = re.compile(
    r"cpr|(?<![a-z])(nin|ssn|pnr|national_?id|personal_?(id|number)|social_?security)(?![a-z])", re.IGNORECASE
)
CPR_VALUE = re.compile(r"^\s*[0-3]\d[01]\d\d\d-?\d{4}\s*$")


class OidcError(Exception):
    """The login failed. `code` is a reason code of rounds.rules.REASONS; `status` the HTTP status."""

    def __init__(self, code: str, status: int = 400, detail: str = "") -> None:
        self.code = code
        self.status = status
        super().__init__(f"{code}: {detail}" if detail else code)


@dataclass(frozen=True)
class AuthorizationRequest:
    url: str
    state: str
    pending: dict[str, Any]  # kept in the session under the state until the callback


# --- HTTP ---


def _fetch_json(url: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None) -> dict:
    """GET (or POST a form to) a provider URL and parse its JSON; any failure is `provider_unavailable`."""
    if urllib.parse.urlsplit(url).scheme not in ("https", "http"):
        raise OidcError("provider_unavailable", 502, f"not an http(s) URL: {url}")
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(
        url, data=body, headers={"Accept": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
            payload = json.loads(response.read(1_000_000))
    except urllib.error.HTTPError as exc:
        raise OidcError("provider_unavailable", 502, f"HTTP {exc.code} from {url}") from None
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        raise OidcError("provider_unavailable", 502, f"{type(exc).__name__} for {url}") from None
    if not isinstance(payload, dict):
        raise OidcError("provider_unavailable", 502, f"not a JSON object from {url}")
    return payload


def _cache_key(kind: str, url: str) -> str:
    return f"oidc:{kind}:{hashlib.sha256(url.encode()).hexdigest()}"


def discovery(issuer: str) -> dict:
    """The provider's discovery document, cached for an hour. Its issuer must be the configured one."""
    key = _cache_key("discovery", issuer)
    if (document := cache.get(key)) is not None:
        return document
    document = _fetch_json(issuer.rstrip("/") + "/.well-known/openid-configuration")
    missing = {"issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"} - set(document)
    if missing:
        raise OidcError("provider_unavailable", 502, f"discovery lacks {sorted(missing)}")
    if document["issuer"].rstrip("/") != issuer.rstrip("/"):
        # OpenID Connect Discovery 1.0, section 4.3: a mismatch means the wrong (or a spoofed) provider.
        raise OidcError("provider_unavailable", 502, "discovery issuer differs from the configured issuer")
    cache.set(key, document, DISCOVERY_TTL)
    return document


def jwks(uri: str, *, refresh: bool = False) -> dict:
    key = _cache_key("jwks", uri)
    if not refresh and (keys := cache.get(key)) is not None:
        return keys
    keys = _fetch_json(uri)
    if not isinstance(keys.get("keys"), list):
        raise OidcError("provider_unavailable", 502, "JWKS without keys")
    cache.set(key, keys, JWKS_TTL)
    return keys


# --- The flow ---


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def authorization_request(
    provider: IdentityProvider, *, redirect_uri: str, round_slug: str
) -> AuthorizationRequest:
    """The URL to send the voter to, and what the callback needs to check the answer."""
    config = discovery(provider.issuer)
    state, nonce, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(64)
    challenge = _b64url(hashlib.sha256(verifier.encode()).digest())
    query = urllib.parse.urlencode(
        {
            "response_type": "code",
            "client_id": provider.client_id,
            "redirect_uri": redirect_uri,
            "scope": " ".join(provider.scope_list),
            "state": state,
            "nonce": nonce,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    endpoint = config["authorization_endpoint"]
    url = f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
    pending = {
        "nonce": nonce,
        "verifier": verifier,
        "round_slug": round_slug,
        "provider_id": provider.pk,
        "redirect_uri": redirect_uri,
        "started": int(time.time()),
    }
    return AuthorizationRequest(url=url, state=state, pending=pending)


def code_exchange(provider: IdentityProvider, *, code: str, verifier: str, redirect_uri: str) -> dict:
    """Trade the authorization code for tokens at the provider's token endpoint."""
    config = discovery(provider.issuer)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": verifier,
    }
    headers = {}
    if provider.client_auth == IdentityProvider.ClientAuth.POST:
        form.update(client_id=provider.client_id, client_secret=provider.client_secret)
    else:
        # RFC 6749 section 2.3.1: id and secret are form-urlencoded before Basic encoding.
        quote = urllib.parse.quote_plus
        pair = f"{quote(provider.client_id)}:{quote(provider.client_secret)}"
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        form["client_id"] = provider.client_id
    tokens = _fetch_json(config["token_endpoint"], data=form, headers=headers)
    if not isinstance(tokens.get("id_token"), str):
        raise OidcError("provider_unavailable", 502, "token response without an id_token")
    return tokens


def _signing_key(config: dict, token: str) -> jwt.PyJWK:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError:
        raise OidcError("invalid_token", 400, "unreadable header") from None
    if header.get("alg") not in ALGORITHMS:
        raise OidcError("invalid_token", 400, f"algorithm {header.get('alg')!r} not accepted")
    kid = header.get("kid")
    for refresh in (False, True):  # an unknown kid: the provider may have rotated its keys
        for entry in jwks(config["jwks_uri"], refresh=refresh)["keys"]:
            if (
                entry.get("kty") == "RSA"
                and entry.get("use", "sig") == "sig"
                and (kid is None or entry.get("kid") == kid)
            ):
                try:
                    return jwt.PyJWK.from_dict(entry, algorithm="RS256")
                except jwt.PyJWKError:
                    continue
    raise OidcError("invalid_token", 400, "no matching signing key")


def id_token_claims(provider: IdentityProvider, *, id_token: str, nonce: str) -> dict:
    """The ID token's claims once its signature, issuer, audience, expiry and nonce are right.

    CPR-like claims are removed before the claims leave this function."""
    config = discovery(provider.issuer)
    key = _signing_key(config, id_token)
    try:
        claims = jwt.decode(
            id_token,
            key=key.key,  # the cryptography key: PyJWK itself is accepted only by newer PyJWT
            algorithms=ALGORITHMS,
            audience=provider.client_id,
            issuer=config["issuer"],
            leeway=LEEWAY,
            options={"require": ["iss", "aud", "exp", "iat", "sub"]},
        )
    except jwt.InvalidTokenError as exc:
        raise OidcError("invalid_token", 400, type(exc).__name__) from None
    claims = claims_without_cpr(claims)
    if not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
        raise OidcError("invalid_token", 400, "nonce mismatch")
    aud = claims["aud"]
    if isinstance(aud, list) and len(aud) > 1 and claims.get("azp") != provider.client_id:
        raise OidcError("invalid_token", 400, "azp is not our client")
    return claims


# --- From claims to a voter ---


def claims_without_cpr(claims: dict) -> dict:
    """Drop every claim that is, or looks like, a CPR number (by name or value), at any depth."""
    clean: dict = {}
    dropped: list[str] = []
    for name, value in claims.items():
        if CPR_CLAIM.search(name) or (isinstance(value, str) and CPR_VALUE.match(value) and name != "sub"):
            dropped.append(name)
            continue
        clean[name] = claims_without_cpr(value) if isinstance(value, dict) else value
    if dropped:
        logger.info("dropped CPR-like claims %s from an ID token", sorted(dropped))  # names only
    return clean


def _claim(claims: dict, name: str) -> Any:
    value: Any = claims
    for part in name.split(".") if name else ():
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return None if value in ("", None) or value is claims else value


def _birth_date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _age(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.strip().isdigit() else None


def _digits(value: Any, width: int) -> str | None:
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    return text.zfill(width) if text.isdigit() and len(text) <= width else None


def identity_from_claims(provider: IdentityProvider, claims: dict) -> VoterIdentity:
    """The voter as the round sees them: the broker's pseudonym and the derived facts, nothing else."""
    claims = claims_without_cpr(claims)
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub:
        raise OidcError("invalid_token", 400, "no sub")
    if CPR_VALUE.match(sub):
        # A bridge that puts the CPR number in `sub` is misconfigured; we will not keep it.
        raise OidcError("cpr_as_subject", 502, "sub looks like a CPR number")
    birth_date = _birth_date(_claim(claims, provider.birthdate_claim))
    age = _age(_claim(claims, provider.age_claim))
    name = _claim(claims, provider.name_claim)
    keys = [f"eid:{provider.issuer.rstrip('/')}:{sub}"]
    if isinstance(name, str) and name.strip() and birth_date is not None:
        keys.append(person_key(name, birth_date))  # staff at a voting day find the same person
    return VoterIdentity(
        tier=Tier.EID,
        channel=Channel.ONLINE,
        keys=tuple(keys),
        birth_date=birth_date,
        age=None if birth_date is not None else age,
        municipality_code=_digits(_claim(claims, provider.municipality_code_claim), 4),
        postcode=_digits(_claim(claims, provider.postcode_claim), 4),
    )


def provider_for(municipality) -> IdentityProvider | None:
    return IdentityProvider.objects.filter(municipality=municipality, is_active=True).first()
