"""A case: one investigation in one folder — database, evidence store and settings.

::

    CASE/
      recount.toml   settings (plain TOML, edited by hand or by recount)
      recount.db     SQLite database (WAL); the schema is migrated on open. A case made with
                     ``--database postgresql://...`` has no recount.db: its ``[store] url``
                     names the PostgreSQL database instead (store/engine.py)
      evidence/      content-addressed store of evidence files
      backups/       database copies written before each migration
      rejects/       rows refused by ``import --skip-invalid``, with their reasons

Which case a command acts on: ``--case PATH``, else ``$RECOUNT_CASE``, else the current folder.
"""

from __future__ import annotations

import json
import logging
import os
import tomllib
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from recount import __version__
from recount.clock import utc_now
from recount.errors import CaseExistsError, NotACaseError
from recount.store.engine import (
    SQLITE,
    StoreLocation,
    check_sqlite_file,
    make_engine,
    parse_database_url,
    sqlite_location,
)

if TYPE_CHECKING:
    from recount.store import Connection, Engine

# SQLAlchemy (through store.schema and store.transactions) is imported when a case is opened,
# not with this module: finding out whether a folder is a case costs no more than reading it.

log = logging.getLogger(__name__)

SETTINGS_FILE = "recount.toml"
DATABASE_FILE = "recount.db"
CASE_ENV = "RECOUNT_CASE"


@dataclass
class Case:
    """An open case. Close it (or use it as a context manager) to release the database."""

    root: Path
    engine: Engine
    settings: dict = field(default_factory=dict)
    backup: Path | None = None  # the backup written if opening it migrated the schema
    location: StoreLocation | None = None

    def __post_init__(self) -> None:
        if self.location is None:
            self.location = sqlite_location(self.root / DATABASE_FILE)

    @property
    def store(self) -> StoreLocation:
        assert self.location is not None
        return self.location

    @property
    def db_path(self) -> Path:
        """The SQLite file (a PostgreSQL case has none: see ``store``)."""
        return self.root / DATABASE_FILE

    def reading(self) -> AbstractContextManager[Connection]:
        """A connection on one consistent state of the case (``store.transactions.reading``)."""
        from recount.store import transactions

        return transactions.reading(self.engine)

    def writing(self) -> AbstractContextManager[Connection]:
        """One transaction holding the case's write lock (``store.transactions.writing``)."""
        from recount.store import transactions

        return transactions.writing(self.engine)

    @property
    def evidence_dir(self) -> Path:
        return self.root / "evidence"

    @property
    def rejects_dir(self) -> Path:
        return self.root / "rejects"

    @property
    def backups_dir(self) -> Path:
        return self.root / "backups"

    @property
    def name(self) -> str:
        return str(self.settings.get("case", {}).get("name", self.root.name))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Case:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def resolve_path(explicit: Path | str | None) -> Path:
    """The case folder a command should use: explicit, then ``$RECOUNT_CASE``, then here."""
    if explicit:
        return Path(explicit)
    if os.environ.get(CASE_ENV):
        return Path(os.environ[CASE_ENV])
    return Path.cwd()


def is_case(path: Path) -> bool:
    if not (path / SETTINGS_FILE).is_file():
        return False
    return (path / DATABASE_FILE).is_file() or _has_store_url(path / SETTINGS_FILE)


def _has_store_url(settings_path: Path) -> bool:
    try:
        return "url" in _read_settings(settings_path).get("store", {})
    except NotACaseError:
        return False


def init_case(
    path: Path,
    name: str | None = None,
    extra_settings: dict | None = None,
    database: str | None = None,
) -> Case:
    """Create a case in ``path`` (created if missing; may already hold other files).

    With ``database`` (a ``postgresql://USER@HOST/DB`` URL) the case's tables live in that
    database, which must exist and be empty; the folder keeps the settings and the evidence.
    """
    from recount.store import schema

    path = Path(path)
    if path.exists() and not path.is_dir():
        raise CaseExistsError(f"{path} exists and is not a folder")
    if (path / SETTINGS_FILE).exists() or (path / DATABASE_FILE).exists():
        raise CaseExistsError(f"{path} already holds a recount case; open it with --case {path}")
    location = parse_database_url(database) if database else sqlite_location(path / DATABASE_FILE)
    engine = make_engine(location)  # a PostgreSQL server is reached before anything is written
    if location.dialect != SQLITE:
        try:
            schema.check_empty(engine, location.label)
        except BaseException:
            engine.dispose()
            raise
    path.mkdir(parents=True, exist_ok=True)
    (path / "evidence").mkdir(exist_ok=True)
    settings = {
        "case": {
            "name": name or path.resolve().name,
            "created_at": utc_now(),
            "created_with": f"recount {__version__}",
        }
    }
    if location.dialect != SQLITE:
        settings["store"] = {"url": str(location.url)}
    for table, values in (extra_settings or {}).items():
        settings.setdefault(table, {}).update(values)
    schema.upgrade(engine)
    # The settings file is written last: a folder is a case only once its database is complete.
    (path / SETTINGS_FILE).write_text(dump_settings(settings), encoding="utf-8")
    log.info("created case %s (store: %s)", path, location.label)
    return Case(root=path, engine=engine, settings=settings, location=location)


def open_case(path: Path | str | None = None) -> Case:
    """Open an existing case, migrating its database if it was made by an older recount."""
    from recount.store import schema

    root = resolve_path(path)
    if not root.is_dir():
        raise NotACaseError(f"{root}: no such folder; create a case with `recount init {root}`")
    if not is_case(root):
        raise NotACaseError(
            f"{root} is not a recount case (it has no {SETTINGS_FILE} and {DATABASE_FILE}); "
            f"create one with `recount init {root}` or point to one with --case or ${CASE_ENV}"
        )
    settings = _read_settings(root / SETTINGS_FILE)
    location = store_location(root, settings)
    if location.dialect == SQLITE:
        check_sqlite_file(root / DATABASE_FILE)
    engine = make_engine(location)
    try:
        backup = schema.migrate_if_needed(engine, location, root / "backups")
    except BaseException:
        engine.dispose()
        raise
    return Case(root=root, engine=engine, settings=settings, backup=backup, location=location)


def store_location(root: Path, settings: dict) -> StoreLocation:
    """Where the case in ``root`` keeps its tables, from its settings."""
    url = settings.get("store", {}).get("url")
    if url:
        return parse_database_url(str(url), given_as=f"{SETTINGS_FILE} [store] url")
    return sqlite_location(root / DATABASE_FILE)


def _read_settings(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise NotACaseError(f"{path}: not valid TOML ({exc})") from exc


def dump_settings(settings: dict) -> str:
    """TOML for a two-level dict of tables of scalars (all recount.toml needs)."""
    lines: list[str] = []
    for table, values in settings.items():
        lines.append(f"[{table}]")
        for key, value in values.items():
            lines.append(f"{key} = {_toml_value(value)}")
        lines.append("")
    return "\n".join(lines)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    # JSON string escapes are valid TOML basic-string escapes.
    return json.dumps(str(value), ensure_ascii=False)
