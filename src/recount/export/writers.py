"""Write rows as CSV or JSON, streaming, with spreadsheet formula injection neutralised.

A CSV cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run
as a formula by Excel, LibreOffice or Google Sheets. Such text cells get a leading apostrophe
(OWASP's advice), which spreadsheets show but do not evaluate. Numbers are written as numbers.
JSON is for programs and keeps every value exactly.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "json")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(rows: Iterable[dict[str, Any]], out: TextIO, columns: list[str]) -> int:
    """Write rows as CSV under a header of ``columns``; return how many rows."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow(neutralise("" if row[c] is None else row[c]) for c in columns)
        count += 1
    return count


def write_json(rows: Iterable[dict[str, Any]], out: TextIO, columns: list[str]) -> int:
    """Write rows as one JSON list, an object per line, without holding them all in memory."""
    count = 0
    out.write("[")
    for row in rows:
        out.write(",\n" if count else "\n")
        out.write(json.dumps({c: row[c] for c in columns}, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


WRITERS = {"csv": write_csv, "json": write_json}
