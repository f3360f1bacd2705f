"""The pb_tally management command; skipped while Django settings are not importable."""

import io
import json

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from tests.rounds.tallying.test_pabulib import EXAMPLE, broken


def _settings_ready() -> bool:
    try:
        return bool(settings.INSTALLED_APPS)
    except (ImproperlyConfigured, ImportError):
        return False


pytestmark = pytest.mark.skipif(not _settings_ready(), reason="Django settings are not configured")


def test_command_prints_json_winners(tmp_path):
    from django.core.management import call_command

    path = tmp_path / "example.pb"
    path.write_text(EXAMPLE)
    out = io.StringIO()
    call_command("pb_tally", str(path), "--rule", "mes", "--completion", "greedy", "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["rule"] == "mes"
    assert summary["spent"] <= 2500
    assert set(summary) == {"selected", "spent", "rule", "seconds"}


def test_command_refuses_a_bad_file_with_exit_code_2(tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "bad.pb"
    path.write_text(broken("num_votes;3", "num_votes;7"))
    with pytest.raises(CommandError) as caught:
        call_command("pb_tally", str(path), "--json")
    assert caught.value.returncode == 2
    assert "num_votes is 7 but the section has 3 rows" in str(caught.value)
