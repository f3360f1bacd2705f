import io
import json

from rounds.tallying.cli import run
from tests.rounds.tallying.conftest import pb_path
from tests.rounds.tallying.test_pabulib import EXAMPLE, broken


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_json_output_lists_the_winners(tmp_path):
    path = tmp_path / "example.pb"
    path.write_text(EXAMPLE)
    code, out, _ = call(str(path), "--rule", "greedy", "--json")
    assert code == 0
    summary = json.loads(out)
    assert summary["selected"] == ["1", "2", "5"]
    assert summary["spent"] == 2400
    assert summary["rule"] == "greedy"
    assert summary["seconds"] >= 0


def test_mes_with_whole_unit_add_one_on_assen():
    code, out, _ = call(
        str(pb_path("Netherlands_Assen_2024")), "--rule", "mes", "--completion", "add1int", "--json"
    )
    assert code == 0
    assert sorted(json.loads(out)["selected"], key=int) == ["2", "3", "5", "6", "9", "11", "12", "13", "14"]


def test_plain_output_is_one_line(tmp_path):
    path = tmp_path / "example.pb"
    path.write_text(EXAMPLE)
    code, out, _ = call(str(path), "--rule", "mes", "--utility", "cardinality")
    assert code == 0
    assert out.count("\n") == 1
    assert out.startswith("mes: ")


def test_bad_file_prints_one_line_and_exits_2(tmp_path):
    path = tmp_path / "bad.pb"
    path.write_text(broken("2;1,2;51;M", "2;1,8;51;M"))
    code, out, err = call(str(path), "--rule", "greedy", "--json")
    assert code == 2
    assert out == ""
    assert err.strip() == f"error: {path}: VOTES line 26: vote names unknown project '8'"


def test_missing_file_exits_2(tmp_path):
    code, _, err = call(str(tmp_path / "nope.pb"))
    assert code == 2
    assert "cannot read" in err
