"""The terminal front of `recount review`: pairs side by side, one key per decision.

Each field is shown in its original script and, beside it, in the ASCII form recount compares,
so a reviewer who does not read Armenian or Arabic can still see why the model hesitated.
"""

from __future__ import annotations

import sys
from typing import Any

from rich.console import Console
from rich.table import Table

from recount.case.folder import Case
from recount.linkage import review as core
from recount.linkage.review_queue import pending_pairs
from recount.linkage.run import apply_labels
from recount.linkage.settings import LinkageSettings

KEYS = {"m": "match", "n": "non-match", "u": "unsure", "s": None}


def review_session(
    case: Case, reviewer: str, low: float, high: float, limit: int, out: Console
) -> int:
    """Ask about up to ``limit`` unlabelled pairs in [low, high); return how many were labelled."""
    pending = pending_pairs(case, low, high, limit)
    if not pending:
        out.print(
            f"No unlabelled pairs with probability in [{low}, {high}). "
            "Run `recount link` first, or widen the band with --low/--high."
        )
        return 0
    labelled = 0
    for number, pair in enumerate(pending, start=1):
        out.print(_side_by_side(number, len(pending), pair))
        answer = _ask(out)
        if answer == "q":
            break
        if KEYS[answer] is not None:
            core.add_label(case, pair["record_l"], pair["record_r"], KEYS[answer], reviewer)
            labelled += 1
    if labelled:
        result = apply_labels(case, LinkageSettings.for_case(case.settings))
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


def _side_by_side(number: int, total: int, pair: dict[str, Any]) -> Table:
    table = Table(
        title=f"Pair {number}/{total}: match probability {pair['probability']:.3f}",
        title_justify="left",
    )
    table.add_column("field")
    for record in (pair["left"], pair["right"]):
        table.add_column(f"{record['source']} row {record['row_number']}")
        table.add_column("as compared", style="dim")
    for row in pair["rows"]:
        table.add_row(
            row["field"], row["left"], row["left_ascii"], row["right"], row["right_ascii"]
        )
    return table
