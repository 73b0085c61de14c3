"""Stable person ids across linkage runs, with the lineage of every merge and split.

Splink names a cluster after its smallest record id, so an id changes whenever clusters merge
or split (Splink issue #1720). recount keeps its own ids: after each run, every new cluster
takes the id of the earlier person it shares the most records with, if no cluster with a larger
share claimed it first (ties: the smaller, i.e. older, id). Clusters with no earlier person get
new ids. So a person's id survives as long as the bulk of its records stay together, and ids
are never reused.

Lineage, from the point of view of each earlier person Q:

* ``merge`` (P, Q, n): Q's id did not survive; n of its records are now in person P.
* ``split`` (P, Q, n): Q's id survived elsewhere; n of its records moved to person P.
* ``new`` (P, None, n): P is made only of records that had no person before.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass


@dataclass(frozen=True)
class LineageEvent:
    kind: str  # merge | split | new
    person_id: int
    other_person_id: int | None
    records: int


@dataclass
class Assignment:
    person_of: dict[int, int]  # record id → person id
    new_person_ids: list[int]
    events: list[LineageEvent]

    @property
    def persons(self) -> int:
        return len(set(self.person_of.values()))


def assign_person_ids(
    clusters: dict[int, int], previous: dict[int, int], next_id: int
) -> Assignment:
    """Person ids for ``clusters`` (record → cluster key) given ``previous`` (record → person)."""
    members: dict[int, list[int]] = defaultdict(list)
    for record, key in clusters.items():
        members[key].append(record)
    overlaps = {
        key: Counter(previous[r] for r in recs if r in previous) for key, recs in members.items()
    }
    claims = sorted(
        ((n, person, key) for key, counter in overlaps.items() for person, n in counter.items()),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    person_for: dict[int, int] = {}
    taken: set[int] = set()
    for _n, person, key in claims:
        if key not in person_for and person not in taken:
            person_for[key] = person
            taken.add(person)
    new_ids = []
    for key in sorted(k for k in members if k not in person_for):
        person_for[key] = next_id
        new_ids.append(next_id)
        next_id += 1
    person_of = {r: person_for[key] for key, recs in members.items() for r in recs}
    return Assignment(person_of, new_ids, _lineage(members, overlaps, person_for, taken))


def _lineage(
    members: dict[int, list[int]],
    overlaps: dict[int, Counter],
    person_for: dict[int, int],
    kept: set[int],
) -> list[LineageEvent]:
    events = []
    for key in sorted(members, key=lambda k: person_for[k]):
        person = person_for[key]
        counter = overlaps[key]
        if not counter:
            events.append(LineageEvent("new", person, None, len(members[key])))
        for earlier, n in sorted(counter.items()):
            if earlier == person:
                continue
            kind = "split" if earlier in kept else "merge"
            events.append(LineageEvent(kind, person, earlier, n))
    return events
