"""Links between events for a timeline: precedes, follows, part of, caused by (HURIDOCS list 22).

A link is stored once, in the direction the user gave it, and shown from both ends: "A precedes
B" reads as "B follows A" on B. Links that contradict each other or the events' dates are
refused: an event cannot come both before and after another (directly or through a chain), be
part of itself, be caused by something that happened after it, or precede an event that its
dates show it followed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from recount.case.folder import Case
from recount.case.sources import get_source
from recount.clock import utc_now
from recount.errors import DuplicateError, InvalidValueError
from recount.events.event import (
    Event,
    containers_of,
    event_by_id,
    get_event,
    refuse_containment_cycle,
)
from recount.store import events as events_store
from recount.vocabulary import EVENT_LINK_KINDS, check

if TYPE_CHECKING:
    from recount.store import Connection

# How a stored link reads from the other event.
INVERSE = {
    "precedes": "follows",
    "follows": "precedes",
    "part of": "includes",
    "caused by": "led to",
}
TEMPORAL = ("precedes", "follows")


@dataclass(frozen=True)
class EventLink:
    """A link as seen from one event: ``event`` ``kind`` ``other`` (e.g. B follows A)."""

    id: int
    event: str
    kind: str
    other: str
    other_name: str
    stored: bool  # False when this is the inverse reading of a link stored on the other event
    source: str | None
    note: str | None
    created_by: str
    created_at: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def link_events(
    case: Case,
    event: str,
    kind: str,
    other: str,
    source: str | None = None,
    note: str | None = None,
    actor: str = "",
) -> EventLink:
    """Record that ``event`` ``kind`` ``other`` (e.g. ``siege precedes massacre``)."""
    kind = check(kind, EVENT_LINK_KINDS, "event link")
    with case.writing() as conn:
        first, second = get_event(conn, event), get_event(conn, other)
        if first.id == second.id:
            raise InvalidValueError(f"an event cannot be linked to itself ({first.slug!r})")
        _refuse_duplicate(conn, first, kind, second)
        _refuse_contradiction(conn, first, kind, second)
        source_id = get_source(conn, source).id if source else None
        new_id = events_store.insert_event_link(
            conn,
            event_id=first.id,
            kind=kind,
            other_event_id=second.id,
            source_id=source_id,
            note=note,
            created_by=actor,
            created_at=utc_now(),
        )
        return next(link for link in links_of(conn, first.id) if link.id == new_id)


def links_of(conn: Connection, event_id: int) -> list[EventLink]:
    """Every link of an event, stored on it or on the other end, read from this event."""
    rows = events_store.links_touching_event(conn, event_id)
    this = event_by_id(conn, event_id)
    found = []
    for row in rows:
        stored = row["event_id"] == event_id
        other = event_by_id(conn, row["other_event_id"] if stored else row["event_id"])
        kind = row["kind"] if stored else INVERSE[row["kind"]]
        found.append(
            EventLink(
                row["id"],
                this.slug,
                kind,
                other.slug,
                other.name,
                stored,
                row["source_slug"],
                row["note"],
                row["created_by"],
                row["created_at"],
            )
        )
    return found


def _refuse_duplicate(conn: Connection, first: Event, kind: str, second: Event) -> None:
    same = [(first.id, kind, second.id)]
    if kind in TEMPORAL:  # "A precedes B" and "B follows A" say the same
        same.append((second.id, INVERSE[kind], first.id))
    for a, k, b in same:
        if events_store.event_link_exists(conn, a, k, b):
            raise DuplicateError(f"the link {first.slug} {kind} {second.slug} is already recorded")
    if kind == "part of" and first.parent_id == second.id:
        raise DuplicateError(f"{second.slug!r} is already the parent of {first.slug!r}")


def _refuse_contradiction(conn: Connection, first: Event, kind: str, second: Event) -> None:
    if kind == "part of":
        refuse_containment_cycle(conn, first, second)
        if _ordered(conn, first.id, second.id) or _ordered(conn, second.id, first.id):
            raise InvalidValueError(
                f"{first.slug!r} and {second.slug!r} are recorded as one "
                "before the other, so one cannot be part of the other"
            )
        return
    earlier, later = (first, second) if kind == "precedes" else (second, first)
    if _ordered(conn, later.id, earlier.id):
        raise InvalidValueError(
            f"contradicts the links already recorded: {later.slug!r} comes before "
            f"{earlier.slug!r} (see `recount event show {earlier.slug}`)"
        )
    if earlier.date_low and later.date_high and earlier.date_low > later.date_high:
        raise InvalidValueError(
            f"contradicts the events' dates: {earlier.slug!r} starts {earlier.date_low}, after "
            f"{later.slug!r} ends ({later.date_high}); fix the dates with `recount event edit`"
        )
    if kind in TEMPORAL and (
        first.id in containers_of(conn, second.id) or second.id in containers_of(conn, first.id)
    ):
        raise InvalidValueError(
            f"one of {first.slug!r} and {second.slug!r} is part of the "
            "other, so it cannot come before or after it"
        )


def _ordered(conn: Connection, start: int, goal: int) -> bool:
    """Whether the links put ``start`` before ``goal``, directly or through a chain."""
    after = _order_graph(conn)
    seen, todo = {start}, [start]
    while todo:
        for nxt in after[todo.pop()]:
            if nxt == goal:
                return True
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def _order_graph(conn: Connection) -> dict[int, set[int]]:
    """Event id → the events the links put after it (a cause comes before what it caused)."""
    after: dict[int, set[int]] = defaultdict(set)
    # Containment says nothing about which event came first.
    for a, kind, b in events_store.event_links_except(conn, "part of"):
        if kind == "precedes":
            after[a].add(b)
        else:  # follows, caused by: the other event comes first
            after[b].add(a)
    return after
