"""The terminal front of `recount review`: pairs side by side, one key per decision.

Each field is shown in its original script and, beside it, in the ASCII form recount compares,
so a reviewer who does not read Armenian or Arabic can still see why the model hesitated.
"""

from __future__ import annotations

import sys
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from recount.case.folder import Case
from recount.linkage import review as core
from recount.linkage.run import apply_labels
from recount.names.transliterate import to_ascii, words
from recount.store.tables import records, sources

FIELDS = (
    "full_name",
    "family_name",
    "given_name",
    "patronymic",
    "sex",
    "age",
    "birth_year",
    "date",
    "place",
    "fate",
)
KEYS = {"m": "match", "n": "non-match", "u": "unsure", "s": None}


def review_session(
    case: Case, reviewer: str, low: float, high: float, limit: int, out: Console
) -> int:
    """Ask about up to ``limit`` unlabelled pairs in [low, high); return how many were labelled."""
    pending = core.candidates(case, low, high, limit)
    if not pending:
        out.print(
            f"No unlabelled pairs with probability in [{low}, {high}). "
            "Run `recount link` first, or widen the band with --low/--high."
        )
        return 0
    labelled = 0
    for number, pair in enumerate(pending, start=1):
        left, right = _record(case, pair.record_l), _record(case, pair.record_r)
        out.print(_side_by_side(number, len(pending), pair, left, right))
        answer = _ask(out)
        if answer == "q":
            break
        if KEYS[answer] is not None:
            core.add_label(case, pair.record_l, pair.record_r, KEYS[answer], reviewer)
            labelled += 1
    if labelled:
        result = apply_labels(case)
        out.print(
            f"Recorded {labelled} label(s). Persons now: {result.persons:,} "
            f"(merges {result.merges}, splits {result.splits})."
        )
    return labelled


def _ask(out: Console) -> str:
    while True:
        out.print("[m]atch  [n]on-match  [u]nsure  [s]kip  [q]uit > ", end="", markup=False)
        line = sys.stdin.readline()
        if not line:  # end of input
            return "q"
        answer = line.strip().lower()[:1]
        if answer in KEYS or answer == "q":
            return answer
        out.print("Please answer m, n, u, s or q.")


def _record(case: Case, record_id: int) -> dict[str, Any]:
    query = (
        select(records, sources.c.slug.label("source"))
        .join(sources, sources.c.id == records.c.source_id)
        .where(records.c.id == record_id)
    )
    with case.engine.connect() as conn:
        return dict(conn.execute(query).mappings().one())


def _value(record: dict[str, Any], field: str) -> str:
    if field == "age":
        low, high = record["age_low"], record["age_high"]
        return "" if low is None else (str(low) if low == high else f"{low}-{high or ''}")
    if field == "birth_year":
        low = record["birth_year_low"]
        return "" if low is None else str(low)
    if field == "date":
        return (
            record["date_low"] or ""
            if record["date_precision"] == "day"
            else f"{record['date_low'] or ''}..{record['date_high'] or ''}".strip(".")
        )
    return record[field] or ""


def _side_by_side(
    number: int, total: int, pair: core.Candidate, left: dict[str, Any], right: dict[str, Any]
) -> Table:
    table = Table(
        title=f"Pair {number}/{total}: match probability {pair.probability:.3f}",
        title_justify="left",
    )
    table.add_column("field")
    for record in (left, right):
        table.add_column(f"{record['source']} row {record['row_number']}")
        table.add_column("as compared", style="dim")
    for field in FIELDS:
        values = [_value(left, field), _value(right, field)]
        if not any(values):
            continue
        cells = []
        for value in values:
            cells += [
                value,
                " ".join(to_ascii(w) for w in words(value))
                if field in ("full_name", "family_name", "given_name", "patronymic", "place")
                else "",
            ]
        table.add_row(field, *cells)
    return table
