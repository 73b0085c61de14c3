"""Interventions on events (court decisions, resolutions, inquiries, campaigns): table
``interventions``, read with the slugs of its event and source."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select

from recount.store.tables import events, interventions, sources


def insert_intervention(conn: Connection, values: dict[str, Any]) -> int:
    """Store an intervention from its column values; returns its id."""
    return conn.execute(insert(interventions).values(**values)).inserted_primary_key[0]


def intervention_rows(
    conn: Connection, *, intervention_id: int | None = None, event_id: int | None = None
) -> list[tuple[Any, ...]]:
    """Interventions by date (undated last), then in the order recorded; only the one with
    ``intervention_id`` and/or those of ``event_id`` when given. Each is (id, event slug, kind,
    title, party, date_low, date_high, date_precision, source slug or None, note, created_by,
    created_at)."""
    query = (
        select(
            interventions.c.id,
            events.c.slug,
            interventions.c.kind,
            interventions.c.title,
            interventions.c.party,
            interventions.c.date_low,
            interventions.c.date_high,
            interventions.c.date_precision,
            sources.c.slug.label("source"),
            interventions.c.note,
            interventions.c.created_by,
            interventions.c.created_at,
        )
        .join(events, events.c.id == interventions.c.event_id)
        .outerjoin(sources, sources.c.id == interventions.c.source_id)
        .order_by(interventions.c.date_low.is_(None), interventions.c.date_low, interventions.c.id)
    )
    if intervention_id is not None:
        query = query.where(interventions.c.id == intervention_id)
    if event_id is not None:
        query = query.where(interventions.c.event_id == event_id)
    return list(map(tuple, conn.execute(query)))
