"""Events and the links between them: tables ``events`` and ``event_links``.

An event is read as a tuple of the ``events`` columns in table order (what the domain's
``Event`` takes). Also here: how many records, persons, claims and evidence items are attached
to an event, for the view of one event.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, insert, or_, select, update

from recount.store.tables import claims, event_links, events, evidence_links, records, sources

# Dated events first, by their first possible day, then by slug.
_BY_DATE = (events.c.date_low.is_(None), events.c.date_low, events.c.slug)


def event_id_by_slug(conn: Connection, slug: str) -> int | None:
    """The id of the event called ``slug``; None when there is none."""
    return conn.execute(select(events.c.id).where(events.c.slug == slug)).scalar()


def event_by_slug(conn: Connection, slug: str) -> tuple[Any, ...] | None:
    """The event called ``slug``; None when there is none."""
    row = conn.execute(select(events).where(events.c.slug == slug)).first()
    return tuple(row) if row is not None else None


def event_by_id(conn: Connection, event_id: int) -> tuple[Any, ...] | None:
    """The event with id ``event_id``; None when there is none."""
    row = conn.execute(select(events).where(events.c.id == event_id)).first()
    return tuple(row) if row is not None else None


def events_by_date(conn: Connection) -> list[tuple[Any, ...]]:
    """Every event, by its first possible day (undated last), then by slug."""
    return list(map(tuple, conn.execute(select(events).order_by(*_BY_DATE))))


def child_events(conn: Connection, event_id: int) -> list[tuple[Any, ...]]:
    """The events whose parent is ``event_id``, by date (undated last), then by slug."""
    rows = conn.execute(select(events).where(events.c.parent_id == event_id).order_by(*_BY_DATE))
    return list(map(tuple, rows))


def parent_id_of(conn: Connection, event_id: int) -> int | None:
    """The parent of event ``event_id``; None when it has none (or there is no such event)."""
    return conn.execute(select(events.c.parent_id).where(events.c.id == event_id)).scalar()


def insert_event(conn: Connection, values: dict[str, Any]) -> int:
    """Store an event from its column values; returns its id."""
    return conn.execute(insert(events).values(**values)).inserted_primary_key[0]


def update_event(conn: Connection, event_id: int, values: dict[str, Any]) -> None:
    conn.execute(update(events).where(events.c.id == event_id).values(**values))


def insert_event_link(
    conn: Connection,
    event_id: int,
    kind: str,
    other_event_id: int,
    source_id: int | None,
    note: str | None,
    created_by: str,
    created_at: str,
) -> int:
    """Store the link ``event_id`` ``kind`` ``other_event_id``; returns its id."""
    return conn.execute(
        insert(event_links).values(
            event_id=event_id,
            kind=kind,
            other_event_id=other_event_id,
            source_id=source_id,
            note=note,
            created_by=created_by,
            created_at=created_at,
        )
    ).inserted_primary_key[0]


def event_link_exists(conn: Connection, event_id: int, kind: str, other_event_id: int) -> bool:
    """Whether the link ``event_id`` ``kind`` ``other_event_id`` is stored in that direction."""
    found = conn.execute(
        select(event_links.c.id).where(
            event_links.c.event_id == event_id,
            event_links.c.kind == kind,
            event_links.c.other_event_id == other_event_id,
        )
    ).first()
    return found is not None


def links_touching_event(conn: Connection, event_id: int) -> list[dict[str, Any]]:
    """Every link stored on ``event_id`` or pointing to it, oldest first: the ``event_links``
    columns and ``source_slug`` (None when the link cites no source)."""
    rows = conn.execute(
        select(event_links, sources.c.slug.label("source_slug"))
        .outerjoin(sources, sources.c.id == event_links.c.source_id)
        .where(or_(event_links.c.event_id == event_id, event_links.c.other_event_id == event_id))
        .order_by(event_links.c.id)
    )
    return [dict(row._mapping) for row in rows]


def linked_event_ids(conn: Connection, event_id: int, kind: str) -> list[int]:
    """The other ends of the ``kind`` links stored on ``event_id``."""
    return list(
        conn.execute(
            select(event_links.c.other_event_id).where(
                event_links.c.event_id == event_id, event_links.c.kind == kind
            )
        ).scalars()
    )


def event_links_except(conn: Connection, kind: str) -> list[tuple[int, str, int]]:
    """Every stored link but those of ``kind``, as (event id, kind, other event id)."""
    rows = conn.execute(
        select(event_links.c.event_id, event_links.c.kind, event_links.c.other_event_id).where(
            event_links.c.kind != kind
        )
    )
    return list(map(tuple, rows))


def counts_attached_to_event(conn: Connection, event_id: int) -> dict[str, int]:
    """How many records, persons (of those records), claims and evidence items are attached to
    event ``event_id``; keyed ``records``, ``persons``, ``claims``, ``evidence_items``."""
    attached = records.c.event_id == event_id
    return {
        "records": conn.execute(
            select(func.count()).select_from(records).where(attached)
        ).scalar_one(),
        "persons": conn.execute(
            select(func.count(func.distinct(records.c.person_id))).where(attached)
        ).scalar_one(),
        "claims": conn.execute(
            select(func.count()).select_from(claims).where(claims.c.event_id == event_id)
        ).scalar_one(),
        "evidence_items": conn.execute(
            select(func.count(func.distinct(evidence_links.c.item_id))).where(
                evidence_links.c.event_id == event_id
            )
        ).scalar_one(),
    }
