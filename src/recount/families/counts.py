"""Counts derived from families, each with the persons behind it (docs/families.md).

* A **family** is a group of persons connected by relations (any kind, any distance).
* **No survivor**: every member is known dead as of the date (``status_state.DEAD``). Families
  where nobody is known alive but someone is missing, of unknown or disputed fate, are not
  counted as "no survivor": they are listed apart as "no known survivor".
* A **child** is a person known to be under 18 at the event: every record that gives an age
  (or a birth year, read against the event's date, else the date of the record's own event,
  else the record's date) says so. A child
  who **lost both parents** has two parents known dead; **lost one**, exactly one. The child's
  own death excludes it (an orphan survives its parents); missing children are kept and
  shown with their status. Children who would count but whose age is unknown or disputed, and
  children with a missing or unknown parent and no parent known dead, are listed apart.

A family belongs to an event when one of its members is a person of that event; a child when
it or one of its parents is.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from recount.case.folder import Case
from recount.events.event import get_event
from recount.families.relations import Link, load_links
from recount.families.status_state import (
    PersonState,
    RecordFacts,
    as_of_date,
    event_persons,
    load_records,
    states_as_of,
)

if TYPE_CHECKING:
    from recount.store import Connection

ADULT_AGE = 18


@dataclass
class Family:
    id: int  # the smallest person id in it, stable while its members are
    members: list[PersonState]

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "size": len(self.members),
            "members": [m.to_dict() for m in self.members],
        }


@dataclass
class Orphan:
    child: PersonState
    age: str  # "12", "11-12", or "unknown" / "disputed"
    parents: list[PersonState]

    def to_dict(self) -> dict:
        return {
            "child": self.child.to_dict(),
            "age": self.age,
            "parents": [p.to_dict() for p in self.parents],
        }


@dataclass
class FamilyCounts:
    event: str | None
    as_of: str | None
    families: int
    no_survivor: list[Family] = field(default_factory=list)
    no_known_survivor: list[Family] = field(default_factory=list)
    lost_both: list[Orphan] = field(default_factory=list)
    lost_one: list[Orphan] = field(default_factory=list)
    age_unknown: list[Orphan] = field(default_factory=list)
    parent_fate_unknown: list[Orphan] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    LISTS = (
        "no_survivor",
        "no_known_survivor",
        "lost_both",
        "lost_one",
        "age_unknown",
        "parent_fate_unknown",
    )

    def counts(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in self.LISTS}

    def to_dict(self) -> dict:
        return {
            "event": self.event,
            "as_of": self.as_of,
            "families": self.families,
            "counts": self.counts(),
            "notes": self.notes,
            **{name: [item.to_dict() for item in getattr(self, name)] for name in self.LISTS},
        }


def family_counts(case: Case, event: str | None = None, as_of: str | None = None) -> FamilyCounts:
    until = as_of_date(as_of)
    with case.reading() as conn:
        links = load_links(conn)
        notes = _link_notes(links)
        links = [link for link in links if link.a != link.b]
        groups = families_of(links)
        year = _event_year(conn, event)
        wanted = event_persons(conn, event) if event else None
        if wanted is not None:
            groups = [g for g in groups if wanted & set(g)]
        members = {pid for group in groups for pid in group}
        states = states_as_of(conn, members, until)
        recs = load_records(conn, members)
    result = FamilyCounts(event, until, len(groups), notes=notes)
    for group in groups:
        _classify_family(Family(group[0], [states[p] for p in group]), result)
    parents = _parents(links, members)
    for child in sorted(members):
        found = parents.get(child, [])
        # Per event, a child counts when it or one of its parents is a person of the event.
        if wanted is None or wanted & {child, *found}:
            _classify_child(child, found, states, recs.get(child, []), year, result)
    return result


def families_of(links: list[Link]) -> list[list[int]]:
    """Connected groups of persons (sorted lists, ordered by their smallest id)."""
    root: dict[int, int] = {}

    def find(x: int) -> int:
        root.setdefault(x, x)
        while root[x] != x:
            root[x] = root[root[x]]  # path halving keeps long chains cheap
            x = root[x]
        return x

    for link in links:
        root[find(link.a)] = find(link.b)
    groups: dict[int, list[int]] = defaultdict(list)
    for person in sorted(root):
        groups[find(person)].append(person)
    return sorted(groups.values())


def _link_notes(links: list[Link]) -> list[str]:
    notes = [
        f"relation {link.relation_id} joins records now of the same person {link.a} "
        "(linked since); it is ignored"
        for link in links
        if link.a == link.b
    ]
    parents: dict[int, set[int]] = defaultdict(set)
    for link in links:
        if link.kind == "parent" and link.a != link.b:
            parents[link.b].add(link.a)
    notes += [
        f"person {child} has {len(found)} parents ({', '.join(map(str, sorted(found)))})"
        " since re-linking; check the relations"
        for child, found in sorted(parents.items())
        if len(found) > 2
    ]
    return notes


def _event_year(conn: Connection, event: str | None) -> int | None:
    if not event:
        return None
    found = get_event(conn, event)
    return int(found.date_low[:4]) if found.date_low else None


def _classify_family(family: Family, result: FamilyCounts) -> None:
    outcomes = {m.outcome for m in family.members}
    if outcomes == {"dead"}:
        result.no_survivor.append(family)
    elif "alive" not in outcomes:
        result.no_known_survivor.append(family)


def _parents(links: list[Link], members: set[int]) -> dict[int, list[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    for link in links:
        if link.kind == "parent" and link.b in members:
            found[link.b].add(link.a)
    return {child: sorted(ps) for child, ps in found.items()}


def _classify_child(
    child: int,
    parents: list[int],
    states: dict[int, PersonState],
    recs: list[RecordFacts],
    year: int | None,
    result: FamilyCounts,
) -> None:
    if not parents or states[child].outcome == "dead":
        return
    parent_states = [states[p] for p in parents]
    dead = sum(1 for p in parent_states if p.outcome == "dead")
    uncertain = any(p.outcome in ("missing", "unknown") for p in parent_states)
    if dead == 0 and not uncertain:
        return
    age, is_child = age_at_event(recs, year)
    if is_child is False:
        return
    orphan = Orphan(states[child], age, parent_states)
    if is_child is None:
        result.age_unknown.append(orphan)
    elif dead >= 2:
        result.lost_both.append(orphan)
    elif dead == 1:
        result.lost_one.append(orphan)
    else:
        result.parent_fate_unknown.append(orphan)


def age_at_event(recs: list[RecordFacts], year: int | None) -> tuple[str, bool | None]:
    """(age as text, child?) — child None when no record gives an age or records disagree."""
    spans = [span for r in recs if (span := _age_span(r, year)) is not None]
    if not spans:
        return "unknown", None
    verdicts = {_verdict(low, high) for low, high in spans}
    low = min(s[0] for s in spans)
    high = None if any(s[1] is None for s in spans) else max(s[1] for s in spans)
    text = f"{low}+" if high is None else str(low) if low == high else f"{low}-{high}"
    if len(verdicts) > 1:
        return f"disputed ({text})", None
    return text, verdicts.pop()


def _verdict(low: int, high: int | None) -> bool | None:
    if high is not None and high < ADULT_AGE:
        return True
    return False if low >= ADULT_AGE else None  # 16-20 or 17+: could be either


def _age_span(rec: RecordFacts, year: int | None) -> tuple[int, int | None] | None:
    """The record's age at the event: as the list gave it, else from its birth year read
    against the event asked for, else the record's own event, else the record's date."""
    if rec.age_low is not None:
        return rec.age_low, rec.age_high
    when = rec.event_date or rec.date_low
    at = year or (int(when[:4]) if when else None)
    if rec.birth_low is None or at is None:
        return None
    born_last = rec.birth_high if rec.birth_high is not None else rec.birth_low
    # Born in year B, a person is B'-1 or B' years old during year B' (birthday not yet/past).
    return max(at - born_last - 1, 0), at - rec.birth_low
