"""Family relations between records (``relations``), and the imported rows they are derived from
(``imports``, ``records``, with their source's slug from ``sources``).

A relation is stored between two records and read between the persons those records belong to
now (``records.person_id``), so the queries here join each end to its record.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, insert, or_, select
from sqlalchemy.orm import aliased

from recount.store.tables import imports, records, relations, sources


def relation_links(
    conn: Connection, person_ids: Iterable[int] | None = None
) -> list[tuple[int, str, int, int, str]]:
    """(relation id, kind, person of its record, person of its other record, origin), in
    relation id order; only those touching ``person_ids`` when given."""
    left, right = aliased(records), aliased(records)
    query = (
        select(
            relations.c.id,
            relations.c.kind,
            left.c.person_id,
            right.c.person_id,
            relations.c.origin,
        )
        .join(left, left.c.id == relations.c.record_id)
        .join(right, right.c.id == relations.c.other_record_id)
        .order_by(relations.c.id)
    )
    if person_ids is not None:
        wanted = sorted(set(person_ids))
        query = query.where(or_(left.c.person_id.in_(wanted), right.c.person_id.in_(wanted)))
    return [tuple(row) for row in conn.execute(query)]


def insert_relation(
    conn: Connection,
    record_id: int,
    kind: str,
    other_record_id: int,
    origin: str,
    source_id: int | None,
    note: str | None,
    created_by: str,
    created_at: str,
) -> int:
    """Store one relation; its new id."""
    return conn.execute(
        insert(relations).values(
            record_id=record_id,
            kind=kind,
            other_record_id=other_record_id,
            origin=origin,
            source_id=source_id,
            note=note,
            created_by=created_by,
            created_at=created_at,
        )
    ).inserted_primary_key[0]


def relation_ids(conn: Connection) -> list[int]:
    """Every relation's id, in order."""
    return list(conn.execute(select(relations.c.id).order_by(relations.c.id)).scalars())


def relations_by_id(conn: Connection, ids: list[int]) -> list[dict[str, Any]]:
    """The relations with ``ids``, in id order: their columns, ``a`` and ``b`` the persons of
    their record and other record now, ``slug`` their source's (None without one)."""
    left, right = aliased(records), aliased(records)
    query = (
        select(
            relations,
            left.c.person_id.label("a"),
            right.c.person_id.label("b"),
            sources.c.slug.label("slug"),
        )
        .join(left, left.c.id == relations.c.record_id)
        .join(right, right.c.id == relations.c.other_record_id)
        .outerjoin(sources, sources.c.id == relations.c.source_id)
        .where(relations.c.id.in_(ids))
        .order_by(relations.c.id)
    )
    return [dict(row) for row in conn.execute(query).mappings()]


def first_record_raw(conn: Connection, import_id: int) -> str | None:
    """The ``raw`` row (JSON text) of an import's first record; None when it has none."""
    return conn.execute(
        select(records.c.raw)
        .where(records.c.import_id == import_id)
        .order_by(records.c.row_number)
        .limit(1)
    ).scalar()


def import_ids(conn: Connection, import_id: int | None, source_id: int | None) -> list[int]:
    """Imports' ids in order: every import, or only ``import_id`` and/or those of
    ``source_id`` when given."""
    query = select(imports.c.id).order_by(imports.c.id)
    if source_id is not None:
        query = query.where(imports.c.source_id == source_id)
    if import_id is not None:
        query = query.where(imports.c.id == import_id)
    return list(conn.execute(query).scalars())


def import_records(conn: Connection, import_id: int) -> list[dict[str, Any]]:
    """An import's records in row order: every column, and ``slug`` of their source."""
    query = (
        select(records, sources.c.slug)
        .join(sources, sources.c.id == records.c.source_id)
        .where(records.c.import_id == import_id)
        .order_by(records.c.row_number)
    )
    return [dict(row) for row in conn.execute(query).mappings()]
