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
                f"unknown list(s) {', '.join(unknown)}; the lists are {', '.join(self.lists)}")
        columns = [self.lists.index(name) for name in lists]
        return from_pattern_counts(
            tuple(lists), ((tuple(row[columns]), int(c))
                           for row, c in zip(self.patterns, self.counts, strict=True)))

    def check(self) -> None:
        """Refuse a table from which no multi-list estimate can be made, saying why."""
        if self.n_lists < MIN_LISTS:
            raise InvalidValueError(
                f"MSE needs at least {MIN_LISTS} lists; got {self.n_lists} "
                f"({', '.join(self.lists) or 'none'})")
        empty = [name for name, total in self.list_totals().items() if total == 0]
        if empty:
            raise InvalidValueError(
                f"list(s) with no records: {', '.join(empty)}; leave them out with --lists")
        if not (self.patterns.sum(axis=1) > 1).any():
            raise InvalidValueError(
                "no one is on more than one list: with no overlap between lists there is "
                "nothing to estimate from")

    def to_rows(self) -> list[dict[str, int]]:
        """One dict per pattern, list columns then ``count`` (the CSV layout)."""
        return [{**{name: int(v) for name, v in zip(self.lists, row, strict=True)},
                 "count": int(c)} for row, c in zip(self.patterns, self.counts, strict=True)]


def from_pattern_counts(lists: tuple[str, ...],
                        pairs: Iterable[tuple[tuple[int, ...], int]]) -> CaptureTable:
    """Build a table from (pattern, count) pairs: equal patterns add up, zero cells drop out."""
    tally: Counter[tuple[int, ...]] = Counter()
    for pattern, count in pairs:
        if any(pattern) and count:
            tally[tuple(int(v) for v in pattern)] += int(count)
    ordered = sorted(tally, reverse=True)
    patterns = np.array(ordered, dtype=np.uint8).reshape(len(ordered), len(lists))
    counts = np.array([tally[p] for p in ordered], dtype=np.int64)
    return CaptureTable(lists=lists, patterns=patterns, counts=counts)


def from_memberships(lists: Sequence[str],
                     memberships: Mapping[object, Iterable[str]]) -> CaptureTable:
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
    """Read aggregated capture histories: one 0/1 column per list and a ``count`` column.

    Every problem is reported at once (row, column, value); nothing is returned unless the
    whole file is valid.
    """
    name = str(path)
    try:
        with Path(path).open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip() for h in (reader.fieldnames or [])]
            rows = list(reader)
    except FileNotFoundError:
        raise InputFileError(name, "no such file") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputFileError(name, f"not a readable CSV file ({exc})") from None
    if "count" not in header:
        raise InputFileError(name, "no 'count' column: a counts file has one 0/1 column per "
                                   f"list and a 'count' column (columns found: "
                                   f"{', '.join(header) or 'none'})")
    lists = tuple(h for h in header if h != "count")
    if not lists:
        raise InputFileError(name, "no list columns beside 'count'")
    problems: list[Problem] = []
    pairs: list[tuple[tuple[int, ...], int]] = []
    for row_number, raw in enumerate(rows, start=1):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        pattern = []
        for column in lists:
            value = row.get(column, "")
            if value not in ("0", "1"):
                problems.append(Problem(name, row_number, row_number + 1, column, value,
                                        "0 or 1"))
            pattern.append(1 if value == "1" else 0)
        count = _parse_count(row.get("count", ""))
        if count is None:
            problems.append(Problem(name, row_number, row_number + 1, "count",
                                    row.get("count", ""), "a whole number of people, 0 or more"))
            continue
        if not any(pattern) and count > 0:
            problems.append(Problem(name, row_number, row_number + 1, "count", str(count),
                                    "0: the all-zero pattern (people on no list) is what MSE "
                                    "estimates and cannot be observed"))
        pairs.append((tuple(pattern), count))
    if problems:
        raise ValidationError(name, problems)
    if not rows:
        raise InputFileError(name, "no rows")
    return from_pattern_counts(lists, pairs)


def _parse_count(value: str) -> int | None:
    try:
        count = float(value)
    except ValueError:
        return None
    if count < 0 or not count.is_integer():
        return None
    return int(count)
