"""Capture histories: the table every MSE method starts from.

A capture table counts, for each pattern of lists (1 = on that list), how many people have that
pattern. The all-zero pattern, people on no list, is what MSE estimates, so it is never part of
the table. Patterns are rows of a ``(M, J)`` 0/1 array with ``J`` lists; the full ``2^J`` table
(``full()``) puts list 1 in the most significant bit, as dga does.

Tables come from a CSV of aggregated histories (``from_csv``: one 0/1 column per list and a
``count`` column, as in ``shared/data/mse/kosovo.csv``) or from the persons of a case
(``from_memberships``). ``check()`` refuses tables no method can estimate from.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from recount.errors import InputFileError, InvalidValueError, Problem, ValidationError

MIN_LISTS = 2
NOTHING_ESTIMATED = "nothing was estimated"
MORE_HINT = "use --json to see them all"


@dataclass(frozen=True, eq=False)
class CaptureTable:
    """Observed pattern counts over ``lists``; rows of ``patterns`` are distinct and non-zero."""

    lists: tuple[str, ...]
    patterns: np.ndarray  # (M, J) uint8, each row a non-zero 0/1 pattern
    counts: np.ndarray  # (M,) int64, > 0

    @property
    def n_lists(self) -> int:
        return len(self.lists)

    @property
    def observed(self) -> int:
        """People seen on at least one list."""
        return int(self.counts.sum())

    def list_totals(self) -> dict[str, int]:
        """People on each list."""
        totals = (self.patterns.astype(np.int64) * self.counts[:, None]).sum(axis=0)
        return {name: int(t) for name, t in zip(self.lists, totals, strict=True)}

    def full(self) -> np.ndarray:
        """The ``2^J`` vector of counts, cell index = pattern bits with list 1 most significant.

        Cell 0 (the unobserved people) is 0.
        """
        weights = 1 << np.arange(self.n_lists - 1, -1, -1)
        table = np.zeros(1 << self.n_lists, dtype=np.int64)
        np.add.at(table, self.patterns.astype(np.int64) @ weights, self.counts)
        return table

    def select(self, lists: Sequence[str]) -> CaptureTable:
        """The table over a subset of the lists (people on none of them drop out)."""
        unknown = [name for name in lists if name not in self.lists]
        if unknown:
            raise InvalidValueError(
                f"unknown list(s) {', '.join(unknown)}; the lists are {', '.join(self.lists)}"
            )
        columns = [self.lists.index(name) for name in lists]
        return from_pattern_counts(
            tuple(lists),
            (
                (tuple(row[columns]), int(c))
                for row, c in zip(self.patterns, self.counts, strict=True)
            ),
        )

    def check(self) -> None:
        """Refuse a table from which no multi-list estimate can be made, saying why."""
        if self.n_lists < MIN_LISTS:
            raise InvalidValueError(
                f"MSE needs at least {MIN_LISTS} lists; got {self.n_lists} "
                f"({', '.join(self.lists) or 'none'})"
            )
        empty = [name for name, total in self.list_totals().items() if total == 0]
        if empty:
            raise InvalidValueError(
                f"list(s) with no records: {', '.join(empty)}; leave them out with --lists"
            )
        if not (self.patterns.sum(axis=1) > 1).any():
            raise InvalidValueError(
                "no one is on more than one list: with no overlap between lists there is "
                "nothing to estimate from"
            )

    def to_rows(self) -> list[dict[str, int]]:
        """One dict per pattern, list columns then ``count`` (the CSV layout)."""
        return [
            {**{name: int(v) for name, v in zip(self.lists, row, strict=True)}, "count": int(c)}
            for row, c in zip(self.patterns, self.counts, strict=True)
        ]


def from_pattern_counts(
    lists: tuple[str, ...], pairs: Iterable[tuple[tuple[int, ...], int]]
) -> CaptureTable:
    """Build a table from (pattern, count) pairs: equal patterns add up, zero cells drop out."""
    tally: Counter[tuple[int, ...]] = Counter()
    for pattern, count in pairs:
        if any(pattern) and count:
            tally[tuple(int(v) for v in pattern)] += int(count)
    ordered = sorted(tally, reverse=True)
    patterns = np.array(ordered, dtype=np.uint8).reshape(len(ordered), len(lists))
    counts = np.array([tally[p] for p in ordered], dtype=np.int64)
    return CaptureTable(lists=lists, patterns=patterns, counts=counts)


def from_memberships(
    lists: Sequence[str], memberships: Mapping[object, Iterable[str]]
) -> CaptureTable:
    """Build a table from each person's set of lists (persons on none of ``lists`` drop out)."""
    index = {name: i for i, name in enumerate(lists)}
    tally: Counter[tuple[int, ...]] = Counter()
    for on_lists in memberships.values():
        pattern = [0] * len(lists)
        for name in on_lists:
            if name in index:
                pattern[index[name]] = 1
        tally[tuple(pattern)] += 1
    return from_pattern_counts(tuple(lists), tally.items())


