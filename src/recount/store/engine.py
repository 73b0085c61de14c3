"""Engines for a case's store: SQLite in the case folder, or a PostgreSQL database for a team.

Which engine a case uses is written in its ``recount.toml``::

    [store]
    url = "postgresql://recount@db.example.org/khojaly"

With no ``[store]`` table the case is SQLite, in ``recount.db`` beside the settings. A PostgreSQL
URL never carries a password: recount refuses one, and libpq finds it in ``$PGPASSWORD`` or
``~/.pgpass`` as every PostgreSQL tool does. Dialect differences live in ``store/dialect.py``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from recount.errors import (
    MissingExtraError,
    NotACaseError,
    StoreUnavailableError,
    UsageError,
)

if TYPE_CHECKING:
    import sqlite3

    from sqlalchemy import Engine

# SQLAlchemy and sqlite3 are imported by the functions that use them: naming where a case's
# store is (``StoreLocation``, ``sqlite_location``) is needed before, and without, opening it.

log = logging.getLogger(__name__)

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
BUSY_TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class StoreLocation:
    """Where a case's tables live: an SQLite file, or a PostgreSQL database named by a URL."""

    dialect: str
    sqlite_path: Path | None = None
    url: str | None = None  # the user's URL, as written in recount.toml (never a password)

    @property
    def label(self) -> str:
        return str(self.sqlite_path) if self.dialect == SQLITE else str(self.url)


def sqlite_location(path: Path) -> StoreLocation:
    return StoreLocation(SQLITE, sqlite_path=Path(path))


def parse_database_url(url: str, given_as: str = "--database") -> StoreLocation:
    """Check a PostgreSQL URL (``given_as`` names where the user gave it, for messages):
    PostgreSQL, a database name, no password in it."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise UsageError(
            f"{given_as} {url!r}: not a database URL; expected postgresql://USER@HOST/DB"
        ) from exc
    if parsed.get_backend_name() != POSTGRESQL:
        raise UsageError(
            f"{given_as} {url!r}: only PostgreSQL URLs are accepted (postgresql://USER@HOST/DB)"
        )
    if parsed.password is not None:
        raise UsageError(
            f"{given_as}: the URL carries a password; recount never writes one to a file. "
            f"Give {parsed._replace(password=None).render_as_string(hide_password=False)!r} "
            "and put the password in $PGPASSWORD or ~/.pgpass"
        )
    if not parsed.database:
        raise UsageError(f"{given_as} {url!r}: name the database (postgresql://USER@HOST/DB)")
    return StoreLocation(POSTGRESQL, url=url)


def make_engine(location: StoreLocation) -> Engine:
    """An engine for ``location``: SQLite with WAL and foreign keys, or PostgreSQL via psycopg."""
    if location.dialect == SQLITE:
        assert location.sqlite_path is not None
        return _sqlite_engine(location.sqlite_path)
    return _postgresql_engine(str(location.url))


def _sqlite_engine(db_path: Path) -> Engine:
    from sqlalchemy import create_engine, event

    engine = create_engine(f"sqlite:///{db_path}")

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    return engine


def _postgresql_engine(url: str) -> Engine:
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        raise MissingExtraError("postgresql", "a case stored in PostgreSQL") from exc
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import DBAPIError

    driver_url = make_url(url).set(drivername="postgresql+psycopg")
    engine = create_engine(driver_url, pool_pre_ping=True)
    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StoreUnavailableError(f"{url}: cannot connect to PostgreSQL ({reason})") from exc
    return engine


def check_sqlite_file(path: Path) -> None:
    """Refuse a ``recount.db`` that is not an SQLite database, before anything opens it."""
    import sqlite3

    with path.open("rb") as handle:
        header = handle.read(16)
    if header and header != b"SQLite format 3\x00":
        raise NotACaseError(f"{path} is not an SQLite database")
    try:
        connection = sqlite3.connect(path)
        connection.execute("PRAGMA schema_version").fetchone()
        connection.close()
    except sqlite3.DatabaseError as exc:
        raise NotACaseError(f"{path} cannot be opened as a database: {exc}") from exc


def dialect_of(engine: Engine) -> str:
    return engine.dialect.name
