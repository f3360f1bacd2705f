"""Fill Danish translations into locale/da/LC_MESSAGES/django.po from scripts/da.json, then compile.

Workflow: `make messages` (runs makemessages, this script and compilemessages). Add new
Danish strings to scripts/da.json; tests/test_translations.py fails on any untranslated string.
"""

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "da" / "LC_MESSAGES" / "django.po"
TABLE = ROOT / "scripts" / "da.json"


def main() -> int:
    table: dict[str, str | list[str]] = json.loads(TABLE.read_text(encoding="utf-8"))
    po = polib.pofile(str(PO))
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        translation = table.get(entry.msgid)
        if translation is None:
            missing.append(entry.msgid)
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: translation[0], 1: translation[1]}
        else:
            entry.msgstr = translation
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.metadata["Language"] = "da"
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save()
    po.save_as_mofile(str(PO.with_suffix(".mo")))
    for msgid in missing:
        print(f"untranslated: {msgid!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
