"""The content-addressed object store in a case's ``evidence/`` folder.

::

    evidence/
      objects/ab/ab12…   originals as received (or their ciphertext), named by sha256, read-only
      derived/cd/cd34…   working copies made from them (thumbnails, extracted text), apart
      tmp/               files being written, and the journals of publishes in progress

An object is written to ``tmp/``, fsynced, made read-only and renamed into place; only then is
the database row that names it committed. A reader therefore never sees half an object, and a
kill at any moment leaves either nothing or a complete object. The one loose end — a complete
object renamed into place whose row was never committed — is named in a journal written before
any rename, and :func:`ObjectStore.recover` removes such objects the next time the store is used.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import secrets
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

log = logging.getLogger(__name__)

CHUNK = 4 << 20  # read and write in 4 MiB pieces: memory stays flat whatever the file's size
AREAS = ("objects", "derived")


def fsync_dir(path: Path) -> None:
    """Make a rename or unlink inside ``path`` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def hash_stream(handle: BinaryIO, chunk: int = CHUNK) -> tuple[str, int]:
    """sha256 and size of what ``handle`` yields, read in fixed pieces into one buffer."""
    digest = hashlib.sha256()
    buffer = bytearray(chunk)
    view = memoryview(buffer)
    size = 0
    while n := handle.readinto(buffer):
        digest.update(view[:n])
        size += n
    return digest.hexdigest(), size


def hash_file(path: Path) -> tuple[str, int]:
    with path.open("rb", buffering=0) as handle:
        return hash_stream(handle)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


@dataclass
class TempObject:
    """A file being written in ``tmp/``; :meth:`finish` makes it durable and read-only."""

    path: Path
    handle: BinaryIO
    size: int = 0

    def write(self, data: bytes | memoryview) -> None:
        self.handle.write(data)
        self.size += len(data)

    def finish(self) -> None:
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        self.path.chmod(0o444)

    def discard(self) -> None:
        if not self.handle.closed:
            self.handle.close()
        self.path.unlink(missing_ok=True)


@dataclass
class Publish:
    """Objects to rename into place together, before one database commit."""

    store: ObjectStore
    pending: list[tuple[TempObject, str, str]] = field(default_factory=list)  # temp, area, sha
    journal: Path | None = None
    published: list[Path] = field(default_factory=list)

    def add(self, temp: TempObject, area: str, sha256: str) -> None:
        self.pending.append((temp, area, sha256))

    def rename_all(self, pool: Executor | None = None) -> None:
        """Journal, then rename every object into place and make the renames durable."""
        targets = [self.store.path(sha, area) for _, area, sha in self.pending]
        self.journal = self.store.tmp / f"{os.getpid()}-{secrets.token_hex(6)}.journal"
        with self.journal.open("w", encoding="utf-8") as handle:
            json.dump([str(t.relative_to(self.store.root)) for t in targets], handle)
            handle.flush()
            os.fsync(handle.fileno())
        fsync_dir(self.store.tmp)
        folders = set()
        for (temp, _, _), target in zip(self.pending, targets, strict=True):
            if target.exists():  # the same content is already stored: keep that object
                temp.discard()
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            temp.path.replace(target)
            self.published.append(target)
            folders.add(target.parent)
        # Concurrent fsyncs of the folders share journal commits; the result is the same.
        list((pool.map if pool else map)(fsync_dir, folders | {self.store.tmp}))

    def done(self, referenced: Callable[[str, str], bool] | None = None) -> None:
        """The rows are committed: drop objects no row ended up naming, then the journal."""
        if referenced is not None:
            for target in self.published:
                if not referenced(target.parent.parent.name, target.name):
                    _remove_object(target)
        if self.journal is not None:
            self.journal.unlink(missing_ok=True)

    def abandon(self, referenced: Callable[[str, str], bool]) -> None:
        """The commit failed: remove objects this publish put in place that no row names."""
        for temp, _, _ in self.pending:
            temp.discard()
        self.done(referenced)


class ObjectStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp = root / "tmp"

    def ensure(self) -> None:
        for area in (*AREAS, "tmp"):
            (self.root / area).mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str, area: str = "objects") -> Path:
        return self.root / area / sha256[:2] / sha256

    def temp(self) -> TempObject:
        self.ensure()
        path = self.tmp / f"{os.getpid()}-{secrets.token_hex(8)}.part"
        return TempObject(path, path.open("xb"))

    def publish(self) -> Publish:
        return Publish(self)

    def objects(self, area: str) -> Iterator[Path]:
        """Every file in an area of the store (whatever its name: strays count too)."""
        base = self.root / area
        if not base.is_dir():
            return
        for path in sorted(base.rglob("*")):
            if path.is_file() or path.is_symlink():
                yield path

    def recover(self, referenced: Callable[[str, str], bool]) -> list[str]:
        """Undo what killed processes left: partial files, and objects whose row never came.

        ``referenced(area, sha256)`` says whether a committed row names an object. Returns what
        was removed, for the log.
        """
        if not self.tmp.is_dir():
            return []
        removed: list[str] = []
        for path in sorted(self.tmp.iterdir()):
            pid_text = path.name.split("-", 1)[0]
            if not pid_text.isdigit() or _pid_alive(int(pid_text)):
                continue
            if path.suffix == ".journal":
                for name in _journal_names(path):
                    target = self.root / name
                    area = Path(name).parts[0]
                    if target.exists() and not referenced(area, target.name):
                        _remove_object(target)
                        removed.append(name)
            path.chmod(0o644)
            path.unlink(missing_ok=True)
            removed.append(f"tmp/{path.name}")
        if removed:
            log.warning("removed what an interrupted `evidence add` left: %s", ", ".join(removed))
        return removed


def _journal_names(path: Path) -> list[str]:
    try:
        names = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []  # a journal cut short: its renames had not started
    safe = []
    for name in names if isinstance(names, list) else []:
        parts = Path(str(name)).parts
        # A journal names only objects/xx/sha or derived/xx/sha; nothing else is touched.
        if len(parts) == 3 and parts[0] in AREAS and ".." not in parts:
            safe.append(str(name))
    return safe


def _remove_object(target: Path) -> None:
    with contextlib.suppress(OSError):
        target.chmod(0o644)
    target.unlink(missing_ok=True)
    fsync_dir(target.parent)
