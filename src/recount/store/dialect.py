"""What SQLite and PostgreSQL spell differently, in one place.

Everything else recount asks of its store is written once in SQLAlchemy Core and runs on both.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import Connection, String, Table, func, literal
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from recount.store.engine import POSTGRESQL

T = TypeVar("T")


# SQLite caps the parameters of one statement (999 before 3.32), so a long ``IN`` list is asked
# in parts; PostgreSQL takes the same parts at no real cost.
IDS_PER_STATEMENT = 500


def in_parts(ids: Sequence[T]) -> Iterator[Sequence[T]]:
    """``ids`` in consecutive slices short enough for one statement's ``IN`` list."""
    for start in range(0, len(ids), IDS_PER_STATEMENT):
        yield ids[start : start + IDS_PER_STATEMENT]


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


def insert_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert ``rows``, tuples of values in ``columns`` order, handed straight to the driver:
    for bulk loads (an import's records), where SQLAlchemy's handling of each row's parameters
    would cost as much as the insert itself. The values must be ones the driver takes as they
    are (text, numbers, booleans, None)."""
    if not rows:
        return
    quote = conn.dialect.identifier_preparer.quote
    marker = "%s" if conn.dialect.name == POSTGRESQL else "?"
    statement = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(marker for _ in columns)})"
    )
    conn.exec_driver_sql(statement, list(rows))


class _DistinctTextList(FunctionElement[str]):
    type = String()
    inherit_cache = True


@compiles(_DistinctTextList, POSTGRESQL)
def _distinct_text_list_postgresql(element: _DistinctTextList, compiler: Any, **kw: Any) -> str:
    (column,) = element.clauses
    return compiler.process(func.string_agg(column.distinct(), ","), **kw)


@compiles(_DistinctTextList)
def _distinct_text_list_sqlite(element: _DistinctTextList, compiler: Any, **kw: Any) -> str:
    (column,) = element.clauses
    return compiler.process(func.group_concat(column.distinct()), **kw)


def distinct_text_list_any(column: ColumnElement[Any]) -> ColumnElement[str]:
    """:func:`distinct_text_list` for a statement built before it has a connection (its
    columns are known without a case): the spelling is chosen when it is compiled for the
    engine that runs it."""
    return _DistinctTextList(column)


class _StartsWith(FunctionElement[bool]):
    # No Boolean type: SQLite would compare the range with 1 and no longer use the index.
    inherit_cache = True


@compiles(_StartsWith, POSTGRESQL)
def _starts_with_postgresql(element: _StartsWith, compiler: Any, **kw: Any) -> str:
    # A range would follow the database's collation, which need not be byte order.
    column, prefix, _upper = element.clauses
    return compiler.process(func.starts_with(column, prefix), **kw)


@compiles(_StartsWith)
def _starts_with_sqlite(element: _StartsWith, compiler: Any, **kw: Any) -> str:
    # A range on SQLite's binary collation is exact and walks the column's index.
    column, prefix, upper = element.clauses
    return f"({compiler.process(column.between(prefix, upper), **kw)})"


def starts_with(column: ColumnElement[str], prefix: str) -> ColumnElement[bool]:
    """Whether the text in ``column`` begins with ``prefix``, compared as code points; on SQLite
    through the column's index."""
    return _StartsWith(column, literal(prefix), literal(prefix + "\U0010ffff"))
