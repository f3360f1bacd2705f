"""Voting with MitID through an OpenID Connect broker, against a real provider on loopback."""

import json
import logging
import re
import urllib.parse

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from rounds import oidc
from rounds.models import Ballot
from rounds.voting_session import SESSION_KEY
from tenants.models_identity import IdentityProvider
from tests.rounds.oidc_provider import CLIENT_ID, CLIENT_SECRET, CPR, LoopbackProvider, consent
from tests.rounds.voting_rounds import voting_open

ADULT = {
    "sub": "idura-pseudonym-7f3a",
    "birthdate": "1980-05-17",
    "postal_code": "8260",
    "municipality_code": "0751",
    "name": "Mette  Hansen",
    "dk.cpr": CPR,
    "nin": CPR,
    "mitid_has_cpr": True,
}


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def provider():
    running = LoopbackProvider().start()
    running.claims = dict(ADULT)
    yield running
    running.stop()


@pytest.fixture
def idp(aarhus, provider):
    return IdentityProvider.objects.create(
        municipality=aarhus,
        name="MitID (test broker)",
        issuer=provider.issuer,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        scopes="openid profile address",
    )


def _login(client, slug: str):
    """Start at our site, consent at the provider, come back: the callback's response."""
    start = client.get(f"/stem/{slug}/mitid/")
    assert start.status_code == 302, _text(start)
    back = urllib.parse.urlsplit(consent(start["Location"]))
    assert back.netloc == "aarhus.localhost" and back.path == "/stem/mitid/callback/"
    return client.get(back.path, dict(urllib.parse.parse_qsl(back.query)))


def _vote(client, pb_round, choices):
    return client.post(f"/stem/{pb_round.slug}/stemmeseddel/", {"choice": [str(p) for p in choices]})


def test_a_mitid_voter_logs_in_at_the_broker_votes_and_gets_a_receipt(idp, provider, aarhus_client):
    pb_round = voting_open()
    start = aarhus_client.get(f"/stem/{pb_round.slug}/mitid/")
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(start["Location"]).query))
    assert start["Location"].startswith(f"{provider.issuer}/authorize?")
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert query["scope"] == "openid profile address" and query["nonce"] and query["state"]
    assert query["redirect_uri"] == "http://aarhus.localhost/stem/mitid/callback/"

    back = urllib.parse.urlsplit(consent(start["Location"]))
    callback = aarhus_client.get(back.path, dict(urllib.parse.parse_qsl(back.query)))
    assert callback.status_code == 302
    assert callback["Location"] == f"/stem/{pb_round.slug}/stemmeseddel/"
    # The token request proved the PKCE verifier and used the client's secret (Basic auth).
    assert provider.token_requests[-1]["grant_type"] == "authorization_code"
    assert provider.token_requests[-1]["code_verifier"]

    ballot_page = aarhus_client.get(callback["Location"])
    assert ballot_page.status_code == 200
    assert "Legeplads i Tranbjerg" in _text(ballot_page)
    proposals = list(pb_round.proposals.order_by("pk").values_list("pk", flat=True))
    receipt = _vote(aarhus_client, pb_round, proposals[:2])
    assert receipt.status_code == 200
    code = re.search(r'class="receipt">([A-Z0-9-]+)<', receipt.content.decode()).group(1)
    ballot = Ballot.objects.get(round=pb_round)
    assert (ballot.receipt, ballot.tier, ballot.channel) == (code, "eid", "online")


