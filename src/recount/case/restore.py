"""Restoring a case from a backup (``case/backup.py``), verified before it becomes a case.

A restore checks every file against the manifest while copying it, rebuilds the database, checks
its tables' digests (when the schema is unchanged) and custody heads against the manifest,
opens the case and verifies its evidence (``recount evidence verify``) — all in a hidden sibling
of PATH, renamed to PATH at the end. On any failure what it wrote is removed, and a PostgreSQL
database it filled is emptied again.
"""

from __future__ import annotations

import shutil
import tomllib
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from recount._typing import Progress
from recount.case.backup import (
    FileEntry,
    check_listing,
    copy_hashed,
    custody_heads,
    new_folder,
    read_manifest,
    sibling,
    sync_tree,
)
from recount.case.folder import SETTINGS_FILE, dump_settings, open_case
from recount.errors import IntegrityError, TamperError, UsageError
from recount.evidence.verify import VerifyReport, verify_case
from recount.store import backup as store_backup
from recount.store.engine import POSTGRESQL, SQLITE, StoreLocation, make_engine, parse_database_url
from recount.store.move import (
    TableDigest,
    copy_store,
    drop_case_tables,
    first_difference,
    table_digests,
)
from recount.store.schema import SCHEMA_REVISION, check_empty

if TYPE_CHECKING:
    from recount.store import Engine


def restore_case(
    source: Path, path: Path, database: str | None = None, progress: Progress | None = None
) -> dict:
    """Rebuild the case backed up in ``source`` in the new folder ``path`` and verify it.

    The database goes where the backup's came from (SQLite in the folder), or into the empty
    PostgreSQL database ``database``. A PostgreSQL backup needs ``database``."""
    source, path = Path(source), Path(path)
    new_folder(path)
    manifest = read_manifest(source)
    check_listing(source, manifest)
    kind, revision = manifest["store"]["engine"], manifest["store"]["schema_revision"]
    if kind == POSTGRESQL and database is None:
        raise UsageError(
            f"{source} is a backup of a PostgreSQL case: give --database "
            "postgresql://USER@HOST/DB, an empty database to restore it into"
        )
    if kind == SQLITE and database is not None and revision != SCHEMA_REVISION:
        raise UsageError(
            f"{source} was written at schema revision {revision}: restore it without --database "
            "first (it is migrated when opened), then move it with `recount store move`"
        )
    target = parse_database_url(database) if database else None
    target_engine = make_engine(target) if target else None
    started = datetime.now(UTC)
    work = sibling(path, "restoring")
    filled = False
    try:
        if target_engine is not None and target is not None:
            check_empty(target_engine, target.label)
        _copy_files(source, work, manifest, progress)
        filled = target_engine is not None
        _restore_database(source, work, manifest, target, target_engine)
        _write_settings(work, database)
        report, migrated = _check_restored(work, manifest)
        sync_tree(work)
        work.rename(path)
        sync_tree(path.parent, files=False)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        if filled and target_engine is not None:
            with suppress(Exception):
                drop_case_tables(target_engine)
        raise
    finally:
        if target_engine is not None:
            target_engine.dispose()
    return {
        "restored": str(path),
        "from": str(source),
        "store": target.label if target else str(path / store_backup.SQLITE_FILE),
        "files": len(manifest["files"]),
        "tables": manifest["tables"],
        "custody": {k: manifest["custody"][k] for k in ("entries", "head")},
        "migrated_from": migrated,
        "evidence": report.to_dict(),
        "seconds": round((datetime.now(UTC) - started).total_seconds(), 3),
    }


def _copy_files(source: Path, work: Path, manifest: dict, progress: Progress | None) -> None:
    """Copy every file but the database and the settings, each checked against the manifest
    as it is copied; a PostgreSQL dump is checked where it is (pg_restore reads it there)."""
    work.mkdir()
    (work / "evidence").mkdir()
    names = [n for n in manifest["files"] if n != store_backup.DUMP_FILE]
    for done, name in enumerate(names, start=1):
        _expect(source / name, name, copy_hashed(source / name, work / name), manifest)
        if progress:
            progress("files", done, len(names))
    if store_backup.DUMP_FILE in manifest["files"]:
        dump = source / store_backup.DUMP_FILE
        _expect(dump, store_backup.DUMP_FILE, FileEntry.of(dump), manifest)


def _expect(path: Path, name: str, found: FileEntry, manifest: dict) -> None:
    want = manifest["files"][name]
    if found.sha256 != want["sha256"] or found.size != want["bytes"]:
        raise IntegrityError(
            f"{path}: does not match the backup's manifest (sha256 {found.sha256[:16]}…, "
            f"expected {want['sha256'][:16]}…); nothing was restored"
        )


def _restore_database(
    source: Path,
    work: Path,
    manifest: dict,
    target: StoreLocation | None,
    target_engine: Engine | None,
) -> None:
    kind = manifest["store"]["engine"]
    if kind == POSTGRESQL:
        assert target is not None
        store_backup.check_dump(source / store_backup.DUMP_FILE)
        store_backup.restore_postgresql(source / store_backup.DUMP_FILE, target)
        return
    copy = work / store_backup.SQLITE_FILE
    store_backup.check_sqlite_copy(copy)
    if target_engine is None or target is None:
        return
    # An SQLite backup into PostgreSQL: the tables are copied over and proven identical, and
    # the folder keeps no recount.db.
    with store_backup.reading_copy(copy) as conn:
        copy_store(conn, target_engine, str(source), target.label)
    copy.unlink()


def _write_settings(work: Path, database: str | None) -> None:
    """The backup's settings stay byte for byte, unless the store is now elsewhere."""
    path = work / SETTINGS_FILE
    settings = tomllib.loads(path.read_text(encoding="utf-8"))
    if database is not None and settings.get("store", {}).get("url") != database:
        settings.setdefault("store", {})["url"] = database
        path.write_text(dump_settings(settings), encoding="utf-8")


def _check_restored(work: Path, manifest: dict) -> tuple[VerifyReport, str | None]:
    """Open the restored case and prove it is the one backed up."""
    revision = manifest["store"]["schema_revision"]
    with open_case(work) as case:
        with case.reading() as conn:
            heads = custody_heads(conn)
            digests = table_digests(conn) if revision == SCHEMA_REVISION else None
        if digests is not None:
            expected = {
                n: TableDigest(d["rows"], d["sha256"]) for n, d in manifest["tables"].items()
            }
            difference = first_difference(expected, digests)
            if difference:
                raise IntegrityError(
                    f"the restored database differs from the backup's manifest ({difference}); "
                    "nothing was restored"
                )
        if heads != manifest["custody"]:
            raise IntegrityError(
                "the restored custody chains end elsewhere than the backup's manifest records "
                f"(head {heads['head']}, expected {manifest['custody']['head']}); "
                "nothing was restored"
            )
        report = verify_case(case)
    if not report.ok:
        raise TamperError(report.findings, " in the restored case; nothing was restored")
    return report, None if revision == SCHEMA_REVISION else revision
