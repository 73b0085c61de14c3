"""Keeping a case: a consistent backup of a live case, a verified restore, a move to PostgreSQL.

A backup is a folder::

    DEST/
      manifest.json    what the backup holds: sha256 and size of every other file, rows and a
                       content digest per table, the custody chain heads, the schema revision
      recount.db       the database (SQLite), or recount.dump (pg_dump, custom format)
      recount.toml     the case's settings, byte for byte
      evidence/        the objects and derived copies the database names
      rejects/, estimates/   as they are in the case

The database is copied first, as one consistent state, while other processes go on writing
(``store/backup.py``); the evidence files copied are the ones *that* state names. An object is
renamed into the store before the row that names it is committed, so every object the copy names
is already there, and objects added after it are left out. The backup is written to a hidden
sibling folder and renamed to DEST only when complete: DEST is a whole backup or absent.

A restore checks every file against the manifest while copying it, rebuilds the database, checks
its tables' digests (when the schema is unchanged) and custody heads against the manifest,
opens the case and verifies its evidence (``recount evidence verify``) — all in a hidden sibling
of PATH, renamed to PATH at the end. On any failure what it wrote is removed, and a PostgreSQL
database it filled is emptied again.

A move (``store move``) copies an SQLite case into an empty PostgreSQL database while holding
the case's write lock, proves the copy identical table by table, verifies the evidence against
it, and only then switches ``recount.toml`` to the new store; ``recount.db`` is kept, renamed.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import tomllib
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, select

from recount import __version__
from recount._typing import Progress
from recount.case.folder import SETTINGS_FILE, Case, dump_settings, open_case
from recount.clock import utc_now
from recount.errors import (
    CaseExistsError,
    InputFileError,
    IntegrityError,
    TamperError,
    UsageError,
)
from recount.evidence import custody
from recount.evidence.store import CHUNK, ObjectStore, hash_file
from recount.evidence.verify import VerifyReport, verify_case
from recount.store import backup as store_backup
from recount.store.engine import (
    POSTGRESQL,
    SQLITE,
    StoreLocation,
    make_engine,
    parse_database_url,
)
from recount.store.move import (
    TableDigest,
    copy_store,
    drop_case_tables,
    first_difference,
    schema_revision,
    table_digests,
)
from recount.store.schema import check_empty
from recount.store.tables import SCHEMA_REVISION, custody_log, evidence_derived, evidence_items

FORMAT = "recount-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# recount's own folders, copied whole; backups/ (copies made before migrations) is left out.
CASE_FOLDERS = ("rejects", "estimates")


# --- files -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileEntry:
    sha256: str
    size: int

    @classmethod
    def of(cls, path: Path) -> FileEntry:
        return cls(*hash_file(path))

    def to_dict(self) -> dict:
        return {"sha256": self.sha256, "bytes": self.size}


def copy_hashed(source: Path, target: Path) -> FileEntry:
    """Copy a file (its bytes and its mode) and hash it in the same pass."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with source.open("rb") as src, target.open("xb") as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
            size += len(chunk)
    shutil.copymode(source, target)
    return FileEntry(digest.hexdigest(), size)


def sync_tree(root: Path, files: bool = True) -> None:
    """fsync the folders (and files) under ``root``, so that a rename after it is durable."""
    for folder, _dirs, names in os.walk(root):
        paths = [Path(folder) / n for n in names] if files else []
        for path in [*paths, Path(folder)]:
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        if not files:
            break


def new_folder(path: Path, allow_empty: bool = False) -> None:
    """``path`` must not exist yet (or, with ``allow_empty``, be an empty folder)."""
    if not (path.exists() or path.is_symlink()):
        return
    if allow_empty and path.is_dir() and not path.is_symlink() and not any(path.iterdir()):
        return
    raise CaseExistsError(f"{path} already exists; give a new folder (it is created)")


