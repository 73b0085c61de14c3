"""Records, the rows imported from sources, and the name index built on them.

Tables: ``records``, ``name_tokens``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, select

from recount.store.dialect import in_parts, insert_new, insert_rows
from recount.store.tables import name_tokens, records


def insert_records(conn: Connection, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Records as tuples of values in ``columns`` order, straight to the driver
    (``dialect.insert_rows``): an import's hot path."""
    insert_rows(conn, records, columns, rows)


def first_record_of_person(conn: Connection, person_id: int) -> int | None:
    """The person's oldest record (lowest id), or None when no record belongs to it."""
    record = conn.execute(
        select(func.min(records.c.id)).where(records.c.person_id == person_id)
    ).scalar()
    return None if record is None else int(record)


def record_id_by_row(conn: Connection, source_id: int, row_number: int) -> int | None:
    """The record imported from that row of the source's file, or None."""
    record = conn.execute(
        select(records.c.id).where(
            records.c.source_id == source_id, records.c.row_number == row_number
        )
    ).scalar()
    return None if record is None else int(record)


def person_ids_of_records(conn: Connection, record_ids: Sequence[int]) -> dict[int, int]:
    """Record id → the person it belongs to now; ids of no record are left out."""
    wanted = sorted(set(record_ids))
    found: dict[int, int] = {}
    for chunk in in_parts(wanted):
        found.update(
            (record, person)
            for record, person in conn.execute(
                select(records.c.id, records.c.person_id).where(records.c.id.in_(chunk))
            )
        )
    return found


def record_ids_of_person(conn: Connection, person_id: int) -> list[int]:
    """The ids of the person's records, in id order."""
    return list(
        conn.execute(
            select(records.c.id).where(records.c.person_id == person_id).order_by(records.c.id)
        ).scalars()
    )


def existing_record_ids(conn: Connection, record_ids: Sequence[int]) -> list[int]:
    """Those of ``record_ids`` that are records of the case (in no order)."""
    return list(conn.execute(select(records.c.id).where(records.c.id.in_(record_ids))).scalars())


# --- the name index --------------------------------------------------------------------------


def last_record_with_token(conn: Connection, token: str) -> int:
    """The highest record id indexed under ``token``, 0 when none is."""
    return (
        conn.execute(
            select(func.max(name_tokens.c.record_id)).where(name_tokens.c.token == token)
        ).scalar()
        or 0
    )


def record_names_after(conn: Connection, after: int, limit: int) -> list[tuple[Any, ...]]:
    """(id, full_name, given_name, family_name, patronymic) of the first ``limit`` records with
    an id above ``after``, in id order."""
    query = (
        select(
            records.c.id,
            records.c.full_name,
            records.c.given_name,
            records.c.family_name,
            records.c.patronymic,
        )
        .where(records.c.id > after)
        .order_by(records.c.id)
        .limit(limit)
    )
    return list(map(tuple, conn.execute(query)))


def insert_name_tokens(conn: Connection, tokens: Sequence[tuple[str, int]]) -> None:
    """(token, record id) pairs; those already indexed are left as they are."""
    insert_new(
        conn,
        name_tokens,
        [{"token": token, "record_id": record_id} for token, record_id in tokens],
        keys=("token", "record_id"),
    )
