"""Open the case database: SQLite in WAL mode with foreign keys on, migrated to the newest schema.

A case written by an older recount is migrated when opened, after a full copy of the database is
written to ``backups/`` in the case folder (SQLite's online backup API, so the copy is consistent).
A case written by a newer recount is refused rather than guessed at.

Adding a migration: copy the newest file in ``migrations/versions``, give it the next revision
number, set ``down_revision`` to the one before, and change ``tables.py`` to match.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError

from recount.errors import CaseVersionError
from recount.store.tables import SCHEMA_REVISION

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(db_path: Path) -> Engine:
    """An engine on ``db_path`` whose every connection has foreign keys on and uses WAL."""
    engine = create_engine(f"sqlite:///{db_path}")

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    return engine


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


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        try:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except OperationalError:  # no alembic_version table: an empty database
            return None


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run migrations up to ``revision`` inside one transaction."""
    from alembic import command

    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def migrate_if_needed(engine: Engine, db_path: Path, backup_dir: Path) -> Path | None:
    """Bring an existing case database to the newest schema; return the backup written, if any."""
    current = current_revision(engine)
    if current == SCHEMA_REVISION:
        return None
    from alembic.script import ScriptDirectory

    head = head_revision()
    known = {script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions()}
    if current is not None and current not in known:
        raise CaseVersionError(
            f"{db_path}: the case has schema revision {current!r}, which this version of recount "
            "does not know; it was probably written by a newer recount. Upgrade recount to open it."
        )
    backup = backup_database(db_path, backup_dir, label=current or "empty")
    log.info("migrating %s from revision %s to %s (backup: %s)", db_path, current, head, backup)
    upgrade(engine)
    return backup


def backup_database(db_path: Path, backup_dir: Path, label: str) -> Path:
    """A consistent copy of the database, even while other connections are open."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backup_dir / f"recount-{label}-{stamp}.db"
    source = sqlite3.connect(db_path)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    return target
