"""Review: people decide the pairs the model is unsure about; their decisions win.

A label (match, non-match, unsure) on a pair of records is stored with who decided and when;
every decision is kept, and the newest one per pair applies. Labels override the model when
persons are formed (a non-match keeps two records apart even if other pairs chain them, a
match joins them) and train the next full run (Splink's ``estimate_m_from_pairwise_labels``).

Labels travel as CSV keyed by (source, row number), so they survive re-creating a case from
the same files: ``source_l,row_number_l,source_r,row_number_r,label,reviewer,labelled_at,note``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from recount.case.folder import Case
from recount.clock import utc_now
from recount.errors import InvalidValueError, NotFoundError, Problem, ValidationError
from recount.store import linkage_review as review_store
from recount.store import records as records_store
from recount.vocabulary import REVIEW_LABELS as LABELS

if TYPE_CHECKING:
    from recount.store import Connection

LABEL_COLUMNS = [
    "source_l",
    "row_number_l",
    "source_r",
    "row_number_r",
    "label",
    "reviewer",
    "labelled_at",
    "note",
]


@dataclass(frozen=True)
class Candidate:
    record_l: int
    record_r: int
    probability: float
    weight: float


def current_labels(conn: Connection) -> dict[tuple[int, int], str]:
    """The newest label of every labelled pair, in pair order (the order labels are applied)."""
    return {(left, right): label for left, right, label in review_store.newest_labels(conn)}


def add_label(
    case: Case, record_a: int, record_b: int, label: str, reviewer: str, note: str | None = None
) -> None:
    with case.writing() as conn:
        add_label_in(conn, record_a, record_b, label, reviewer, note)


def add_label_in(
    conn: Connection,
    record_a: int,
    record_b: int,
    label: str,
    reviewer: str,
    note: str | None = None,
) -> None:
    """:func:`add_label` in the caller's transaction."""
    if label not in LABELS:
        raise InvalidValueError(f"label {label!r}: expected one of {', '.join(LABELS)}")
    if record_a == record_b:
        raise InvalidValueError("a label needs two different records")
    if not reviewer.strip():
        raise InvalidValueError("a label needs the reviewer's name")
    left, right = sorted((record_a, record_b))
    found = set(records_store.existing_record_ids(conn, (left, right)))
    if found != {left, right}:
        raise NotFoundError(f"no record {sorted({left, right} - found)} in this case")
    review_store.insert_label(
        conn,
        record_l=left,
        record_r=right,
        label=label,
        reviewer=reviewer.strip(),
        labelled_at=utc_now(),
        note=note,
    )


def candidates(case: Case, low: float, high: float, limit: int = 100) -> list[Candidate]:
    """Unlabelled pairs with probability in [low, high), most uncertain (nearest 0.5) first."""
    with case.reading() as conn:
        return candidates_in(conn, low, high, limit)


def candidates_in(conn: Connection, low: float, high: float, limit: int = 100) -> list[Candidate]:
    """:func:`candidates` in the caller's transaction."""
    return [
        Candidate(*row) for row in review_store.unlabelled_pairs_between(conn, low, high, limit)
    ]


def export_labels(case: Case, out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LABEL_COLUMNS)
    count = 0
    with case.reading() as conn:
        for row in review_store.labels_by_source_row(conn):
            writer.writerow(["" if v is None else v for v in row])
            count += 1
    return count


def import_labels(case: Case, path: Path) -> int:
    """Add the labels of a CSV written by ``export_labels``; all or nothing."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = set(LABEL_COLUMNS[:6]) - set(reader.fieldnames or [])
        if missing:
            raise ValidationError(
                str(path),
                [
                    Problem(
                        str(path), None, None, None, None, f"columns {', '.join(sorted(missing))}"
                    )
                ],
            )
        rows = list(reader)
    with case.writing() as conn:
        return _add_labels(conn, str(path), rows)


def _add_labels(conn: Connection, file: str, rows: list[dict[str, Any]]) -> int:
    """The labels of ``rows``, all or none: any row naming no record of the case refuses all."""
    record_of = review_store.record_ids_by_source_row(conn)
    values, problems = [], []
    for number, row in enumerate(rows, start=1):
        found = _label_row(file, number, row, record_of, problems)
        if found:
            values.append(found)
    if problems:
        raise ValidationError(file, problems)
    review_store.insert_labels(conn, values)
    return len(values)


def _label_row(
    file: str,
    number: int,
    row: dict[str, Any],
    record_of: dict[tuple[str, int], int],
    problems: list[Problem],
) -> dict[str, Any] | None:
    ids = []
    for side in ("l", "r"):
        key = (row[f"source_{side}"], row[f"row_number_{side}"])
        try:
            ids.append(record_of[(key[0], int(key[1]))])
        except (KeyError, ValueError):
            problems.append(
                Problem(
                    file,
                    number,
                    None,
                    f"row_number_{side}",
                    f"{key[0]}:{key[1]}",
                    "a (source, row number) of a record in this case",
                )
            )
    if row["label"] not in LABELS:
        problems.append(
            Problem(file, number, None, "label", row["label"], f"one of {', '.join(LABELS)}")
        )
    if len(ids) != 2 or row["label"] not in LABELS or ids[0] == ids[1]:
        return None
    left, right = sorted(ids)
    return {
        "record_l": left,
        "record_r": right,
        "label": row["label"],
        "reviewer": row["reviewer"] or "unknown",
        "labelled_at": row.get("labelled_at") or utc_now(),
        "note": row.get("note") or None,
    }


def pairs_of(labels: dict[tuple[int, int], str], label: str) -> Iterable[tuple[int, int]]:
    return (pair for pair, value in labels.items() if value == label)
