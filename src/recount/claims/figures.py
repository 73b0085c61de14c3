"""The figures table: for an event, every claim beside what the case can list and estimate.

Per event and per (kind, group), side by side and never merged:

* every claim that is not rejected — the source, whom it is attributed to, the figure with its
  qualifier, the date, the quote, the evidence item, and whether a person accepted it;
* the documented count — persons the case can list (``documented.py``), with their ids;
* the latest stored estimate for the event, with its method and 95% interval, and the id that
  ``recount estimate --show`` takes. An estimate counts everyone on the event's lists, so it is
  shown on the row of the one kind of harm those persons share; when they differ it gets a row
  of its own, kind ``listed``.

So every number can be traced: claim → quote → evidence item; count → persons; estimate → its
stored inputs. Documented counts include the records of sub-events (``--parent``). From the
case's families (``recount.families.counts``) come two more documented counts: ``orphaned`` ·
``children`` (children who lost one or both parents) and ``killed`` · ``families`` (families
with no survivor, counted in families, ``unit``, with every member listed).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from recount.case.folder import Case
from recount.claims.documented import Documented, documented_persons
from recount.claims.model import Claim
from recount.claims.store import list_claims
from recount.events.event import Event, get_event, list_events
from recount.families.counts import FamilyCounts, family_counts
from recount.store import estimates as estimates_store

if TYPE_CHECKING:
    from recount.store import Connection

LISTED = "listed"


@dataclass
class FigureRow:
    kind: str
    group: str | None
    claims: list[Claim] = field(default_factory=list)
    documented: int | None = None
    documented_persons: list[int] = field(default_factory=list)
    estimate: dict[str, Any] | None = None
    unit: str = "persons"  # what ``documented`` counts: persons, or families

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "group": self.group,
            "unit": self.unit,
            "claims": [c.to_dict() for c in self.claims],
            "documented": self.documented,
            "documented_persons": self.documented_persons,
            "estimate": self.estimate,
        }


@dataclass
class EventFigures:
    event: Event
    as_of: str | None
    rows: list[FigureRow]
    disputed_persons: list[int] = field(default_factory=list)  # sources disagree on the fate

    def to_dict(self) -> dict[str, Any]:
        return {
            "event": self.event.slug,
            "name": self.event.name,
            "place": self.event.place,
            "date_low": self.event.date_low,
            "date_high": self.event.date_high,
            "as_of": self.as_of,
            "rows": [r.to_dict() for r in self.rows],
            "disputed_persons": self.disputed_persons,
        }


def event_figures(case: Case, event: str, as_of: str | None = None) -> EventFigures:
    """The figures table of one event (``as_of`` any date; None: everything the case knows)."""
    with case.reading() as conn:
        found = get_event(conn, event)
        everything = list_events(case)
        ids = {found.id, *_descendants(found.id, everything)}
        documented = documented_persons(conn, [e.slug for e in everything if e.id in ids], as_of)
        estimate = _latest_estimate(conn, found.id)
    _add_families(documented, family_counts(case, event, as_of))
    claims = [c for c in list_claims(case, event=event) if c.status != "rejected"]
    rows = _rows(claims, documented, estimate)
    for row in rows:
        if (row.kind, row.group) == FAMILIES:
            row.unit = "families"
    return EventFigures(found, as_of, rows, documented.disputed)


FAMILIES = ("killed", "families")
ORPHANS = ("orphaned", "children")


def _add_families(documented: Documented, counts: FamilyCounts) -> None:
    orphans = sorted({o.child.person_id for o in (*counts.lost_both, *counts.lost_one)})
    if orphans:
        documented.persons[ORPHANS] = orphans
    if counts.no_survivor:
        documented.persons[FAMILIES] = sorted(
            m.person_id for f in counts.no_survivor for m in f.members
        )
        documented.families = len(counts.no_survivor)


def all_figures(case: Case, as_of: str | None = None) -> list[EventFigures]:
    return [event_figures(case, e.slug, as_of) for e in list_events(case)]


def _rows(
    claims: list[Claim], documented: Documented, estimate: dict[str, Any] | None
) -> list[FigureRow]:
    keys = {(c.kind, c.group) for c in claims} | set(documented.persons)
    estimate_kind = _estimate_kind(documented) if estimate else None
    if estimate_kind is not None:
        keys.add((estimate_kind, None))
    rows = []
    for kind, group in sorted(keys, key=lambda k: (k[0], k[1] or "")):
        row = FigureRow(
            kind,
            group,
            [c for c in claims if (c.kind, c.group) == (kind, group)],
            documented.count(kind, group),
            documented.person_ids(kind, group),
        )
        if (kind, group) == (estimate_kind, None):
            row.estimate = estimate
        rows.append(row)
    return rows


def _estimate_kind(documented: Documented) -> str:
    kinds = {kind for kind, group in documented.persons if group is None}
    return kinds.pop() if len(kinds) == 1 else LISTED


def _latest_estimate(conn: Connection, event_id: int) -> dict[str, Any] | None:
    row = estimates_store.latest_estimate_of_event(conn, event_id)
    if row is None:
        return None
    result = json.loads(row["result"])
    return {
        "id": row["id"],
        "method": row["method"],
        "observed": result["observed"],
        "estimate": result["estimate"],
        "interval": result["interval"],
        "created_at": row["created_at"],
    }


def _descendants(event_id: int, events: list[Event]) -> list[int]:
    children = [e.id for e in events if e.parent_id == event_id]
    return children + [d for child in children for d in _descendants(child, events)]
