"""The browser tests' municipality, Browserby, and its rounds: one for each kind of citizen page.

Built once per test session through the same services the product uses (rounds/demo.py's
walker: proposals, supports, comments, meetings, assessments, results, decisions, progress),
with each round's schedule moved so that its phase is open today.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django_tenants.utils import tenant_context

from rounds.demo import _build as demo_round_build
from rounds.demo import demo_citizens
from rounds.demo_data import DemoProposal as P
from rounds.demo_data import DemoRound
from rounds.eligibility import VoterIdentity
from rounds.models import Proposal, Round
from rounds.models.voting import Channel, Tier
from rounds.services.ballots import ballot_cast
from rounds.services.codes import code_batch_create
from tenants.models import Municipality
from tenants.provisioning import municipality_discard, municipality_provision

NAME, CODE, SUBDOMAIN = "Browserby Kommune", "0147", "browserby"
POSTCODE = "2000"  # Frederiksberg, the municipality whose code Browserby borrows
VOTING_CODES = 60

# The knapsack round in its voting phase: ballot, receipt, receipt list, vote start.
VOTING = DemoRound(
    preset="faaborg_midtfyn_aaben_pulje",
    slug="borgerbudget-2026",
    title="Borgerbudget 2026",
    until="voting",
    overrides={"pot": 300_000, "ballot": "knapsack", "code_verification": True, "email_verification": True},
    proposals=(
        P("Legeplads i Lindevangsparken", 120_000),
        P("Shelter ved Søndermarken", 80_000),
        P("Lys på cykelstien langs Åboulevarden", 95_000),
        P("Bytræer på Gammel Kongevej", 150_000),
        P("Reparationscafé på biblioteket", 45_000),
        P("Markedsføring af egen B&B", 30_000, fails_legal=2),
    ),
)
# Ideas with supports for and against, themes: the proposal list, the form, supporting.
IDEAS = DemoRound(
    preset="koeln_byen",
    slug="hele-byen-2027",
    title="Borgerbudget for hele Browserby 2027",
    until="ideas",
    proposals=(
        P("Bynatur langs Ladegårdsåen", 400_000, theme="Grønne områder"),
        P("Blomstereng i Frederiksberg Have", 80_000, theme="Grønne områder"),
        P("Gratis koncerter i parken", 150_000, theme="Kultur"),
        P("Udendørs fitness ved Flintholm", 180_000, theme="Sport"),
        P("Reparationscafé i hver bydel", 90_000, theme="Klima"),
        P("Cykelparkering ved stationerne", 260_000, theme="Klima"),
    ),
)
# A neighbourhood round in ideas with a self-qualification checklist and meetings to sign up for.
MEETINGS = DemoRound(
    preset="kolding_braendkjaer",
    slug="nabolaget-bestemmer",
    title="Nabolaget Bestemmer",
    until="ideas",
    proposals=(P("Fællesspisning i beboerhuset", 8_000), P("Lektiecafé for børn og unge", 15_000)),
    meetings=(
        ("workshop", "Idéværksted i beboerhuset", "Beboerhuset, Nordens Plads 3"),
        ("info", "Informationsmøde om Nabolaget Bestemmer", "Biblioteket, Falkoner Plads 3"),
    ),
)
# A finished round being evaluated: results, decisions with reasons, progress, the survey.
FINISHED = DemoRound(
    preset="kolding_braendkjaer",
    slug="nabolaget-bestemmer-2025",
    title="Nabolaget Bestemmer 2025",
    until="evaluation",
    proposals=(
        P("Julehygge i beboerhuset", 10_000),
        P("Nye bænke ved legepladsen", 14_000),
        P("Madlavning for fædre og børn", 9_000),
        P("Dansehold for piger", 12_000),
        P("Grøn gård med højbede", 15_000),
    ),
)


@dataclass
class World:
    """What the browser tests know about Browserby: its rounds, proposals and unused voting codes."""

    municipality: Municipality
    voting: str = VOTING.slug
    ideas: str = IDEAS.slug
    meetings: str = MEETINGS.slug
    finished: str = FINISHED.slug
    proposals: dict[str, int] = field(default_factory=dict)  # title -> id
    voting_codes: list[str] = field(default_factory=list)
    citizen_username: str = ""

    def proposal(self, title: str) -> int:
        return self.proposals[title]

    def voting_code(self) -> str:
        """An unused voting code of the voting round; each can cast one ballot."""
        return self.voting_codes.pop()

    def session_cookie(self, username: str | None = None) -> dict:
        """A logged-in session of a citizen, as a cookie for the browser (like Client.force_login)."""
        with tenant_context(self.municipality):
            user = get_user_model().objects.get(username=username or self.citizen_username)
            client = Client()
            client.force_login(user)
            value = client.cookies["sessionid"].value
        connection.set_schema_to_public()
        return {"name": "sessionid", "value": value}


def world_build() -> World:
    """Provision Browserby (removing a leftover of an interrupted run first) and build its rounds."""
    world_discard()
    municipality = municipality_provision(
        name=NAME, code=CODE, subdomain=SUBDOMAIN, status=Municipality.Status.ACTIVE
    )
    try:
        world = World(municipality=municipality)
        with tenant_context(municipality):
            citizens = demo_citizens()
            world.citizen_username = citizens[0].username
            # The front page shows the open round that started last: the ideas round (17 days ago).
            for spec in (FINISHED, VOTING, MEETINGS, IDEAS):
                demo_round_build(spec, citizens)
            voting = Round.objects.get(slug=VOTING.slug)
            _ballots_cast(voting)
            _batch, world.voting_codes = code_batch_create(pb_round=voting, size=VOTING_CODES)
            world.proposals = dict(Proposal.objects.values_list("title", "id"))
    except BaseException:
        world_discard()
        raise
    finally:
        connection.set_schema_to_public()
    return world


def _ballots_cast(pb_round: Round) -> None:
    """A few ballots by email voters, so the receipt list and turnout are not empty."""
    on_ballot = list(pb_round.proposals.filter(status=Proposal.Status.ON_BALLOT).order_by("id"))
    for i in range(3):
        identity = VoterIdentity(
            tier=Tier.EMAIL,
            channel=Channel.ONLINE,
            keys=(f"email:vaelger{i}@example.invalid",),
            age=30 + i,
            postcode=POSTCODE,
        )
        chosen = {on_ballot[i].pk: 1, on_ballot[-1].pk: 1}
        ballot_cast(pb_round=pb_round, identity=identity, choices=chosen)


def world_discard() -> None:
    """Remove Browserby: its schema, domain and row. Safe to call when it does not exist."""
    connection.set_schema_to_public()
    for municipality in Municipality.objects.filter(schema_name=SUBDOMAIN):
        municipality_discard(municipality)
