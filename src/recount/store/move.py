"""Copying a case's tables from one store to another, and proving the copy identical.

``copy_store`` builds the schema in an empty target database and copies every table into it in
foreign-key order, in batches, through SQLAlchemy Core, inside ONE transaction on the target:
if anything fails (a value the target refuses, a digest that differs) the target is left as
empty as it was. PostgreSQL sequences are then set to the largest id copied, so that the next
row inserted gets the next id rather than colliding with a copied one.

A copy is proven identical by :func:`table_digests`: per table, the number of rows and a sha256
over its rows in primary-key order, with every value written the same way whichever engine read
it (floats by ``repr``, bytes in hex, booleans as booleans). Strings in primary keys are ordered
byte-wise on both engines (PostgreSQL's ``COLLATE "C"``, SQLite's default), so the order — and so
the digest — does not depend on the server's locale. The same digests go into a backup's
manifest (``store/backup.py``), so a restore is checked the same way.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Float,
    MetaData,
    String,
    Table,
    bindparam,
    column,
    delete,
    func,
    insert,
    inspect,
    select,
    table,
    update,
)
from sqlalchemy.exc import DBAPIError

from recount.errors import ForeignDatabaseError, IntegrityError, InvalidValueError
from recount.store import transactions
from recount.store.engine import POSTGRESQL
from recount.store.schema import MIGRATIONS
from recount.store.tables import metadata

log = logging.getLogger(__name__)

BATCH = 2000
ALEMBIC_TABLE = "alembic_version"
_alembic_version = table(ALEMBIC_TABLE, column("version_num"))

TableProgress = Callable[[str, int], None]  # table name, rows copied so far in it


@dataclass(frozen=True)
class TableDigest:
    rows: int
    sha256: str

    def to_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "sha256": self.sha256}


@dataclass
class CopyReport:
    revision: str | None
    tables: dict[str, TableDigest]

    @property
    def rows(self) -> int:
        return sum(d.rows for d in self.tables.values())


def case_tables() -> list[Table]:
    """Every table of the case, parents before children."""
    return list(metadata.sorted_tables)


def schema_revision(conn: Connection) -> str | None:
    if ALEMBIC_TABLE not in inspect(conn).get_table_names():
        return None
    return conn.execute(select(_alembic_version.c.version_num)).scalar()


def check_tables(conn: Connection, label: str) -> None:
    """The store holds exactly recount's tables: nothing would be left behind by a copy."""
    found = set(inspect(conn).get_table_names()) - {ALEMBIC_TABLE}
    known = {t.name for t in case_tables()}
    if found != known:
        extra, missing = sorted(found - known), sorted(known - found)
        raise ForeignDatabaseError(
            f"{label}: its tables are not this recount's "
            f"(unknown: {', '.join(extra) or 'none'}; missing: {', '.join(missing) or 'none'}); "
            "open the case with this recount first, so that it is migrated"
        )


# --- digests ---------------------------------------------------------------------------------


def _ordered(conn: Connection, col: Column) -> Any:
    """``col`` for ORDER BY in byte order on both engines."""
    if conn.dialect.name == POSTGRESQL and isinstance(col.type, String):
        return col.collate("C")
    return col


def _normalise(col: Column, value: Any) -> Any:
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(col.type, Float):
        return repr(float(value))
    if isinstance(value, bytes | bytearray | memoryview):
        return "hex:" + bytes(value).hex()
    if isinstance(value, int):
        return value
    return repr(value)


def table_digest(conn: Connection, tbl: Table) -> TableDigest:
    """Rows and the sha256 of ``tbl``'s rows in primary-key order, values normalised."""
    digest = hashlib.sha256()
    rows = 0
    order = [_ordered(conn, c) for c in tbl.primary_key.columns]
    result = conn.execution_options(yield_per=BATCH).execute(select(tbl).order_by(*order))
    columns = list(tbl.columns)
    for row in result:
        line = [_normalise(c, v) for c, v in zip(columns, row, strict=True)]
        digest.update(json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode())
        digest.update(b"\n")
        rows += 1
    return TableDigest(rows, digest.hexdigest())


def table_digests(conn: Connection) -> dict[str, TableDigest]:
    """The digest of every table of the case, by name (sorted)."""
    return {t.name: table_digest(conn, t) for t in sorted(case_tables(), key=lambda t: t.name)}


def first_difference(expected: dict[str, TableDigest], found: dict[str, TableDigest]) -> str | None:
    """A sentence naming the first table whose rows or digest differ, or None."""
    for name in sorted(set(expected) | set(found)):
        want, got = expected.get(name), found.get(name)
        if want == got:
            continue
        if want is None or got is None:
            return f"table {name} is {'missing' if got is None else 'not expected'}"
        if want.rows != got.rows:
            return f"table {name} has {got.rows} rows, expected {want.rows}"
        return f"table {name}: content digest {got.sha256[:16]}…, expected {want.sha256[:16]}…"
    return None