def test_the_session_keeps_the_pseudonym_and_derived_facts_and_no_cpr_anywhere(
    idp, provider, aarhus_client, caplog
):
    caplog.set_level(logging.DEBUG)
    pb_round = voting_open()
    assert _login(aarhus_client, pb_round.slug).status_code == 302
    stored = aarhus_client.session[SESSION_KEY]
    assert stored["keys"] == [
        f"eid:{provider.issuer}:idura-pseudonym-7f3a",
        "person:mette hansen|1980-05-17",  # the key staff at a voting day find the same person by
    ]
    assert (stored["birth_date"], stored["municipality_code"], stored["postcode"]) == (
        "1980-05-17",
        "0751",
        "8260",
    )
    proposals = list(pb_round.proposals.values_list("pk", flat=True))
    assert _vote(aarhus_client, pb_round, proposals[:1]).status_code == 200

    assert CPR not in json.dumps(dict(aarhus_client.session.items()))
    assert not [r for r in caplog.records if CPR in r.getMessage()]
    assert "dropped CPR-like claims ['dk.cpr', 'mitid_has_cpr', 'nin']" in caplog.text
    # Every row of every table in the municipality's schema and the public schema, as text.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema IN ('aarhus', 'public') AND table_type = 'BASE TABLE'"
        )
        tables = cursor.fetchall()
        assert ("aarhus", "rounds_voterkey") in tables and ("aarhus", "django_session") in tables
        hits = []
        for schema, table in tables:
            cursor.execute(f'SELECT count(*) FROM "{schema}"."{table}" t WHERE t::text LIKE %s', [f"%{CPR}%"])
            if cursor.fetchone()[0]:
                hits.append(table)
    assert hits == []


@pytest.mark.parametrize(
    "mutation",
    ["expired", "wrong_nonce", "tampered", "foreign_key", "wrong_audience", "wrong_issuer", "none_alg"],
)
def test_a_broken_id_token_is_refused(idp, provider, aarhus_client, mutation):
    pb_round = voting_open()
    provider.mutate = mutation
    response = _login(aarhus_client, pb_round.slug)
    assert response.status_code == 400
    assert 'data-code="invalid_token"' in response.content.decode()
    assert "Vi kunne ikke bekræfte svaret fra MitID" in _text(response)
    assert SESSION_KEY not in aarhus_client.session
    assert aarhus_client.get(f"/stem/{pb_round.slug}/stemmeseddel/").status_code == 302


def test_a_state_we_did_not_issue_or_a_replayed_answer_is_refused(idp, provider, aarhus_client):
    pb_round = voting_open()
    forged = aarhus_client.get("/stem/mitid/callback/", {"code": "abc", "state": "made-up"})
    assert forged.status_code == 400 and 'data-code="login_expired"' in forged.content.decode()

    start = aarhus_client.get(f"/stem/{pb_round.slug}/mitid/")
    back = urllib.parse.urlsplit(consent(start["Location"]))
    query = dict(urllib.parse.parse_qsl(back.query))
    assert aarhus_client.get(back.path, query).status_code == 302
    replay = aarhus_client.get(back.path, query)
    assert replay.status_code == 400 and 'data-code="login_expired"' in replay.content.decode()

    other_browser = type(aarhus_client)(HTTP_HOST="aarhus.localhost")
    start = aarhus_client.get(f"/stem/{pb_round.slug}/mitid/")
    back = urllib.parse.urlsplit(consent(start["Location"]))
    stolen = other_browser.get(back.path, dict(urllib.parse.parse_qsl(back.query)))
    assert stolen.status_code == 400 and SESSION_KEY not in other_browser.session


def test_a_login_cancelled_at_the_broker_says_so(idp, provider, aarhus_client):
    pb_round = voting_open()
    start = aarhus_client.get(f"/stem/{pb_round.slug}/mitid/")
    state = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(start["Location"]).query))["state"]
    response = aarhus_client.get("/stem/mitid/callback/", {"error": "access_denied", "state": state})
    assert response.status_code == 400
    assert "Login blev afbrudt eller afvist hos MitID" in _text(response)


def test_a_voter_below_the_minimum_age_is_refused_with_the_reason(idp, provider, aarhus_client):
    pb_round = voting_open(min_voting_age=15)
    provider.claims.update(birthdate="2015-03-01", name="Lille Hansen", sub="child-1")
    response = _login(aarhus_client, pb_round.slug)
    assert response.status_code == 403
    assert "Du er ikke gammel nok til at stemme i denne runde." in _text(response)
    assert SESSION_KEY not in aarhus_client.session


