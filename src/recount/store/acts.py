"""Acts with their alleged perpetrators and cited instruments: tables ``acts``,
``act_involvements``, ``actors``, ``act_instruments`` and ``legal_instruments``.

An act is read with its event's slug and its victim's record (source slug, row, person, names);
an actor as a tuple of the ``actors`` columns in table order.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, insert, select

from recount.store.dialect import in_parts
from recount.store.tables import (
    act_instruments,
    act_involvements,
    actors,
    acts,
    events,
    legal_instruments,
    records,
    sources,
)


def insert_act(conn: Connection, values: dict[str, Any]) -> int:
    """Store an act from its column values; returns its id."""
    return conn.execute(insert(acts).values(**values)).inserted_primary_key[0]


def insert_involvement(conn: Connection, act_id: int, actor_id: int, degree: str) -> None:
    conn.execute(insert(act_involvements).values(act_id=act_id, actor_id=actor_id, degree=degree))


def insert_act_instrument(conn: Connection, act_id: int, instrument_id: int) -> None:
    conn.execute(insert(act_instruments).values(act_id=act_id, instrument_id=instrument_id))


def act_rows(
    conn: Connection,
    *,
    act_id: int | None = None,
    event_id: int | None = None,
    person_id: int | None = None,
) -> list[dict[str, Any]]:
    """Acts, oldest first; only the one with ``act_id``, those of ``event_id`` and/or those whose
    victim's record belongs to ``person_id`` when given. Keys: id, slug (the event's), act_type,
    victim_record_id, victim_source, row_number, person_id, full_name, given_name, family_name,
    patronymic, date_low, date_high, date_precision, place, source (None when the act cites
    none), note, created_by, created_at."""
    act_source = sources.alias("act_source")
    victim_source = sources.alias("victim_source")
    query = (
        select(
            acts.c.id,
            events.c.slug,
            acts.c.act_type,
            acts.c.victim_record_id,
            victim_source.c.slug.label("victim_source"),
            records.c.row_number,
            records.c.person_id,
            records.c.full_name,
            records.c.given_name,
            records.c.family_name,
            records.c.patronymic,
            acts.c.date_low,
            acts.c.date_high,
            acts.c.date_precision,
            acts.c.place,
            act_source.c.slug.label("source"),
            acts.c.note,
            acts.c.created_by,
            acts.c.created_at,
        )
        .join(events, events.c.id == acts.c.event_id)
        .join(records, records.c.id == acts.c.victim_record_id)
        .join(victim_source, victim_source.c.id == records.c.source_id)
        .outerjoin(act_source, act_source.c.id == acts.c.source_id)
        .order_by(acts.c.id)
    )
    if act_id is not None:
        query = query.where(acts.c.id == act_id)
    if event_id is not None:
        query = query.where(acts.c.event_id == event_id)
    if person_id is not None:
        query = query.where(records.c.person_id == person_id)
    return [dict(row._mapping) for row in conn.execute(query)]


def involvements_of_acts(conn: Connection, act_ids: list[int]) -> list[tuple[int, str, str, str]]:
    """(act id, actor name, actor kind, degree) of the acts' perpetrators, each act's in the
    order they were recorded."""
    found: list[tuple[int, str, str, str]] = []
    for part in in_parts(act_ids):
        rows = conn.execute(
            select(
                act_involvements.c.act_id, actors.c.name, actors.c.kind, act_involvements.c.degree
            )
            .join(actors, actors.c.id == act_involvements.c.actor_id)
            .where(act_involvements.c.act_id.in_(part))
            .order_by(act_involvements.c.id)
        )
        found.extend(map(tuple, rows))
    return found


def instrument_slugs_of_acts(conn: Connection, act_ids: list[int]) -> list[tuple[int, str]]:
    """(act id, instrument slug) of the instruments the acts cite, by instrument id."""
    found: list[tuple[int, str]] = []
    for part in in_parts(act_ids):
        rows = conn.execute(
            select(act_instruments.c.act_id, legal_instruments.c.slug)
            .join(legal_instruments, legal_instruments.c.id == act_instruments.c.instrument_id)
            .where(act_instruments.c.act_id.in_(part))
            .order_by(legal_instruments.c.id)
        )
        found.extend(map(tuple, rows))
    return found


def actors_by_id(conn: Connection) -> list[tuple[Any, ...]]:
    """Every actor, oldest first."""
    return list(map(tuple, conn.execute(select(actors).order_by(actors.c.id))))


def insert_actor(conn: Connection, name: str, kind: str, created_at: str) -> int:
    """Store an actor; returns its id."""
    return conn.execute(
        insert(actors).values(name=name, kind=kind, created_at=created_at)
    ).inserted_primary_key[0]


def actors_with_act_counts(conn: Connection) -> list[tuple[Any, ...]]:
    """Every actor by name, each followed by the number of acts it is named in."""
    named = (
        select(
            act_involvements.c.actor_id,
            func.count(func.distinct(act_involvements.c.act_id)).label("n"),
        )
        .group_by(act_involvements.c.actor_id)
        .subquery()
    )
    query = (
        select(actors, func.coalesce(named.c.n, 0))
        .outerjoin(named, named.c.actor_id == actors.c.id)
        .order_by(actors.c.name)
    )
    return list(map(tuple, conn.execute(query)))


def instrument_id_by_slug(conn: Connection, slug: str) -> int | None:
    """The id of the instrument ``slug``; None when there is none."""
    return conn.execute(
        select(legal_instruments.c.id).where(legal_instruments.c.slug == slug)
    ).scalar()


def insert_instrument(conn: Connection, slug: str, name: str) -> int:
    """Store an instrument; returns its id."""
    return conn.execute(
        insert(legal_instruments).values(slug=slug, name=name)
    ).inserted_primary_key[0]


def instrument_ids_by_slug(conn: Connection) -> dict[str, int]:
    """Every instrument's id by its slug, in the order the database returns them."""
    return dict(conn.execute(select(legal_instruments.c.slug, legal_instruments.c.id)).all())


def instruments_with_act_counts(conn: Connection) -> list[tuple[int, str, str, int]]:
    """(id, slug, name, acts citing it) of every instrument, oldest first."""
    cited = (
        select(act_instruments.c.instrument_id, func.count().label("n"))
        .group_by(act_instruments.c.instrument_id)
        .subquery()
    )
    query = (
        select(
            legal_instruments.c.id,
            legal_instruments.c.slug,
            legal_instruments.c.name,
            func.coalesce(cited.c.n, 0),
        )
        .outerjoin(cited, cited.c.instrument_id == legal_instruments.c.id)
        .order_by(legal_instruments.c.id)
    )
    return list(map(tuple, conn.execute(query)))
