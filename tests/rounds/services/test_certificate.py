"""The result certificate: anyone can recount the published `.pb` file with pabutools and get our winners."""

import hashlib
from fractions import Fraction

import pytest
from django.urls import reverse
from pabutools.election import Cost_Sat, parse_pabulib
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

from rounds.eligibility import VoterIdentity
from rounds.models import Proposal, Round
from rounds.pabulib import parse_pb
from rounds.services.assessments import proposal_assess
from rounds.services.ballots import ballot_cast
from rounds.services.proposals import proposal_submit
from rounds.services.results import result_record
from rounds.services.rounds import round_update_settings
from rounds.tallying import StaffOverride
from tests.rounds.helpers import advance_to, citizen, new_round, staff

# Small sums: pabutools adds 1 kr. per voter per step of its add-one completion.
COSTS = {"Legeplads": 4_000, "Bænke": 1_000, "Cykelsti": 6_000, "Hundeskov": 3_000, "Kunst": 2_000}


def voted_round(
    settings: dict, ballots: list[list[str]], *, online: bool = False, final_pot: int | None = None
):
    """An open-pot round through the services: proposals, assessment, ballots cast, results phase open."""
    pb_round = new_round("open_pot", {"in_person_voting": True, "approval_min": 0, **settings})
    advance_to(pb_round, "ideas")
    proposals = {}
    for n, (title, cost) in enumerate(COSTS.items()):
        author = citizen(email=f"forslagsstiller{n}@example.invalid")
        proposals[title] = proposal_submit(
            pb_round=pb_round,
            author=author,
            author_name=f"Borger {title}",
            author_email=author.email,
            title=title,
            description=f"{title} i byen",
            cost=cost,
        )
    if final_pot is not None:
        # The pot shrinks after the proposals came in: some now cost more than the whole pot.
        pb_round = round_update_settings(pb_round=pb_round, settings={"pot": final_pot})
    advance_to(pb_round, "assessment")
    worker = staff()
    for proposal in proposals.values():
        proposal_assess(proposal=proposal, actor=worker, department="Arbejdsgruppen", outcome="feasible")
    advance_to(pb_round, "voting")
    for i, titles in enumerate(ballots):
        if online:
            identity = VoterIdentity(tier="eid", channel="online", keys=(f"eid:voter-{i}",), age=30)
        else:
            identity = VoterIdentity(tier="staff", channel="paper", keys=(f"person:{i}",), age=30)
        ballot_cast(
            pb_round=pb_round,
            identity=identity,
            choices=[proposals[t].pk for t in titles],
            paper_serial="" if online else f"P-{i:04d}",
        )
    advance_to(pb_round, "results")
    return pb_round, proposals


def recount(certificate: str, settings: dict, tmp_path) -> set[str]:
    """Recount with pabutools alone, as an outsider would, following the stored recipe."""
    path = tmp_path / "certificate.pb"
    path.write_text(certificate, encoding="utf-8")
    instance, profile = parse_pabulib(str(path))
    recipe = settings["recount"]
    if recipe.startswith("pabutools: greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)"):
        outcome = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    elif recipe.startswith("pabutools: S = method_of_equal_shares") and "then with the real budget" in recipe:
        budget = instance.budget_limit
        instance.budget_limit = Fraction(settings["endowment_per_voter"]) * profile.num_ballots()
        first = method_of_equal_shares(instance, profile, sat_class=Cost_Sat)
        instance.budget_limit = budget
        outcome = greedy_utilitarian_welfare(
            instance, profile, sat_class=Cost_Sat, initial_budget_allocation=first
        )
    else:
        raise AssertionError(f"no recount for {recipe!r}")
    return {p.name for p in outcome}


BALLOTS = (
    [["Legeplads", "Bænke"]] * 4
    + [["Cykelsti"]] * 5
    + [["Hundeskov", "Kunst", "Bænke"]] * 3
    + [["Kunst"], ["Legeplads", "Hundeskov"], []]
)