def test_a_broker_that_only_gives_the_age_is_enough(idp, provider, aarhus_client):
    pb_round = voting_open(min_voting_age=15)
    provider.claims = {"sub": "age-only", "age": 16, "municipality_code": "751"}
    assert _login(aarhus_client, pb_round.slug).status_code == 302
    stored = aarhus_client.session[SESSION_KEY]
    assert (stored["age"], stored["birth_date"], stored["municipality_code"]) == (16, None, "0751")
    assert stored["keys"] == [f"eid:{provider.issuer}:age-only"]


def test_a_resident_of_another_municipality_is_refused_where_residence_is_required(
    idp, provider, aarhus_client
):
    provider.claims.update(municipality_code="0621", postal_code="6000")  # Kolding
    strict = voting_open(slug="kun-aarhusianere", residence_required=True)
    response = _login(aarhus_client, strict.slug)
    assert response.status_code == 403
    assert "Kun beboere i området kan stemme i denne runde." in _text(response)

    open_to_all = voting_open(slug="alle-kan-stemme", residence_required=False)
    assert _login(aarhus_client, open_to_all.slug).status_code == 302


@pytest.mark.parametrize("changes_allowed", [True, False])
def test_the_same_mitid_person_voting_twice(idp, provider, aarhus_client, changes_allowed):
    pb_round = voting_open(ballot_changes_allowed=changes_allowed)
    first, second = list(pb_round.proposals.order_by("pk").values_list("pk", flat=True))[:2]
    assert _login(aarhus_client, pb_round.slug).status_code == 302
    assert _vote(aarhus_client, pb_round, [first]).status_code == 200

    assert _login(aarhus_client, pb_round.slug).status_code == 302
    again = _vote(aarhus_client, pb_round, [second])
    ballots = Ballot.objects.filter(round=pb_round)
    assert ballots.count() == 1
    if changes_allowed:
        assert again.status_code == 200
        assert "Din tidligere stemme er erstattet" in _text(again)
        assert list(ballots.get().choices.values_list("proposal_id", flat=True)) == [second]
    else:
        assert again.status_code == 400
        assert "Du har allerede stemt i denne runde." in _text(again)
        assert list(ballots.get().choices.values_list("proposal_id", flat=True)) == [first]


def test_mitid_is_refused_where_the_round_does_not_take_it(idp, provider, aarhus_client):
    pb_round = voting_open(eid_verification=False, email_verification=True)
    response = aarhus_client.get(f"/stem/{pb_round.slug}/mitid/")
    assert response.status_code == 404
    assert 'data-code="verification_not_allowed"' in response.content.decode()
    assert "Log ind med MitID" not in _text(aarhus_client.get(f"/stem/{pb_round.slug}/"))


def test_a_municipality_without_a_provider_gets_a_clear_page(aarhus, aarhus_client):
    pb_round = voting_open()
    response = aarhus_client.get(f"/stem/{pb_round.slug}/mitid/")
    assert response.status_code == 404
    assert "Kommunen har endnu ikke tilsluttet MitID." in _text(response)


def test_a_provider_that_is_down_gives_a_502_not_a_500(idp, provider, aarhus_client):
    pb_round = voting_open()
    start = aarhus_client.get(f"/stem/{pb_round.slug}/mitid/")
    back = urllib.parse.urlsplit(consent(start["Location"]))
    provider.stop()  # down between the login and the token exchange
    response = aarhus_client.get(back.path, dict(urllib.parse.parse_qsl(back.query)))
    assert response.status_code == 502
    assert "MitID kan ikke nås lige nu." in _text(response)

    idp.issuer = "http://127.0.0.1:9"  # nothing listens here: discovery fails at the start
    idp.save()
    response = aarhus_client.get(f"/stem/{pb_round.slug}/mitid/")
    assert response.status_code == 502 and 'data-code="provider_unavailable"' in response.content.decode()


