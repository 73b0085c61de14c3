"""Claims: figures sources state, each with its event, source, quote and review.

Tables: ``claims``, read with the slugs of its ``events`` and ``sources``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Select, insert, select, update

from recount.store.tables import claims, events, sources


def insert_claim(conn: Connection, values: dict[str, Any]) -> int:
    """Insert one claim (``values`` by column name); its new id."""
    return int(conn.execute(insert(claims).values(**values)).inserted_primary_key[0])


def update_claim(conn: Connection, claim_id: int, values: dict[str, Any]) -> None:
    """Overwrite the columns in ``values`` of one claim."""
    conn.execute(update(claims).where(claims.c.id == claim_id).values(**values))


def _with_slugs() -> Select:
    return (
        select(claims, events.c.slug.label("event_slug"), sources.c.slug.label("source_slug"))
        .outerjoin(events, events.c.id == claims.c.event_id)
        .outerjoin(sources, sources.c.id == claims.c.source_id)
    )


def claim_by_id(conn: Connection, claim_id: int) -> dict[str, Any] | None:
    """One claim's columns with ``event_slug`` and ``source_slug``; None when there is none."""
    row = conn.execute(_with_slugs().where(claims.c.id == claim_id)).mappings().first()
    return dict(row) if row is not None else None


def claims_with_slugs(
    conn: Connection,
    event_id: int | None = None,
    source_id: int | None = None,
    status: str | None = None,
    kind: str | None = None,
) -> list[dict[str, Any]]:
    """Claims as :func:`claim_by_id` gives them, narrowed by each filter that is not None, by
    event slug (claims of no event first), kind, group (none first), then id."""
    query = _with_slugs()
    if event_id is not None:
        query = query.where(claims.c.event_id == event_id)
    if source_id is not None:
        query = query.where(claims.c.source_id == source_id)
    if status is not None:
        query = query.where(claims.c.status == status)
    if kind is not None:
        query = query.where(claims.c.kind == kind)
    # NULLS FIRST spelled out: SQLite's default, not PostgreSQL's.
    query = query.order_by(
        events.c.slug.nulls_first(),
        claims.c.kind,
        claims.c.group_name.nulls_first(),
        claims.c.id,
    )
    return [dict(row) for row in conn.execute(query).mappings()]


def claim_exists_at_quote(
    conn: Connection, evidence_item_id: int, quote_start: int, quote_end: int, kind: str
) -> bool:
    """Whether a claim of ``kind`` quotes that span of that evidence item."""
    query = select(claims.c.id).where(
        claims.c.evidence_item_id == evidence_item_id,
        claims.c.quote_start == quote_start,
        claims.c.quote_end == quote_end,
        claims.c.kind == kind,
    )
    return conn.execute(query).first() is not None
