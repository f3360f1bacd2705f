"""Voting codes by letter: stored as hashes, single-use, bound to an area, throttled, logged."""

import re

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from rounds.models import AuditEntry, Ballot, VotingCode, VotingCodeBatch
from rounds.rules import RuleViolation
from rounds.services import codes as codes_service
from rounds.services.ballots import ballot_cast, ballot_proposals
from rounds.services.codes import (
    CLIENT_FAILURES,
    CODE_ALPHABET,
    PREFIX_FAILURES,
    code_batch_create,
    code_batch_revoke,
    code_hash,
    code_redeem,
)
from rounds.services.proposals import proposal_submit
from tests.rounds.helpers import advance_to, citizen, new_round

CODE = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()  # failure counters live in the cache, which outlives a test's transaction
    yield
    cache.clear()


@pytest.fixture
def voting_round(aarhus):
    """A Porto Alegre round with two areas, in its voting phase, taking voting codes."""
    pb_round = new_round(
        "porto_alegre",
        {"pot": 400_000, "delegates": False, "proposers": "everyone", "code_verification": True},
        areas=[("Gellerup", "city_district", 200_000), ("Hasle", "city_district", 200_000)],
    )
    pb_round.is_published = True
    pb_round.save()
    advance_to(pb_round, "ideas")
    author = citizen()
    for area in pb_round.areas.all():
        for title, cost in (("Multibane", 100_000), ("Lektiecafé", 50_000)):
            proposal_submit(
                pb_round=pb_round,
                author=author,
                author_name="Aisha",
                title=f"{title} i {area.name}",
                description="…",
                cost=cost,
                area=area,
            )
    advance_to(pb_round, "voting")
    return pb_round


def _area(pb_round, name):
    return pb_round.areas.get(name=name)


def _first_choice(pb_round, area):
    return [next(iter(ballot_proposals(pb_round, area)))]


def test_codes_are_readable_have_over_60_bits_and_are_stored_only_as_hashes(voting_round):
    batch, plain = code_batch_create(pb_round=voting_round, size=20, area=_area(voting_round, "Gellerup"))
    assert len(plain) == len(set(plain)) == 20 and batch.codes.count() == 20
    assert all(CODE.match(code) for code in plain)
    assert not set("01OIL") & set(CODE_ALPHABET)
    assert len(CODE_ALPHABET) ** 16 >= 2**60
    stored = set(VotingCode.objects.filter(batch=batch).values_list("code_hash", flat=True))
    assert stored == {code_hash(code) for code in plain}
    everything = str(list(VotingCode.objects.filter(batch=batch).values())) + str(
        list(VotingCodeBatch.objects.filter(pk=batch.pk).values())
    )
    everything += str(list(AuditEntry.objects.values("old_value", "new_value")))
    assert not any(code in everything or code.replace("-", "") in everything for code in plain)


def test_a_code_votes_once_and_a_second_use_is_refused_even_where_ballots_may_change(voting_round):
    assert voting_round.rules.ballot_changes_allowed
    gellerup = _area(voting_round, "Gellerup")
    _, (code,) = code_batch_create(pb_round=voting_round, size=1, area=gellerup)
    identity = code_redeem(pb_round=voting_round, code=code, client_key="10.0.0.1")
    assert (identity.tier, identity.channel, identity.area_id) == ("code", "online", gellerup.pk)
    result = ballot_cast(
        pb_round=voting_round, identity=identity, choices=_first_choice(voting_round, gellerup)
    )
    assert result.receipt and not result.replaced
    assert VotingCode.objects.get().used_at is not None

    with pytest.raises(RuleViolation) as excinfo:
        code_redeem(pb_round=voting_round, code=code, client_key="10.0.0.1")
    assert excinfo.value.code == "code_used"
    # A session that still holds the identity cannot replace the ballot either.
    with pytest.raises(RuleViolation) as excinfo:
        ballot_cast(pb_round=voting_round, identity=identity, choices=_first_choice(voting_round, gellerup))
    assert excinfo.value.code == "code_used"
    assert Ballot.objects.filter(round=voting_round).count() == 1


def test_a_code_is_not_spent_when_its_ballot_is_refused(voting_round):
    gellerup = _area(voting_round, "Gellerup")
    _, (code,) = code_batch_create(pb_round=voting_round, size=1, area=gellerup)
    identity = code_redeem(pb_round=voting_round, code=code, client_key="10.0.0.2")
    with pytest.raises(RuleViolation) as excinfo:
        ballot_cast(pb_round=voting_round, identity=identity, choices=[])  # fewer than approval_min
    assert excinfo.value.code == "too_few"
    assert VotingCode.objects.get().used_at is None
    ballot_cast(pb_round=voting_round, identity=identity, choices=_first_choice(voting_round, gellerup))
    assert VotingCode.objects.get().used_at is not None


