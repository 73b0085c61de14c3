"""The case's schema: which revision a store is at, migrating it, and refusing what is not ours.

A case written by an older recount is migrated when opened. On SQLite a full copy of the database
is first written to ``backups/`` in the case folder (SQLite's online backup API, so the copy is
consistent); on PostgreSQL the migration runs in one transaction (its DDL is transactional), so a
failed migration leaves the database as it was. A case written by a newer recount is refused
rather than guessed at, and so is a database that holds another application's tables.

Adding a migration: copy the newest file in ``migrations/versions``, give it the next revision
number, set ``down_revision`` to the one before, and change ``tables.py`` to match.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from recount.errors import CaseVersionError, ForeignDatabaseError
from recount.store.engine import SQLITE, StoreLocation
from recount.store.tables import SCHEMA_REVISION

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"


def _config() -> Config:
    # Alembic is imported only when a schema has to change: opening a current case needs none.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The newest revision among the migration scripts (equal to ``SCHEMA_REVISION``)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def table_names(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored, or None for an empty database."""
    if "alembic_version" not in table_names(engine):
        return None
    with engine.connect() as connection:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def check_empty(engine: Engine, label: str) -> None:
    """A new case's database must hold no tables: recount never mixes with another schema."""
    found = table_names(engine)
    if found:
        shown = ", ".join(found[:5]) + (" …" if len(found) > 5 else "")
        raise ForeignDatabaseError(
            f"{label}: the database is not empty ({len(found)} tables: {shown}); "
            "a new case needs an empty database of its own"
        )


def check_ours(engine: Engine, label: str) -> None:
    """An existing case's database must be recount's: its tables and a known revision."""
    found = table_names(engine)
    if not found:  # an empty database: migrated from nothing, as a case being created is
        return
    if "alembic_version" not in found or "records" not in found or "sources" not in found:
        raise ForeignDatabaseError(
            f"{label}: not a recount database (tables: {', '.join(found[:5]) or 'none'})"
        )


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run migrations up to ``revision`` inside one transaction."""
    from alembic import command

    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def migrate_if_needed(engine: Engine, location: StoreLocation, backup_dir: Path) -> Path | None:
    """Bring an existing case database to the newest schema; return the backup written, if any."""
    check_ours(engine, location.label)
    current = current_revision(engine)
    if current == SCHEMA_REVISION:
        return None
    from alembic.script import ScriptDirectory

    head = head_revision()
    known = {script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions()}
    if current is not None and current not in known:
        raise CaseVersionError(
            f"{location.label}: the case has schema revision {current!r}, which this version of "
            "recount does not know; it was probably written by a newer recount. Upgrade recount "
            "to open it."
        )
    backup = None
    if location.dialect == SQLITE and location.sqlite_path is not None:
        backup = backup_database(location.sqlite_path, backup_dir, label=current or "empty")
    log.info("migrating %s from %s to %s (backup: %s)", location.label, current, head, backup)
    upgrade(engine)
    return backup


def backup_database(db_path: Path, backup_dir: Path, label: str) -> Path:
    """A consistent copy of the database, even while other connections are open."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backup_dir / f"recount-{label}-{stamp}.db"
    from recount.store.backup import copy_sqlite

    copy_sqlite(db_path, target)
    return target


def drop_case_tables(engine: Engine, label: str) -> None:
    """Drop the tables of the recount case stored in ``engine``'s database, in one transaction
    holding the case's write lock, so that a new case can be made there (the demo run again
    into the same database). A database holding any table that is not recount's is refused and
    left as it was."""
    from recount.store.tables import metadata
    from recount.store.transactions import writing

    check_ours(engine, label)
    foreign = set(table_names(engine)) - set(metadata.tables) - {"alembic_version"}
    if foreign:
        raise ForeignDatabaseError(
            f"{label}: the database holds tables that are not recount's "
            f"({', '.join(sorted(foreign)[:5])}); nothing was dropped"
        )
    with writing(engine) as connection:
        metadata.drop_all(connection)
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    log.info("dropped the case tables in %s", label)
