"""Backing up a case: a consistent copy of a live case, in a folder with its manifest.

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

The file and manifest helpers here are shared with a restore (``case/restore.py``) and a move
(``case/move.py``).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from recount import __version__
from recount._typing import Progress
from recount.case.folder import SETTINGS_FILE, Case
from recount.clock import utc_now
from recount.errors import CaseExistsError, InputFileError, IntegrityError, UsageError
from recount.evidence import custody
from recount.evidence.store import CHUNK, ObjectStore, hash_file
from recount.store import backup as store_backup
from recount.store import cases as cases_store
from recount.store.engine import POSTGRESQL, SQLITE
from recount.store.move import schema_revision, table_digests

if TYPE_CHECKING:
    from recount.store import Connection

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
    chains = cases_store.custody_chain_heads(conn)
    return {"entries": entries, "head": head, "chains": chains}


def _named_objects(conn: Connection) -> list[tuple[str, str]]:
    """Every evidence object (area, sha256) a row of the case names."""
    objects = cases_store.stored_object_hashes(conn)
    derived = cases_store.derived_copy_hashes(conn)
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
    location = case.store
    db_name = store_backup.database_file(location.dialect)
    work.mkdir()
    with store_backup.frozen_copy(location, case.engine, work) as conn:
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
        "store": {"engine": location.dialect, "file": db_name, "schema_revision": revision},
        "tables": {name: d.to_dict() for name, d in tables.items()},
        "custody": heads,
        "files": {name: files[name].to_dict() for name in sorted(files)},
    }
    write_json(work / MANIFEST, manifest)
    return manifest