def test_typing_is_forgiving_about_case_spaces_and_dashes(voting_round):
    _, (code,) = code_batch_create(pb_round=voting_round, size=1, area=_area(voting_round, "Hasle"))
    typed = " " + code.replace("-", " ").lower() + " "
    identity = code_redeem(pb_round=voting_round, code=typed, client_key="10.0.0.3")
    assert identity.keys == (f"code:{VotingCode.objects.get().pk}",)


def test_a_revoked_batch_codes_are_refused_also_after_they_were_entered(voting_round):
    hasle = _area(voting_round, "Hasle")
    batch, (first, second) = code_batch_create(pb_round=voting_round, size=2, area=hasle)
    entered = code_redeem(pb_round=voting_round, code=first, client_key="10.0.0.4")
    code_batch_revoke(batch=batch)
    with pytest.raises(RuleViolation) as excinfo:
        code_redeem(pb_round=voting_round, code=second, client_key="10.0.0.4")
    assert excinfo.value.code == "code_revoked"
    with pytest.raises(RuleViolation) as excinfo:
        ballot_cast(pb_round=voting_round, identity=entered, choices=_first_choice(voting_round, hasle))
    assert excinfo.value.code == "code_revoked"
    with pytest.raises(RuleViolation) as excinfo:
        code_batch_revoke(batch=batch)
    assert excinfo.value.code == "batch_revoked"


def test_a_code_bound_to_area_a_cannot_vote_in_area_b(voting_round):
    gellerup, hasle = _area(voting_round, "Gellerup"), _area(voting_round, "Hasle")
    _, (code,) = code_batch_create(pb_round=voting_round, size=1, area=gellerup)
    identity = code_redeem(pb_round=voting_round, code=code, client_key="10.0.0.5")
    with pytest.raises(RuleViolation) as excinfo:
        ballot_cast(
            pb_round=voting_round, identity=identity, choices=_first_choice(voting_round, hasle), area=hasle
        )
    assert excinfo.value.code == "wrong_area"
    assert VotingCode.objects.get().used_at is None
    ballot_cast(pb_round=voting_round, identity=identity, choices=_first_choice(voting_round, gellerup))
    assert Ballot.objects.get(round=voting_round).area == gellerup


def test_a_code_of_another_round_is_unknown(voting_round):
    other = new_round(
        "porto_alegre", {"delegates": False, "proposers": "everyone", "code_verification": True}
    )
    _, (code,) = code_batch_create(pb_round=other, size=1)
    with pytest.raises(RuleViolation) as excinfo:
        code_redeem(pb_round=voting_round, code=code, client_key="10.0.0.6")
    assert excinfo.value.code == "code_unknown"


def test_batches_are_refused_where_codes_are_off_or_the_size_or_area_is_wrong(voting_round):
    no_codes = new_round(
        "porto_alegre", {"delegates": False, "proposers": "everyone", "code_verification": False}
    )
    with pytest.raises(RuleViolation) as excinfo:
        code_batch_create(pb_round=no_codes, size=5)
    assert excinfo.value.code == "codes_off"
    with pytest.raises(RuleViolation) as excinfo:
        code_batch_create(pb_round=voting_round, size=0)
    assert excinfo.value.code == "code_batch_size"
    other = new_round(
        "porto_alegre",
        {"delegates": False, "proposers": "everyone"},
        areas=[("Brabrand", "city_district", None)],
    )
    with pytest.raises(RuleViolation) as excinfo:
        code_batch_create(pb_round=voting_round, size=1, area=other.areas.get())
    assert excinfo.value.code == "foreign_area"
    assert not VotingCodeBatch.objects.filter(round=voting_round).exists()


def _guess(pb_round, code, client):
    with pytest.raises(RuleViolation) as excinfo:
        code_redeem(pb_round=pb_round, code=code, client_key=client)
    return excinfo.value.code


