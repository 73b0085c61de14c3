"""The timeline of a case's events, and everything known about one event.

Events are ordered by their first possible day, then their last (a day before the month that
contains it), undated events last; each carries its links read from its own side. The view of
one event gathers what hangs on it: parent and parts, links, its place on the timeline, acts,
interventions, and how many records, persons, claims and evidence items are attached.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from recount.case.folder import Case
from recount.events.acts import Act, acts_of_event
from recount.events.event import Event, event_by_id, get_event
from recount.events.interventions import Intervention, interventions_of_event
from recount.events.links import EventLink, links_of
from recount.store import events as events_store

if TYPE_CHECKING:
    from recount.store import Connection


@dataclass(frozen=True)
class TimelineEntry:
    position: int | None  # 1 for the earliest dated event; None when undated
    event: Event
    links: list[EventLink] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "position": self.position,
            **self.event.to_dict(),
            "links": [link.to_dict() for link in self.links],
        }


@dataclass(frozen=True)
class EventDetails:
    event: Event
    parent: Event | None
    children: list[Event]
    links: list[EventLink]
    position: int | None
    dated_events: int
    previous: str | None  # the slug of the event before it on the timeline
    next: str | None
    acts: list[Act]
    interventions: list[Intervention]
    counts: dict[str, int]  # records, persons, claims, evidence_items

    @property
    def acts_by_type(self) -> dict[str, int]:
        return dict(sorted(Counter(act.act_type for act in self.acts).items()))

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.event.to_dict(),
            "parent": _brief(self.parent) if self.parent else None,
            "children": [_brief(child) for child in self.children],
            "links": [link.to_dict() for link in self.links],
            "timeline": {
                "position": self.position,
                "of": self.dated_events,
                "previous": self.previous,
                "next": self.next,
            },
            "acts": {
                "count": len(self.acts),
                "by_type": self.acts_by_type,
                "list": [act.to_dict() for act in self.acts],
            },
            "interventions": [i.to_dict() for i in self.interventions],
            "counts": dict(self.counts),
        }


def _brief(event: Event) -> dict[str, Any]:
    return {"slug": event.slug, "name": event.name, "when": event.when}


def timeline(case: Case) -> list[TimelineEntry]:
    with case.reading() as conn:
        return _timeline(conn)


def _timeline(conn: Connection) -> list[TimelineEntry]:
    found = [Event(*row) for row in events_store.events_by_date(conn)]
    dated = sorted((e for e in found if e.date_low or e.date_high), key=_date_key)
    undated = sorted((e for e in found if not (e.date_low or e.date_high)), key=lambda e: e.slug)
    entries = [TimelineEntry(n, e, links_of(conn, e.id)) for n, e in enumerate(dated, 1)]
    return entries + [TimelineEntry(None, e, links_of(conn, e.id)) for e in undated]


def _date_key(event: Event) -> tuple[str, str, str]:
    first = event.date_low or event.date_high or ""
    return first, event.date_high or first, event.slug


def describe_event(case: Case, slug: str) -> EventDetails:
    """Everything recorded on one event (``recount event show``)."""
    with case.reading() as conn:
        event = get_event(conn, slug)
        line = _timeline(conn)
        here = next(entry for entry in line if entry.event.id == event.id)
        dated = [entry.event.slug for entry in line if entry.position is not None]
        index = here.position - 1 if here.position else None
        return EventDetails(
            event=event,
            parent=_parent(conn, event),
            children=_children(conn, event.id),
            links=here.links,
            position=here.position,
            dated_events=len(dated),
            previous=dated[index - 1] if index else None,
            next=dated[index + 1] if index is not None and index + 1 < len(dated) else None,
            acts=acts_of_event(conn, event.id),
            interventions=interventions_of_event(conn, event.id),
            counts=events_store.counts_attached_to_event(conn, event.id),
        )


def _parent(conn: Connection, event: Event) -> Event | None:
    if event.parent_id is None:
        return None
    return event_by_id(conn, event.parent_id)


def _children(conn: Connection, event_id: int) -> list[Event]:
    return [Event(*row) for row in events_store.child_events(conn, event_id)]
