from fractions import Fraction

import pytest

from rounds.pabulib import PbFormatError, election_from_pb, parse_pb, read_pb, write_pb
from rounds.tallying import BallotKind
from tests.rounds.tallying.conftest import PB_FILES

EXAMPLE = """META
key;value
description;Municipal PB in Wieliczka
country;Poland
unit;Wieliczka
instance;2020
num_projects;5
num_votes;3
budget;2500
vote_type;approval
rule;greedy
date_begin;16.09.2020
date_end;04.10.2020
min_length;1
max_length;3
PROJECTS
project_id;cost;votes;name;category;selected
1;600;2;Park benches;culture,education;1
2;800;2;"Gym; outdoor";sport;1
4;1400;2;Library;culture;0
5;1000;1;Clinic;health,sport;1
7;1200;1;School garden;education;0
VOTES
voter_id;vote;age;sex
1;1,2,4;34;F
2;1,2;51;M
3;4,5,7;23;M
"""


def broken(old: str, new: str) -> str:
    assert old in EXAMPLE
    return EXAMPLE.replace(old, new, 1)


def test_example_is_read_with_quoted_names_and_extra_columns():
    pb = parse_pb(EXAMPLE)
    assert pb.budget == 2500
    assert list(pb.projects) == ["1", "2", "4", "5", "7"]
    assert pb.projects["2"].fields["name"] == "Gym; outdoor"
    assert pb.votes[2].vote == ("4", "5", "7")
    assert pb.vote_extra_columns == ("age", "sex")
    assert pb.votes[0].extra == ("34", "F")
    assert pb.official_selection() == ("1", "2", "5")


def test_crlf_bom_blank_lines_spaces_and_lowercase_titles_are_accepted():
    text = "\ufeff" + EXAMPLE.replace("META", "meta").replace("\n", "\r\n").replace(
        "VOTES\r\n", "VOTES\r\n\r\n"
    )
    text = text.replace("3;4,5,7;23;M", "3; 4, 5,7 ;23;M")
    pb = parse_pb(text)
    assert pb.votes[2].vote == ("4", "5", "7")
    assert len(pb.votes) == 3


def test_decimal_costs_are_exact_and_scaled_for_the_engine():
    pb = parse_pb(broken("1;600;2", "1;600.5;2").replace("budget;2500", "budget;2500.0"))
    assert pb.projects["1"].cost == Fraction(1201, 2)
    election = election_from_pb(pb)
    assert election.budget == 5000
    assert election.projects[0].cost == 1201


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (EXAMPLE.split("PROJECTS")[0], "missing section PROJECTS"),
        (EXAMPLE.replace("META\nkey;value\n", ""), "missing section META"),
        (EXAMPLE.split("VOTES")[0], "missing section VOTES"),
        (broken("num_votes;3", "num_votes;4"), "VOTES: META num_votes is 4 but the section has 3 rows"),
        (
            broken("num_projects;5", "num_projects;6"),
            "PROJECTS: META num_projects is 6 but the section has 5",
        ),
        (broken("2;1,2;51;M", "2;1,3;51;M"), "VOTES line 26: vote names unknown project '3'"),
        (broken("4;1400;2", "4;lots;2"), "PROJECTS line 20: cost of project '4' is not a number: 'lots'"),
        (broken("budget;2500", "budget;much"), "META: budget is not a number"),
        (broken("vote_type;approval", "vote_type;rainbow"), "META: unknown vote_type 'rainbow'"),
        (broken("num_votes;3\n", ""), "META: required key 'num_votes' is missing"),
        (broken("5;1000;1", "4;1000;1"), "PROJECTS line 21: duplicate project_id '4'"),
        (broken("2;1,2;51;M", "2;1,1;51;M"), "VOTES line 26: a project is listed twice in one vote"),
        (broken("project_id;cost", "id;cost"), "PROJECTS line 17: header must start with 'project_id'"),
        (broken("project_id;cost;", "project_id;price;"), "PROJECTS line 17: header has no 'cost' column"),
    ],
)
def test_bad_files_name_the_problem_in_one_line(text, message):
    with pytest.raises(PbFormatError) as caught:
        parse_pb(text)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_cumulative_points_must_match_the_listed_projects():
    text = (
        broken("vote_type;approval", "vote_type;cumulative")
        .replace("voter_id;vote;age;sex", "voter_id;vote;points;age;sex")
        .replace("1;1,2,4;34;F", "1;1,2,4;3,1,1;34;F")
        .replace("2;1,2;51;M", "2;1,2;2;51;M")
        .replace("3;4,5,7;23;M", "3;4,5,7;1,1,1;23;M")
    )
    with pytest.raises(PbFormatError, match="VOTES line 26: 1 points for 2 projects"):
        parse_pb(text)
    pb = parse_pb(text.replace("2;1,2;2;51;M", "2;1,2;2,2;51;M"))
    assert pb.votes[0].points == (3, 1, 1)
    assert election_from_pb(pb).kind is BallotKind.CUMULATIVE


def test_unreadable_file_is_a_format_error(tmp_path):
    with pytest.raises(PbFormatError, match="cannot read"):
        read_pb(tmp_path / "missing.pb")


def test_written_file_reads_back_the_same():
    pb = parse_pb(EXAMPLE)
    assert parse_pb(write_pb(pb)) == pb


@pytest.mark.parametrize("path", PB_FILES, ids=[p.stem for p in PB_FILES])
def test_every_shared_file_parses_and_round_trips(path):
    pb = read_pb(path)
    assert len(pb.projects) == int(pb.meta["num_projects"])
    assert len(pb.votes) == int(pb.meta["num_votes"])
    election = election_from_pb(pb)
    assert sum(b.weight for b in election.ballots) == len(pb.votes)
    if path.stat().st_size < 200_000:
        assert parse_pb(write_pb(pb)) == pb


def test_recorded_vote_counts_match_the_ballots():
    # The parser keeps every approval: the file's own votes column equals the recount.
    from tests.rounds.tallying.conftest import pb_path

    pb = read_pb(pb_path("Poland_Wieliczka_2023_Green_Budget"))
    counted = dict.fromkeys(pb.projects, 0)
    for vote in pb.votes:
        for pid in vote.vote:
            counted[pid] += 1
    assert counted == {pid: int(p.fields["votes"]) for pid, p in pb.projects.items()}