@pytest.mark.parametrize(
    ("settings", "online"),
    [
        ({"selection": "greedy"}, False),
        ({"selection": "equal_shares", "pot": 15_000}, True),
    ],
)
def test_a_certificate_recounted_with_pabutools_gives_the_same_winners(aarhus, tmp_path, settings, online):
    pb_round, proposals = voted_round({"pot": 10_000, **settings}, BALLOTS, online=online)
    result_record(pb_round=pb_round)
    stored = pb_round.result
    assert stored.certificate_sha256 == hashlib.sha256(stored.certificate_pb.encode()).hexdigest()
    assert stored.settings["tie_breaking"] and stored.software_version.startswith("borgerbudget")
    ours = {
        str(pid) for pid in stored.projects.filter(is_selected=True).values_list("proposal_id", flat=True)
    }
    assert ours  # a recount that agrees on nothing proves nothing
    assert recount(stored.certificate_pb, stored.settings, tmp_path) == ours
    parsed = parse_pb(stored.certificate_pb)
    assert len(parsed.votes) == len(BALLOTS) == stored.ballots
    assert set(parsed.official_selection()) == ours


def test_equal_shares_counts_empty_ballots_as_voters_like_the_certificate(aarhus, tmp_path):
    # Counting the two empty ballots, Kunst and Bænke win; counting only the three non-empty ones
    # (each voter richer) would fund Hundeskov and Kunst. The certificate keeps all five.
    ballots = [["Cykelsti", "Kunst"], ["Bænke", "Hundeskov"], ["Kunst", "Hundeskov"], [], []]
    pb_round, proposals = voted_round({"selection": "equal_shares"}, ballots, online=True, final_pot=5_000)
    result_record(pb_round=pb_round)
    stored = pb_round.result
    ours = {
        str(pid) for pid in stored.projects.filter(is_selected=True).values_list("proposal_id", flat=True)
    }
    assert ours == {str(proposals[t].pk) for t in ("Kunst", "Bænke")}
    assert recount(stored.certificate_pb, stored.settings, tmp_path) == ours
    assert len(parse_pb(stored.certificate_pb).votes) == 5


def test_a_hand_count_certificate_holds_the_counted_votes(aarhus, tmp_path):
    pb_round, proposals = voted_round({"selection": "greedy", "pot": 8_000}, [["Kunst"]])
    counts = {proposals["Cykelsti"].pk: 7, proposals["Legeplads"].pk: 5, proposals["Kunst"].pk: 2}
    result_record(pb_round=pb_round, vote_counts=counts)
    stored = pb_round.result
    parsed = parse_pb(stored.certificate_pb)
    assert len(parsed.votes) == 14
    ours = {
        str(pid) for pid in stored.projects.filter(is_selected=True).values_list("proposal_id", flat=True)
    }
    assert ours == {str(proposals[t].pk) for t in ("Cykelsti", "Kunst")}
    assert recount(stored.certificate_pb, stored.settings, tmp_path) == ours


def test_the_certificate_names_no_voter_and_no_proposer(aarhus):
    pb_round, proposals = voted_round({"selection": "greedy"}, BALLOTS)
    result_record(pb_round=pb_round)
    text = pb_round.result.certificate_pb
    receipts = list(pb_round.ballots.values_list("receipt", flat=True))
    assert receipts and not any(code in text for code in receipts)
    for proposal in Proposal.objects.filter(round=pb_round):
        assert proposal.author_name not in text and proposal.author_email not in text
    assert "person:" not in text and "P-0001" not in text
    assert [v.voter_id for v in parse_pb(text).votes] == [str(i) for i in range(1, len(BALLOTS) + 1)]


def test_the_certificate_page_and_its_pb_file_are_public(aarhus, aarhus_client):
    pb_round, proposals = voted_round({"selection": "greedy"}, BALLOTS)
    override = StaffOverride(str(proposals["Hundeskov"].pk), fund=True, reason="Byrådet prioriterer hunde")
    result_record(pb_round=pb_round, override=override)
    stored = pb_round.result
    assert (
        aarhus_client.get(reverse("rounds:certificate", args=[pb_round.slug])).status_code == 404
    )  # unpublished
    Round.objects.filter(pk=pb_round.pk).update(is_published=True)
    page = aarhus_client.get(reverse("rounds:certificate", args=[pb_round.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    for shown in (
        stored.certificate_sha256,
        stored.software_version,
        "Byrådet prioriterer hunde",
        "Hundeskov",
    ):
        assert shown in html
    assert "greedy_utilitarian_welfare" in html and "pabutools" in html
    download = aarhus_client.get(reverse("rounds:certificate_pb", args=[pb_round.slug]))
    assert download.status_code == 200 and download["Content-Type"].startswith("text/plain")
    assert download["Content-Disposition"] == f'attachment; filename="{pb_round.slug}-certifikat.pb"'
    assert hashlib.sha256(download.content).hexdigest() == stored.certificate_sha256
