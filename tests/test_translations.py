"""Danish is the default language: every user-facing string must have a Danish translation."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "da" / "LC_MESSAGES" / "django.po"
SOURCES = ["config", "tenants", "rounds", "models_catalogue", "api", "templates", "manage.py"]


def _live_entries(po: polib.POFile) -> dict[str, polib.POEntry]:
    return {entry.msgid: entry for entry in po if not entry.obsolete}


def test_every_danish_entry_is_translated_and_not_fuzzy():
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in _live_entries(po).values() if not e.translated() or "fuzzy" in e.flags]
    assert untranslated == []


def test_the_compiled_catalogue_matches_the_po_file():
    po = _live_entries(polib.pofile(str(PO)))
    mo = {entry.msgid: entry for entry in polib.mofile(str(PO.with_suffix(".mo")))}
    assert {k: e.msgstr for k, e in po.items() if not e.msgid_plural} == {
        k: e.msgstr for k, e in mo.items() if k in po and not e.msgid_plural
    }
    assert set(po) <= set(mo)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (apt-get install gettext)")
def test_every_string_in_the_source_is_in_the_danish_catalogue(tmp_path):
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy(source, tmp_path / name)
    (tmp_path / "locale" / "da" / "LC_MESSAGES").mkdir(parents=True)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "da", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    extracted = set(
        _live_entries(polib.pofile(str(tmp_path / "locale" / "da" / "LC_MESSAGES" / "django.po")))
    )
    committed = set(_live_entries(polib.pofile(str(PO))))
    missing = sorted(extracted - committed)
    assert missing == [], "run `make messages` and translate these in scripts/da.json"