def test_guessing_is_throttled_per_client_and_every_failure_is_logged_without_the_code(voting_round):
    _, (code,) = code_batch_create(pb_round=voting_round, size=1)
    wrong = [codes_service.code_new() for _ in range(CLIENT_FAILURES)]
    assert {_guess(voting_round, guess, "192.0.2.7") for guess in wrong} == {"code_unknown"}
    # Past the limit even the right code is refused: it is not looked up at all.
    assert _guess(voting_round, code, "192.0.2.7") == "too_many_attempts"
    assert _guess(voting_round, code, "192.0.2.7") == "too_many_attempts"
    # Another client is not affected.
    assert code_redeem(pb_round=voting_round, code=code, client_key="192.0.2.8").tier == "code"

    failed = list(AuditEntry.objects.filter(action="code_failed", object_id=str(voting_round.pk)))
    reasons = sorted(entry.new_value["reason"] for entry in failed)
    assert reasons == ["code_unknown"] * CLIENT_FAILURES + ["too_many_attempts"]  # a flood is logged once
    logged = str([entry.new_value for entry in failed])
    assert "192.0.2.7" not in logged
    assert not any(guess in logged or guess.replace("-", "") in logged for guess in [*wrong, code])
    assert len({entry.new_value["client"] for entry in failed}) == 1


def test_one_ipv6_network_counts_as_one_client(voting_round):
    for host in range(CLIENT_FAILURES):
        _guess(voting_round, codes_service.code_new(), f"2001:db8:1:2::{host + 1}")
    assert _guess(voting_round, codes_service.code_new(), "2001:db8:1:2::ffff") == "too_many_attempts"


def test_guessing_around_one_code_is_throttled_per_code_prefix_across_clients(voting_round):
    _, (code, other_code) = code_batch_create(pb_round=voting_round, size=2)
    prefix = code[:4]
    for attempt in range(PREFIX_FAILURES):
        guess = prefix + codes_service.code_new()[4:]
        assert _guess(voting_round, guess, f"198.51.100.{attempt}") == "code_unknown"
    assert _guess(voting_round, code.lower(), "198.51.100.200") == "too_many_attempts"
    if other_code[:4] != prefix:
        assert code_redeem(pb_round=voting_round, code=other_code, client_key="198.51.100.201").tier == "code"


def test_codes_are_refused_outside_the_voting_phase(aarhus):
    pb_round = new_round(
        "porto_alegre", {"delegates": False, "proposers": "everyone", "code_verification": True}
    )
    _, (code,) = code_batch_create(pb_round=pb_round, size=1)
    assert _guess(pb_round, code, "10.0.0.9") == "phase_closed"
    assert not AuditEntry.objects.filter(action="code_failed").exists()


def test_the_command_writes_one_letter_per_code_and_a_summary(voting_round, tmp_path, capsys):
    out = tmp_path / "breve.pdf"
    gellerup = _area(voting_round, "Gellerup")
    call_command(
        "code_batch",
        "--round",
        voting_round.slug,
        "--size",
        "3",
        "--area",
        str(gellerup.pk),
        "--out",
        str(out),
    )
    printed = capsys.readouterr()
    batch = VotingCodeBatch.objects.get(round=voting_round)
    assert (batch.size, batch.area, batch.codes.count()) == (3, gellerup, 3)
    assert "Letters written to the PDF: 3 / 3" in printed.err.splitlines()
    assert printed.out.startswith(f"Batch {batch.pk}: 3 codes for {voting_round.title}")
    assert printed.out.count("\n") == 1
    assert len(PdfReader(out).pages) == 3
    assert not list(tmp_path.glob(".*partial"))


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--round", "findes-ikke", "--size", "3"], "No round with the slug"),
        (["--size", "0"], "200000"),
        (["--size", "3", "--area", "999999"], "is not an area of this round"),
    ],
)
def test_the_command_refuses_bad_input_with_exit_code_2(voting_round, tmp_path, arguments, message):
    if "--round" not in arguments:
        arguments = ["--round", voting_round.slug, *arguments]
    with pytest.raises(CommandError) as excinfo:
        call_command("code_batch", *arguments, "--out", str(tmp_path / "breve.pdf"))
    assert excinfo.value.returncode == 2
    assert message in str(excinfo.value)
    assert not VotingCodeBatch.objects.exists()
    assert not (tmp_path / "breve.pdf").exists()


def test_the_command_does_not_overwrite_a_file(voting_round, tmp_path):
    out = tmp_path / "breve.pdf"
    out.write_bytes(b"mailed already")
    with pytest.raises(CommandError) as excinfo:
        call_command("code_batch", "--round", voting_round.slug, "--size", "2", "--out", str(out))
    assert excinfo.value.returncode == 2
    assert out.read_bytes() == b"mailed already"
