"""Estimates: the stored estimates, and what estimation reads of the records (each record's
person, list and stratum values).

Tables: ``estimates``, ``records``, ``sources``, ``events``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select

from recount.store.tables import estimates, events, records, sources


def capture_rows(conn: Connection, event_id: int | None) -> list[dict[str, Any]]:
    """Every record (of the event ``event_id`` only, unless None) in id order: id, person_id,
    slug (its source's), sex, age_low, age_high, birth_year_low, birth_year_high, date_low,
    place, fate and event (its slug, None without one)."""
    query = (
        select(
            records.c.id,
            records.c.person_id,
            sources.c.slug,
            records.c.sex,
            records.c.age_low,
            records.c.age_high,
            records.c.birth_year_low,
            records.c.birth_year_high,
            records.c.date_low,
            records.c.place,
            records.c.fate,
            events.c.slug.label("event"),
        )
        .join(sources, sources.c.id == records.c.source_id)
        .outerjoin(events, events.c.id == records.c.event_id)
        .order_by(records.c.id)
    )
    if event_id is not None:
        query = query.where(records.c.event_id == event_id)
    return [dict(row) for row in conn.execute(query).mappings()]


def insert_estimate(
    conn: Connection,
    *,
    created_at: str,
    method: str,
    event_id: int | None,
    linkage_run_id: int | None,
    request: str,
    inputs: str,
    result: str,
    seconds: float,
    recount_version: str,
) -> int:
    """An estimate (request, inputs and result as JSON); its id."""
    return conn.execute(
        insert(estimates).values(
            created_at=created_at,
            method=method,
            event_id=event_id,
            linkage_run_id=linkage_run_id,
            request=request,
            inputs=inputs,
            result=result,
            seconds=seconds,
            recount_version=recount_version,
        )
    ).inserted_primary_key[0]


def estimate_by_id(conn: Connection, estimate_id: int) -> dict[str, Any] | None:
    """Every column of the estimate; None when there is no such estimate."""
    row = conn.execute(select(estimates).where(estimates.c.id == estimate_id)).mappings().first()
    return None if row is None else dict(row)


def estimates_newest_first(conn: Connection) -> list[dict[str, Any]]:
    """Every column of every estimate, newest first."""
    query = select(estimates).order_by(estimates.c.id.desc())
    return [dict(row) for row in conn.execute(query).mappings()]


def latest_estimate_of_event(conn: Connection, event_id: int) -> dict[str, Any] | None:
    """The event's estimate stored last (every column, ``result`` as its JSON text); None when
    the event has none."""
    row = conn.execute(
        select(estimates)
        .where(estimates.c.event_id == event_id)
        .order_by(estimates.c.id.desc())
        .limit(1)
    ).first()
    return dict(row._mapping) if row is not None else None
