"""Moving an SQLite case into PostgreSQL (``recount store move``).

A move copies an SQLite case into an empty PostgreSQL database while holding the case's write
lock, proves the copy identical table by table, verifies the evidence against it, and only then
switches ``recount.toml`` to the new store; ``recount.db`` is kept, renamed.
"""

from __future__ import annotations

import os
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path

from recount._typing import Progress
from recount.case.backup import sync_tree
from recount.case.folder import SETTINGS_FILE, Case, dump_settings
from recount.errors import TamperError, UsageError
from recount.evidence.verify import verify_case
from recount.store import backup as store_backup
from recount.store.engine import SQLITE, make_engine, parse_database_url
from recount.store.move import copy_store, drop_case_tables
from recount.store.schema import check_empty


def move_case(case: Case, url: str, progress: Progress | None = None) -> dict:
    """Move an SQLite case into the empty PostgreSQL database ``url``. On any failure the case
    is left on SQLite as it was, and the target database as empty as it was."""
    location = case.store
    if location.dialect != SQLITE:
        raise UsageError(
            f"the case is already stored in {location.label}; `store move` moves an SQLite case"
        )
    target = parse_database_url(url, given_as="--to")
    engine = make_engine(target)  # an unreachable server or a wrong URL stops here
    started = datetime.now(UTC)
    copied = None
    try:
        check_empty(engine, target.label)
        step = (lambda name, rows: progress(f"rows of {name}", rows, None)) if progress else None
        # The case's write lock is held until the settings point to the copy: nothing written
        # to recount.db meanwhile could be left behind.
        with case.writing() as conn:
            copied = copy_store(conn, engine, location.label, target.label, step)
            moved = Case(root=case.root, engine=engine, settings=case.settings, location=target)
            report = verify_case(moved)
            if not report.ok:
                raise TamperError(report.findings, "; the case was not moved")
            _switch_settings(case, url)
    except BaseException:
        if copied is not None:
            with suppress(Exception):
                drop_case_tables(engine)
        raise
    finally:
        engine.dispose()
    case.close()
    kept = _keep_old_database(case)
    return {
        "from": str(case.db_path),
        "to": target.label,
        "kept": str(kept) if kept else None,
        "rows": copied.rows,
        "tables": {name: d.to_dict() for name, d in copied.tables.items()},
        "evidence": report.to_dict(),
        "seconds": round((datetime.now(UTC) - started).total_seconds(), 3),
    }


def _switch_settings(case: Case, url: str) -> None:
    settings = dict(case.settings)
    settings["store"] = {**settings.get("store", {}), "url": url}
    temp = case.root / f".{SETTINGS_FILE}.{os.getpid()}.tmp"
    try:
        with temp.open("w", encoding="utf-8") as handle:
            handle.write(dump_settings(settings))
            handle.flush()
            os.fsync(handle.fileno())
        temp.replace(case.root / SETTINGS_FILE)
        sync_tree(case.root, files=False)
    finally:
        temp.unlink(missing_ok=True)


def _keep_old_database(case: Case) -> Path | None:
    """recount.db (and its WAL files) renamed beside the settings, to undo the move by hand."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = case.root / f"{store_backup.SQLITE_FILE}.moved-{stamp}"
    try:
        case.db_path.rename(kept)
        for suffix in ("-wal", "-shm"):
            wal = case.root / f"{store_backup.SQLITE_FILE}{suffix}"
            if wal.exists():
                wal.rename(case.root / f"{kept.name}{suffix}")
    except OSError:
        return None
    return kept