def test_the_english_error_page(idp, provider, aarhus_client):
    pb_round = voting_open(min_voting_age=18)
    provider.claims.update(birthdate="2010-01-01")
    aarhus_client.cookies["django_language"] = "en"
    response = _login(aarhus_client, pb_round.slug)
    assert response.status_code == 403
    assert "You are not old enough to vote in this round." in _text(response)


# --- Claims, without a provider ---


def _provider(**claim_names) -> IdentityProvider:
    return IdentityProvider(issuer="https://broker.example/", client_id="c", **claim_names)


def test_cpr_like_claims_are_dropped_by_name_and_by_value_at_any_depth():
    claims = {
        "sub": "abc",
        "nin": CPR,
        "https://data.gov.dk/model/core/eid/cprNumber": CPR,
        "address": {"postal_code": "8000", "cpr": CPR, "misc": "010180-1234"},
        "something_else": "0101801234",
        "running_total": 3,  # "nin" inside a word is not a CPR claim
        "birthdate": "1980-01-01",
    }
    assert oidc.claims_without_cpr(claims) == {
        "sub": "abc",
        "address": {"postal_code": "8000"},
        "running_total": 3,
        "birthdate": "1980-01-01",
    }


def test_a_bridge_that_sends_the_cpr_number_as_sub_is_refused():
    with pytest.raises(oidc.OidcError) as excinfo:
        oidc.identity_from_claims(_provider(), {"sub": "0101801234"})
    assert excinfo.value.code == "cpr_as_subject"


def test_claim_names_are_configurable_and_may_be_nested():
    provider = _provider(
        postcode_claim="address.postal_code", municipality_code_claim="kommunekode", age_claim=""
    )
    identity = oidc.identity_from_claims(
        provider, {"sub": "x", "address": {"postal_code": 8000}, "kommunekode": "751", "age": 40}
    )
    assert (identity.postcode, identity.municipality_code, identity.age, identity.birth_date) == (
        "8000",
        "0751",
        None,
        None,
    )
    assert identity.keys == ("eid:https://broker.example:x",)


def test_the_platform_admin_never_shows_the_client_secret(public_client, aarhus):
    connection.set_schema_to_public()
    provider = IdentityProvider.objects.create(
        municipality=aarhus, name="MitID (Signicat)", issuer="https://signicat.example", client_id="c",
        client_secret="s3cret-value-that-must-not-show",
    )  # fmt: skip
    operator = get_user_model().objects.create_superuser("operator-oidc", password="x")
    public_client.force_login(operator)
    listing = public_client.get("/platform-admin/tenants/identityprovider/")
    change = public_client.get(f"/platform-admin/tenants/identityprovider/{provider.pk}/change/")
    assert listing.status_code == change.status_code == 200
    assert "MitID (Signicat)" in listing.content.decode()
    assert "s3cret-value" not in listing.content.decode() + change.content.decode()
    # Saving without typing a secret keeps the stored one.
    form = {
        "municipality": aarhus.pk, "name": "MitID (Signicat)", "issuer": "https://signicat.example",
        "client_id": "c", "client_secret": "", "client_auth": "client_secret_basic", "scopes": "openid",
        "birthdate_claim": "birthdate", "age_claim": "age", "postcode_claim": "postal_code",
        "municipality_code_claim": "municipality_code", "name_claim": "name", "is_active": "on",
    }  # fmt: skip
    assert (
        public_client.post(
            f"/platform-admin/tenants/identityprovider/{provider.pk}/change/", form
        ).status_code
        == 302
    )
    provider.refresh_from_db()
    assert provider.client_secret == "s3cret-value-that-must-not-show"


def test_a_claim_mapping_that_points_at_the_cpr_number_still_gets_no_cpr():
    provider = _provider(name_claim="nin", postcode_claim="dk.cpr", birthdate_claim="birthdate")
    identity = oidc.identity_from_claims(
        provider, {"sub": "x", "nin": CPR, "dk.cpr": CPR, "birthdate": "1980-01-01"}
    )
    assert CPR not in repr(identity)
    assert identity.keys == ("eid:https://broker.example:x",) and identity.postcode is None