# --- copying ---------------------------------------------------------------------------------


def create_schema(conn: Connection) -> None:
    """The newest schema, built by the migrations inside ``conn``'s transaction."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    command.upgrade(config, "head")


def _batches(conn: Connection, tbl: Table) -> Iterator[list[dict[str, Any]]]:
    order = [_ordered(conn, c) for c in tbl.primary_key.columns]
    result = conn.execution_options(yield_per=BATCH).execute(select(tbl).order_by(*order))
    for part in result.partitions():
        yield [dict(row._mapping) for row in part]


def copy_table(
    source: Connection,
    target: Connection,
    tbl: Table,
    self_refs: list[str],
    progress: TableProgress | None = None,
) -> int:
    """Copy every row of ``tbl``. The ``self_refs`` columns refer to the table itself (an
    event's parent): they are filled in a second pass, so a row may name one copied after it."""
    keys = [c.name for c in tbl.primary_key.columns]
    later: list[dict[str, Any]] = []
    copied = 0
    for rows in _batches(source, tbl):
        for row in rows:
            if any(row[name] is not None for name in self_refs):
                later.append({**{f"k_{k}": row[k] for k in keys}, **{n: row[n] for n in self_refs}})
                row.update(dict.fromkeys(self_refs))
        target.execute(insert(tbl), rows)
        copied += len(rows)
        if progress:
            progress(tbl.name, copied)
    if later:
        statement = update(tbl).where(*(tbl.c[k] == bindparam(f"k_{k}") for k in keys))
        target.execute(statement.values({n: bindparam(n) for n in self_refs}), later)
    return copied


def reset_sequences(conn: Connection) -> None:
    """On PostgreSQL, each id sequence continues after the largest id (explicit ids inserted
    into a SERIAL column do not advance it)."""
    if conn.dialect.name != POSTGRESQL:
        return
    for tbl in case_tables():
        pk = list(tbl.primary_key.columns)
        if len(pk) != 1 or not pk[0].autoincrement or isinstance(pk[0].type, String):
            continue
        key = pk[0]
        sequence = func.pg_get_serial_sequence(tbl.name, key.name)
        biggest = func.max(key)
        conn.execute(
            select(
                func.setval(sequence, func.coalesce(biggest, 1), biggest.is_not(None))
            ).select_from(tbl)
        )


def _copy_order(target: Connection) -> list[tuple[Table, list[str]]]:
    """The case's tables, parents first, by the foreign keys the migrations actually built
    (read back from the target), each with its columns that refer to its own table."""
    built = MetaData()
    built.reflect(target)
    ours = {t.name: t for t in case_tables()}
    order = []
    for reflected in built.sorted_tables:
        if reflected.name in ours:
            self_refs = [
                fk.parent.name for fk in reflected.foreign_keys if fk.column.table is reflected
            ]
            order.append((ours[reflected.name], self_refs))
    return order


def copy_store(
    source: Connection,
    target_engine: Engine,
    source_label: str,
    target_label: str,
    progress: TableProgress | None = None,
) -> CopyReport:
    """Copy the case read through ``source`` into the empty database of ``target_engine``.

    ``source`` should hold the case's write lock (``case.writing()``) so that nothing changes
    while it is read. All or nothing on the target; raises IntegrityError when the copy's
    digests differ from the source's."""
    check_tables(source, source_label)
    revision = schema_revision(source)
    with transactions.writing(target_engine) as target:
        create_schema(target)
        if schema_revision(target) != revision:
            raise ForeignDatabaseError(
                f"{source_label}: schema revision {revision}, but this recount builds "
                f"{schema_revision(target)}; open the case with this recount first"
            )
        order = _copy_order(target)
        # Rows the migrations wrote (a seeded vocabulary) make way for the source's own.
        for tbl, _ in reversed(order):
            target.execute(delete(tbl))
        for tbl, self_refs in order:
            try:
                copy_table(source, target, tbl, self_refs, progress)
            except DBAPIError as exc:
                reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
                raise InvalidValueError(
                    f"{target_label}: a row of table {tbl.name} was refused ({reason}); "
                    "nothing was copied"
                ) from exc
        reset_sequences(target)
        expected, found = table_digests(source), table_digests(target)
        difference = first_difference(expected, found)
        if difference:
            raise IntegrityError(
                f"{target_label}: the copy differs from {source_label} ({difference}); "
                "nothing was copied"
            )
    log.info("copied %d rows from %s to %s", sum(d.rows for d in found.values()), source_label,
             target_label)  # fmt: skip
    return CopyReport(revision, found)


def drop_case_tables(engine: Engine) -> None:
    """Remove every table from a database recount filled itself (undoing a copy or a restore
    into a database that was empty before). Never called on a database it did not fill."""
    reflected = MetaData()
    with transactions.writing(engine) as conn:
        reflected.reflect(conn)
        reflected.drop_all(conn)
