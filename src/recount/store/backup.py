"""The database half of a backup: a consistent copy of a live store, and putting one back.

* SQLite: the online backup API copies the database in one step while other processes go on
  reading and writing (in WAL mode a reader holds one state of the database for as long as it
  reads, and writers do not wait for it). The copy is switched out of WAL mode so that it is
  one self-contained file, checked with ``PRAGMA quick_check``, and read back *read-only*.
* PostgreSQL: ``pg_dump --format=custom`` reads one exported snapshot
  (``pg_export_snapshot()``): the connection that exported it sees exactly the state the dump
  holds, so what is read through it (digests, custody heads, which evidence objects the rows
  name) describes the dump and nothing written after it. ``pg_restore --single-transaction``
  puts a dump back all or nothing.

``pg_dump`` and ``pg_restore`` are found on ``$PATH``, else in ``/usr/lib/postgresql/*/bin``
(newest first). They get the case's URL, which never holds a password: libpq finds one in
``$PGPASSWORD`` or ``~/.pgpass`` as usual, and recount writes none anywhere.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, func, select
from sqlalchemy.engine import make_url

from recount.errors import IntegrityError, NotACaseError, StoreUnavailableError
from recount.store import transactions
from recount.store.engine import SQLITE, StoreLocation

log = logging.getLogger(__name__)

SQLITE_FILE = "recount.db"
DUMP_FILE = "recount.dump"
PG_BIN_DIRS = "/usr/lib/postgresql"
TOOL_TIMEOUT_SECONDS = 24 * 3600


def database_file(dialect: str) -> str:
    """The name of the database's copy in a backup."""
    return SQLITE_FILE if dialect == SQLITE else DUMP_FILE


# --- SQLite ----------------------------------------------------------------------------------


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database, as one file (no WAL beside it)."""
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # one step: one consistent state, however long the copy takes
            dst.execute("PRAGMA journal_mode=DELETE")
            check = dst.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            dst.close()
    finally:
        src.close()
    if check != "ok":
        raise IntegrityError(f"{source}: the database copy fails SQLite's check ({check})")


def read_only_sqlite(path: Path) -> Engine:
    """An engine that reads an SQLite file and can change nothing in it (not even its mode)."""
    uri = f"file:{quote(str(path))}?mode=ro&immutable=1"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    return create_engine("sqlite://", creator=connect)


def check_sqlite_copy(path: Path) -> None:
    """Refuse a database file in a backup that SQLite cannot read."""
    try:
        connection = sqlite3.connect(f"file:{quote(str(path))}?mode=ro&immutable=1", uri=True)
        try:
            result = connection.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise NotACaseError(f"{path}: not an SQLite database ({exc})") from exc
    if result != "ok":
        raise IntegrityError(f"{path}: the database fails SQLite's check ({result})")


# --- PostgreSQL ------------------------------------------------------------------------------


def pg_tool(name: str) -> str:
    """The path of a PostgreSQL client program (pg_dump, pg_restore)."""
    found = shutil.which(name)
    if found:
        return found
    for directory in sorted(Path(PG_BIN_DIRS).glob("*/bin"), reverse=True):
        if (directory / name).is_file():
            return str(directory / name)
    raise StoreUnavailableError(
        f"PostgreSQL's {name} was not found on PATH or in {PG_BIN_DIRS}/*/bin; "
        "install the PostgreSQL client programs (Debian: postgresql-client)"
    )


def libpq_url(location: StoreLocation) -> str:
    """The case's URL as libpq reads it (no SQLAlchemy driver name; never a password)."""
    url = make_url(str(location.url)).set(drivername="postgresql")
    return url.render_as_string(hide_password=True)


def _run(tool: str, args: list[str], what: str) -> None:
    command = [pg_tool(tool), *args]
    log.info("running %s", " ".join(command))
    result = subprocess.run(  # the environment is passed on: libpq reads PGPASSWORD there
        command, capture_output=True, text=True, check=False, timeout=TOOL_TIMEOUT_SECONDS
    )
    if result.returncode != 0:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
        reason = lines[0] if lines else f"exit status {result.returncode}"
        raise StoreUnavailableError(f"{what}: {tool} failed ({reason})")


def dump_postgresql(location: StoreLocation, snapshot: str, target: Path) -> None:
    _run(
        "pg_dump",
        ["--format=custom", f"--snapshot={snapshot}", "--no-owner", "--no-privileges",
         f"--file={target}", f"--dbname={libpq_url(location)}"],
        f"backing up {location.label}",
    )  # fmt: skip


def restore_postgresql(dump: Path, location: StoreLocation) -> None:
    """Load a dump into an empty database, all or nothing."""
    _run(
        "pg_restore",
        ["--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges",
         f"--dbname={libpq_url(location)}", str(dump)],
        f"restoring into {location.label}",
    )  # fmt: skip


def check_dump(dump: Path) -> None:
    """Refuse a dump file that pg_restore cannot read."""
    _run("pg_restore", ["--list", str(dump)], f"reading {dump}")


# --- both ------------------------------------------------------------------------------------


@contextmanager
def frozen_copy(location: StoreLocation, engine: Engine, folder: Path) -> Iterator[Connection]:
    """Write a consistent copy of the live store into ``folder`` (``database_file``) and yield a
    read-only connection that sees exactly the state copied."""
    target = folder / database_file(location.dialect)
    if location.dialect == SQLITE:
        assert location.sqlite_path is not None
        copy_sqlite(location.sqlite_path, target)
        with reading_copy(target) as conn:
            yield conn
        return
    with transactions.reading(engine) as conn:
        snapshot = conn.execute(select(func.pg_export_snapshot())).scalar_one()
        dump_postgresql(location, snapshot, target)
        yield conn


@contextmanager
def reading_copy(path: Path) -> Iterator[Connection]:
    """Read an SQLite database file of a backup without changing it."""
    engine = read_only_sqlite(path)
    try:
        with transactions.reading(engine) as conn:
            yield conn
    finally:
        engine.dispose()