def from_csv(path: Path) -> CaptureTable:
    """Read aggregated capture histories: one 0/1 column per list and a ``count`` column."""
    return read_counts(path)[()]


def read_counts(path: Path, strata: Sequence[str] = ()) -> dict[tuple[str, ...], CaptureTable]:
    """Read aggregated capture histories, one table per stratum.

    Columns named in ``strata`` hold each row's stratum (any text); ``count`` holds the number
    of people; every other column is a list (0 or 1). Every problem is reported at once (row,
    column, value); nothing is returned unless the whole file is valid. Without strata the
    result has the single key ``()``.
    """
    name = str(path)
    header, rows = _read_csv(path)
    if "count" not in header:
        raise InputFileError(
            name,
            "no 'count' column: a counts file has one 0/1 column per "
            f"list and a 'count' column (columns found: "
            f"{', '.join(header) or 'none'})",
        )
    missing = [column for column in strata if column not in header]
    if missing:
        raise InputFileError(
            name, f"no stratum column(s) {', '.join(missing)} (columns found: {', '.join(header)})"
        )
    lists = tuple(h for h in header if h != "count" and h not in strata)
    if not lists:
        raise InputFileError(name, "no list columns beside 'count'")
    problems = _text_columns(name, rows, lists)
    if problems:
        raise ValidationError(name, problems, outcome=NOTHING_ESTIMATED, more_hint=MORE_HINT)
    cells: dict[tuple[str, ...], list[tuple[tuple[int, ...], int]]] = {}
    for row_number, raw in enumerate(rows, start=1):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        found = _parse_row(name, row_number, row, lists)
        if isinstance(found, list):
            problems += found
            continue
        cells.setdefault(tuple(row[column] for column in strata), []).append(found)
    if problems:
        raise ValidationError(name, problems, outcome=NOTHING_ESTIMATED, more_hint=MORE_HINT)
    if not rows:
        raise InputFileError(name, "no rows")
    return {key: from_pattern_counts(lists, pairs) for key, pairs in sorted(cells.items())}


def _text_columns(name: str, rows: list[dict[str, str]], lists: tuple[str, ...]) -> list[Problem]:
    """Columns with no 0/1 value at all: strata the user has not named, one problem each."""
    problems = []
    for column in lists:
        values = [(row.get(column) or "").strip() for row in rows]
        if values and not any(v in ("0", "1") for v in values):
            shown = ", ".join(sorted(set(values))[:5])
            problems.append(
                Problem(
                    name,
                    None,
                    None,
                    column,
                    shown,
                    f"0 or 1 in a list column; if {column!r} is a stratum, "
                    f"name it: --strata {column}",
                )
            )
    return problems


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    try:
        with Path(path).open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip() for h in (reader.fieldnames or [])]
            return header, list(reader)
    except FileNotFoundError:
        raise InputFileError(str(path), "no such file") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputFileError(str(path), f"not a readable CSV file ({exc})") from None


def _parse_row(
    name: str, row_number: int, row: dict[str, str], lists: tuple[str, ...]
) -> tuple[tuple[int, ...], int] | list[Problem]:
    """One row's (pattern, count), or the problems found in it."""
    problems = []
    line = row_number + 1
    for column in lists:
        if row.get(column, "") not in ("0", "1"):
            problems.append(Problem(name, row_number, line, column, row.get(column, ""), "0 or 1"))
    pattern = tuple(1 if row.get(column) == "1" else 0 for column in lists)
    count = _parse_count(row.get("count", ""))
    if count is None:
        problems.append(
            Problem(
                name,
                row_number,
                line,
                "count",
                row.get("count", ""),
                "a whole number of people, 0 or more",
            )
        )
    elif not any(pattern) and count > 0:
        problems.append(
            Problem(
                name,
                row_number,
                line,
                "count",
                str(count),
                "0: the all-zero pattern (people on no list) is what MSE "
                "estimates and cannot be observed",
            )
        )
    return problems or (pattern, count)


def _parse_count(value: str) -> int | None:
    try:
        count = float(value)
    except ValueError:
        return None
    if count < 0 or not count.is_integer():
        return None
    return int(count)
