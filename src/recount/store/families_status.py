"""Persons' fates over time: dated status changes (``status_changes``), the records whose fates
they rest on (``records``, with ``sources`` and the record's event from ``events``), and the
persons of an event (``records``, ``acts``).

Persons are read through their records now (``records.person_id``), so status changes follow
a person through re-linking.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, Select, insert, or_, select

from recount.store.dialect import in_parts
from recount.store.tables import acts, events, records, sources, status_changes


def person_records(
    conn: Connection, person_ids: Iterable[int] | None = None
) -> list[dict[str, Any]]:
    """The records of ``person_ids`` (every record when None), each person's by record id:
    their id, person_id, names, ages, birth years, dates and fate, ``slug`` of their source and
    ``event_date`` (None without an event) the start of the event they were imported for."""
    query = (
        select(
            records.c.id,
            records.c.person_id,
            sources.c.slug,
            records.c.row_number,
            records.c.full_name,
            records.c.given_name,
            records.c.family_name,
            records.c.patronymic,
            records.c.age_low,
            records.c.age_high,
            records.c.birth_year_low,
            records.c.birth_year_high,
            records.c.date_low,
            records.c.date_high,
            records.c.fate,
            events.c.date_low.label("event_date"),
        )
        .join(sources, sources.c.id == records.c.source_id)
        .outerjoin(events, events.c.id == records.c.event_id)
        .order_by(records.c.id)
    )
    return [
        dict(row)
        for chunked in _per_persons(query, person_ids)
        for row in conn.execute(chunked).mappings()
    ]


def status_change_rows(
    conn: Connection, person_ids: Iterable[int] | None = None
) -> list[tuple[int, int, int, str, str, str, str, str | None, str | None, str, str]]:
    """(id, record_id, person_id, status, date_low, date_high, date_precision, source slug or
    None, note, created_by, created_at) of the status changes anchored on the records of
    ``person_ids`` (every change when None), in no particular order."""
    query = (
        select(
            status_changes.c.id,
            status_changes.c.record_id,
            records.c.person_id,
            status_changes.c.status,
            status_changes.c.date_low,
            status_changes.c.date_high,
            status_changes.c.date_precision,
            sources.c.slug,
            status_changes.c.note,
            status_changes.c.created_by,
            status_changes.c.created_at,
        )
        .join(records, records.c.id == status_changes.c.record_id)
        .outerjoin(sources, sources.c.id == status_changes.c.source_id)
    )
    return [
        tuple(row) for chunked in _per_persons(query, person_ids) for row in conn.execute(chunked)
    ]


def _per_persons(query: Select[Any], person_ids: Iterable[int] | None) -> Iterator[Select[Any]]:
    """``query`` narrowed to the records of ``person_ids``, a statement per chunk of them."""
    if person_ids is None:
        yield query
        return
    wanted = sorted(set(person_ids))
    for part in in_parts(wanted):
        yield query.where(records.c.person_id.in_(part))


def insert_status_change(
    conn: Connection,
    record_id: int,
    status: str,
    date_low: str,
    date_high: str,
    date_precision: str,
    source_id: int | None,
    note: str | None,
    created_by: str,
    created_at: str,
) -> int:
    """Store one status change; its new id."""
    return conn.execute(
        insert(status_changes).values(
            record_id=record_id,
            status=status,
            date_low=date_low,
            date_high=date_high,
            date_precision=date_precision,
            source_id=source_id,
            note=note,
            created_by=created_by,
            created_at=created_at,
        )
    ).inserted_primary_key[0]


def event_person_ids(conn: Connection, event_id: int) -> set[int]:
    """Persons with a record imported for the event, or the victim of an act in it."""
    victims = select(acts.c.victim_record_id).where(acts.c.event_id == event_id)
    query = select(records.c.person_id).where(
        or_(records.c.event_id == event_id, records.c.id.in_(victims))
    )
    return set(conn.execute(query).scalars())
