"""Merge new Danish translations (a JSON object of msgid -> msgstr) into scripts/da.json."""

import json
import sys
from pathlib import Path

TABLE = Path(__file__).resolve().parent / "da.json"

table = json.loads(TABLE.read_text(encoding="utf-8"))
table.update(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
TABLE.write_text(
    json.dumps(dict(sorted(table.items())), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
)