def sibling(path: Path, tag: str) -> Path:
    """A hidden folder name beside ``path``, to be written and then renamed to ``path``.

    What a killed process left under such a name before is removed first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{path.name}.{tag}-"
    for stale in path.parent.iterdir():
        pid = stale.name[len(prefix) :].split("-")[0] if stale.name.startswith(prefix) else ""
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    return path.parent / f"{prefix}{os.getpid()}-{secrets.token_hex(4)}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return True


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def read_manifest(source: Path) -> dict:
    """The manifest of the backup in ``source``, checked for the fields a restore needs."""
    path = source / MANIFEST
    if not path.is_file():
        raise InputFileError(str(source), f"not a recount backup (it has no {MANIFEST})")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        kind = manifest["store"]["engine"]
        fields = (manifest["files"], manifest["tables"], manifest["custody"]["chains"])
        if not all(isinstance(f, dict) for f in fields):
            raise TypeError("files, tables and custody chains must be objects")
    except (ValueError, KeyError, TypeError) as exc:
        raise InputFileError(str(path), f"not a recount backup manifest ({exc})") from exc
    if manifest.get("format") != FORMAT or kind not in (SQLITE, POSTGRESQL):
        raise InputFileError(str(path), "not a recount backup manifest")
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise InputFileError(str(path), "written by a newer recount; upgrade recount to read it")
    return manifest


def check_listing(source: Path, manifest: dict) -> None:
    """Every file the manifest lists is in the backup with its size, and nothing else is."""
    found = {}
    for path in sorted(source.rglob("*")):
        if path.is_symlink():
            raise IntegrityError(f"{path}: a link in the backup; nothing was restored")
        if path.is_file() and path != source / MANIFEST:
            found[path.relative_to(source).as_posix()] = path.stat().st_size
    listed = manifest["files"]
    for name in sorted(set(found) | set(listed)):
        if name not in found:
            problem = "listed in the backup's manifest but missing"
        elif name not in listed:
            problem = "in the backup but not in its manifest"
        elif found[name] != listed[name]["bytes"]:
            problem = f"{found[name]} bytes, but {listed[name]['bytes']} in the manifest"
        else:
            continue
        raise IntegrityError(f"{source / name}: {problem}; nothing was restored")


# --- what a backup records -------------------------------------------------------------------


def custody_heads(conn: Connection) -> dict:
    """The case log's length and head, and the head of every subject's chain."""
    entries, head = custody.head(conn)
    rows = conn.execute(
        select(custody_log.c.subject, custody_log.c.entry_hash).order_by(
            custody_log.c.subject, custody_log.c.seq
        )
    )
    chains = {subject: entry_hash for subject, entry_hash in rows}  # the last entry wins
    return {"entries": entries, "head": head, "chains": chains}


def _named_objects(conn: Connection) -> list[tuple[str, str]]:
    """Every evidence object (area, sha256) a row of the case names."""
    objects = conn.execute(select(evidence_items.c.stored_sha256).distinct()).scalars()
    derived = conn.execute(select(evidence_derived.c.sha256).distinct()).scalars()
    return sorted({("objects", s) for s in objects} | {("derived", s) for s in derived})


# --- backup ----------------------------------------------------------------------------------


def backup_case(case: Case, dest: Path, progress: Progress | None = None) -> dict:
    """Write a consistent backup of ``case`` (which may be in use) to the new folder ``dest``."""
    dest = Path(dest)
    new_folder(dest, allow_empty=True)
    if dest.resolve().is_relative_to(case.root.resolve()):
        raise UsageError(f"{dest}: a backup cannot be written inside the case it backs up")
    started = datetime.now(UTC)
    work = sibling(dest, "partial")
    try:
        manifest = _write_backup(case, work, progress)
        sync_tree(work)
        work.replace(dest)  # an empty DEST folder is replaced as well
        sync_tree(dest.parent, files=False)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    seconds = (datetime.now(UTC) - started).total_seconds()
    manifest_sha, _ = hash_file(dest / MANIFEST)
    return {
        "backup": str(dest),
        "store": manifest["store"],
        "files": len(manifest["files"]),
        "bytes": sum(f["bytes"] for f in manifest["files"].values()),
        "tables": manifest["tables"],
        "custody": {k: manifest["custody"][k] for k in ("entries", "head")},
        "manifest_sha256": manifest_sha,
        "seconds": round(seconds, 3),
    }


def _write_backup(case: Case, work: Path, progress: Progress | None) -> dict:
    db_name = store_backup.database_file(case.store.dialect)
    work.mkdir()
    with store_backup.frozen_copy(case.store, case.engine, work) as conn:
        revision = schema_revision(conn)
        tables = table_digests(conn)
        heads = custody_heads(conn)
        named = _named_objects(conn)
    files = {db_name: FileEntry.of(work / db_name)}
    files[SETTINGS_FILE] = copy_hashed(case.root / SETTINGS_FILE, work / SETTINGS_FILE)
    store = ObjectStore(case.evidence_dir)
    for done, (area, sha) in enumerate(named, start=1):
        relative = store.path(sha, area).relative_to(case.root).as_posix()
        source = case.root / relative
        if not source.is_file():
            raise IntegrityError(
                f"{source}: named by the case's database but missing from its evidence store; "
                "run `recount evidence verify`. No backup was written"
            )
        files[relative] = copy_hashed(source, work / relative)
        if files[relative].sha256 != sha:
            raise IntegrityError(
                f"{source}: its content has changed (sha256 {files[relative].sha256}); run "
                "`recount evidence verify`. No backup was written"
            )
        if progress:
            progress("files", done, len(named))
    (work / "evidence").mkdir(exist_ok=True)
    for folder in CASE_FOLDERS:
        for source in sorted(p for p in (case.root / folder).rglob("*") if p.is_file()):
            relative = source.relative_to(case.root).as_posix()
            files[relative] = copy_hashed(source, work / relative)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": utc_now(),
        "created_with": f"recount {__version__}",
        "case": case.name,
        "store": {"engine": case.store.dialect, "file": db_name, "schema_revision": revision},
        "tables": {name: d.to_dict() for name, d in tables.items()},
        "custody": heads,
        "files": {name: files[name].to_dict() for name in sorted(files)},
    }
    write_json(work / MANIFEST, manifest)
    return manifest


# --- restore ---------------------------------------------------------------------------------


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


# --- move ------------------------------------------------------------------------------------


def move_case(case: Case, url: str, progress: Progress | None = None) -> dict:
    """Move an SQLite case into the empty PostgreSQL database ``url``. On any failure the case
    is left on SQLite as it was, and the target database as empty as it was."""
    if case.store.dialect != SQLITE:
        raise UsageError(
            f"the case is already stored in {case.store.label}; `store move` moves an SQLite case"
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
            copied = copy_store(conn, engine, case.store.label, target.label, step)
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
