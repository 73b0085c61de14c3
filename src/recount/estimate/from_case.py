"""Capture tables from a case: which persons each source (list) recorded, by stratum.

A list is a source; a person is on a list when at least one of its records comes from that
source (duplicates within a list count once). Persons come from the newest linkage, or from the
stored pair probabilities clustered at another threshold (``persons_at_threshold``), which is how
linkage uncertainty is carried into estimation.

Strata are person-level values derived from the person's records:

- ``sex``: the value most of its records give (M, F); a tie or none → ``unknown``.
- ``age_group``: the median of its records' ages (the middle of an age range; or the year of
  the incident minus the birth year) → ``child`` (under 18), ``adult`` (18–59), ``elderly``
  (60 and over), or ``unknown``.
- ``place``, ``fate``, ``event``: the most common value among its records, else ``unknown``.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from recount.errors import InvalidValueError, NotFoundError
from recount.estimate.table import CaptureTable, from_memberships
from recount.store import estimates as estimates_store
from recount.store import events as events_store

if TYPE_CHECKING:
    from recount.store import Connection

STRATUM_FIELDS = ("sex", "age_group", "place", "fate", "event")
UNKNOWN = "unknown"
CHILD_BELOW, ELDERLY_FROM = 18, 60


@dataclass
class PersonLists:
    """Each person's lists and stratum values, as derived from the case's records."""

    lists: tuple[str, ...]
    on_lists: dict[int, set[str]] = field(default_factory=dict)
    values: dict[int, dict[str, str]] = field(default_factory=dict)

    def tables(self, strata: Sequence[str] = ()) -> dict[tuple[str, ...], CaptureTable]:
        """One capture table per stratum (key ``()`` without strata)."""
        grouped: dict[tuple[str, ...], dict[int, set[str]]] = defaultdict(dict)
        for person, on_lists in self.on_lists.items():
            key = tuple(self.values[person][name] for name in strata)
            grouped[key][person] = on_lists
        return {
            key: from_memberships(self.lists, members) for key, members in sorted(grouped.items())
        }


def person_lists(
    conn: Connection,
    event: str | None = None,
    lists: Sequence[str] | None = None,
    person_of: dict[int, int] | None = None,
) -> PersonLists:
    """Gather persons, their lists and stratum values from the case.

    ``event`` keeps records of that event (by slug); ``lists`` keeps those sources, in that
    order (default: every source with records, in slug order); ``person_of`` maps record id →
    person id to use instead of the stored persons (a clustering at another threshold).
    """
    event_id = _event_id(conn, event)
    rows = estimates_store.capture_rows(conn, event_id)
    available = sorted({row["slug"] for row in rows})
    chosen = tuple(lists) if lists else tuple(available)
    unknown = [name for name in chosen if name not in available]
    if unknown:
        where = f" for event {event}" if event else ""
        raise InvalidValueError(
            f"no records from list(s) {', '.join(unknown)}{where}; "
            f"lists with records: {', '.join(available) or 'none'}"
        )
    by_person: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        if row["slug"] in chosen:
            person = person_of.get(row["id"], row["person_id"]) if person_of else row["person_id"]
            by_person[person].append(row)
    result = PersonLists(lists=chosen)
    for person, person_rows in by_person.items():
        result.on_lists[person] = {row["slug"] for row in person_rows}
        result.values[person] = stratum_values(person_rows)
    return result


def _event_id(conn: Connection, event: str | None) -> int | None:
    if event is None:
        return None
    found = events_store.event_id_by_slug(conn, event)
    if found is None:
        raise NotFoundError(f"no event {event!r}; see `recount event list`")
    return found


def stratum_values(person_rows: Sequence[Any]) -> dict[str, str]:
    """A person's stratum values from its records (see the module docstring)."""
    return {
        "sex": _majority([r["sex"] for r in person_rows if r["sex"] in ("M", "F")]),
        "age_group": age_group(_ages(person_rows)),
        "place": _majority([r["place"] for r in person_rows if r["place"]]),
        "fate": _majority([r["fate"] for r in person_rows if r["fate"]]),
        "event": _majority([r["event"] for r in person_rows if r["event"]]),
    }


def _majority(values: list[str]) -> str:
    """The most common value; a tie at the top, or no value, is unknown."""
    ranked = Counter(values).most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return UNKNOWN
    return ranked[0][0]


def _ages(person_rows: Sequence[Any]) -> list[float]:
    ages = []
    for row in person_rows:
        if row["age_low"] is not None:
            high = row["age_high"] if row["age_high"] is not None else row["age_low"]
            ages.append((row["age_low"] + high) / 2)
        elif row["birth_year_low"] is not None and row["date_low"]:
            high = row["birth_year_high"] or row["birth_year_low"]
            ages.append(int(row["date_low"][:4]) - (row["birth_year_low"] + high) / 2)
    return ages


def age_group(ages: list[float]) -> str:
    """child (< 18), adult (18–59), elderly (≥ 60) from the median age; unknown without one."""
    if not ages:
        return UNKNOWN
    age = statistics.median(ages)
    if age < CHILD_BELOW:
        return "child"
    return "adult" if age < ELDERLY_FROM else "elderly"


def check_strata_fields(strata: Sequence[str]) -> None:
    unknown = [name for name in strata if name not in STRATUM_FIELDS]
    if unknown:
        raise InvalidValueError(
            f"unknown stratum field(s) {', '.join(unknown)}; a case can be "
            f"stratified by {', '.join(STRATUM_FIELDS)}"
        )
