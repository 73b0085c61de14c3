"""What SQLite and PostgreSQL spell differently, in one place.

Everything else recount asks of its store is written once in SQLAlchemy Core and runs on both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import ColumnElement

from recount.store.engine import POSTGRESQL


def upsert(
    conn: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    keys: Sequence[str],
    update: Sequence[str] | None = None,
) -> None:
    """Insert ``rows``; where one with the same ``keys`` exists, overwrite its ``update`` columns
    (all but the keys when not given). SQLite's ``INSERT OR REPLACE``, portably."""
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == POSTGRESQL else sqlite
    statement = dialect.insert(table)
    columns = update if update is not None else [c for c in rows[0] if c not in keys]
    statement = statement.on_conflict_do_update(
        index_elements=list(keys),
        set_={column: statement.excluded[column] for column in columns},
    )
    conn.execute(statement, list(rows))


def insert_new(
    conn: Connection, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str]
) -> None:
    """Insert the ``rows`` whose ``keys`` are not stored yet; leave the others as they are."""
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == POSTGRESQL else sqlite
    statement = dialect.insert(table).on_conflict_do_nothing(index_elements=list(keys))
    conn.execute(statement, list(rows))


def distinct_text_list(conn: Connection, column: ColumnElement[Any]) -> ColumnElement[str]:
    """The distinct values of ``column`` in a group, joined by commas (order not guaranteed)."""
    if conn.dialect.name == POSTGRESQL:
        return func.string_agg(column.distinct(), ",")
    return func.group_concat(column.distinct())
