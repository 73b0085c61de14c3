"""``recount evidence add``: files in as objects, rows and custody entries, nothing lost.

Every file is checked before anything is written (regular file, not a link, not empty,
readable, a name that is safe to write elsewhere); one bad file stops the whole command with
all problems listed. Each file is then read once, in fixed pieces: hashed, sniffed, copied (or
encrypted) into a temporary object. Objects are published in batches (rename, then one database
commit per batch; see ``store``). Exact duplicates are found by sha256 (or, for protected items,
by a keyed hash), near-duplicate photos by perceptual hash.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path

from recount._typing import Progress
from recount.case.folder import Case
from recount.case.sources import get_source
from recount.errors import InvalidValueError, KeyRequiredError, UsageError
from recount.evidence.crypto import Key, SegmentEncryptor, content_mac, wrap
from recount.evidence.files import Candidate, collect, parse_captured_at, parse_place
from recount.evidence.keys import KeySource, resolve_key
from recount.evidence.links import resolve_links
from recount.evidence.metadata import Extracted, extract
from recount.evidence.record import Recorder
from recount.evidence.signing import resolve_actor
from recount.evidence.sniff import sniff
from recount.evidence.store import CHUNK, ObjectStore, TempObject
from recount.evidence.testimony import witness_id
from recount.vocabulary import SENSITIVITIES

log = logging.getLogger(__name__)

BATCH_FILES = 128
BATCH_BYTES = 256 << 20
WORKERS = 6


@dataclass
class AddOptions:
    source: str
    caption: str | None = None
    credit: str | None = None
    captured_at: str | None = None
    place: str | None = None
    sensitivity: str = "internal"
    events: list[str] = field(default_factory=list)
    persons: list[int] = field(default_factory=list)
    records: list[int] = field(default_factory=list)
    witness: str | None = None
    note: str | None = None
    key: KeySource = field(default_factory=KeySource)
    new_key: bool = False
    actor: str | None = None
    sign_key: Path | None = None


@dataclass
class AddedItem:
    file: str
    status: str  # added | duplicate (new item, same content as another) | already (nothing new)
    item_id: int | None
    media_type: str
    size_bytes: int
    sha256: str | None  # None for a protected item: its hash is sealed
    protected: bool = False
    duplicate_of: int | None = None
    near_duplicates: list[dict] = field(default_factory=list)
    derived: list[str] = field(default_factory=list)
    metadata_error: str | None = None


@dataclass
class AddResult:
    items: list[AddedItem]
    seconds: float
    bytes_read: int

    def count(self, status: str) -> int:
        return sum(1 for item in self.items if item.status == status)

    def to_dict(self) -> dict:
        return {
            "added": self.count("added"),
            "duplicates": self.count("duplicate"),
            "already": self.count("already"),
            "seconds": round(self.seconds, 3),
            "bytes_read": self.bytes_read,
            "items": [asdict(i) for i in self.items],
        }


@dataclass
class Pending:
    """One file read into a temporary object, waiting for its batch to be published."""

    candidate: Candidate
    temp: TempObject
    stored_sha256: str
    sha256: str
    size: int
    media_type: str
    extracted: Extracted
    derived: list[tuple[TempObject, str, str, int, str, str]]  # temp, sha, kind, size, type, how
    mac: str | None = None
    wrapped_key: bytes | None = None
    data_key: bytes | None = None  # in memory only, until the batch seals its fields
    key_id: str | None = None

    def discard(self) -> None:
        self.temp.discard()
        for temp, *_ in self.derived:
            temp.discard()


def add_files(
    case: Case, paths: list[Path], options: AddOptions, progress: Progress | None = None
) -> AddResult:
    """Add ``paths`` (files, or folders walked) as evidence; ``progress`` hears of ``files``
    and ``bytes`` read as each batch is recorded."""
    started = time.perf_counter()
    if options.sensitivity not in SENSITIVITIES:
        raise InvalidValueError(
            f"--sensitivity {options.sensitivity!r}: expected one of {', '.join(SENSITIVITIES)}"
        )
    protected = options.sensitivity == "protected"
    if options.key.given and not protected:
        raise UsageError("a key protects only items added with --sensitivity protected")
    captured_at = parse_captured_at(options.captured_at)
    place, latitude, longitude = parse_place(options.place)
    candidates = collect(paths, case.evidence_dir)
    store = ObjectStore(case.evidence_dir)
    store.ensure()
    with case.writing() as conn:
        source_id = get_source(conn, options.source).id
        actor = resolve_actor(conn, options.actor, options.sign_key)
        links = resolve_links(conn, options.events, options.persons, options.records)
        witness = witness_id(conn, options.witness) if options.witness else None
        key = resolve_key(conn, options.key, allow_new=options.new_key) if protected else None
    if protected and key is None:
        raise KeyRequiredError("protected items are encrypted: give --key-file or --passphrase")
    recorder = Recorder(
        case, store, source_id, options.source, actor, links, witness, options.witness, options.note
    )
    recorder.recover()
    user_fields = {
        "caption": options.caption,
        "credit": options.credit,
        "captured_at": captured_at,
        "place": place,
        "latitude": latitude,
        "longitude": longitude,
    }
    added: list[AddedItem] = []
    done = total_bytes = 0
    all_bytes = sum(c.path.stat().st_size for c in candidates)
    # Files are read by a few threads: hashing, decoding and above all fsync release the GIL,
    # and concurrent fsyncs share the file system's journal commits. The next batch is read
    # while the current one is published.
    with ThreadPoolExecutor(WORKERS) as pool:
        windows = _windows(candidates)
        reading = _submit(pool, next(windows, None), store, key)
        while reading:
            batch = _collect(reading)
            reading = _submit(pool, next(windows, None), store, key)
            try:
                added += recorder.record(batch, options.sensitivity, user_fields, pool)
            except BaseException:
                _discard(reading)
                raise
            done += len(batch)
            total_bytes += sum(p.size for p in batch)
            if progress:
                progress("files", done, len(candidates))
                progress("bytes", total_bytes, all_bytes)
    seconds = time.perf_counter() - started
    log.info("evidence add: %d files, %d bytes in %.1fs", len(candidates), total_bytes, seconds)
    return AddResult(added, seconds, total_bytes)


def _windows(candidates: list[Candidate]) -> Iterator[list[Candidate]]:
    """Batches of files published together: up to BATCH_FILES files or BATCH_BYTES bytes."""
    window: list[Candidate] = []
    size = 0
    for candidate in candidates:
        window.append(candidate)
        size += candidate.path.stat().st_size
        if len(window) >= BATCH_FILES or size >= BATCH_BYTES:
            yield window
            window, size = [], 0
    if window:
        yield window


def _submit(
    pool: ThreadPoolExecutor, window: list[Candidate] | None, store: ObjectStore, key: Key | None
) -> list[Future[Pending]]:
    return [pool.submit(_read, candidate, store, key) for candidate in window or ()]


def _collect(futures: list[Future[Pending]]) -> list[Pending]:
    """The read files, or the first error after discarding what the others wrote."""
    wait(futures)
    failed = next((f.exception() for f in futures if f.exception() is not None), None)
    if failed is not None:
        _discard(futures)
        raise failed
    return [future.result() for future in futures]


def _discard(futures: list[Future[Pending]]) -> None:
    wait(futures)
    for future in futures:
        if future.exception() is None:
            future.result().discard()


def _read(candidate: Candidate, store: ObjectStore, key: Key | None) -> Pending:
    """Hash, sniff and copy (or encrypt) one file into a temporary object, in bounded memory."""
    temp = store.temp()
    try:
        return _read_into(candidate, store, temp, key)
    except BaseException:
        temp.discard()
        raise


def _read_into(
    candidate: Candidate, store: ObjectStore, temp: TempObject, key: Key | None
) -> Pending:
    digest = hashlib.sha256()
    stored = hashlib.sha256() if key else digest
    mac = content_mac(key) if key else None
    data_key = os.urandom(32) if key else None
    encryptor = SegmentEncryptor(data_key) if data_key else None
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    media_type = None
    size = 0

    def put(data: bytes | memoryview) -> None:
        if data:
            temp.write(data)
            if key:
                stored.update(data)

    if encryptor:
        put(encryptor.header)
    with candidate.path.open("rb", buffering=0) as handle:
        while n := handle.readinto(buffer):
            piece = view[:n]
            if media_type is None:
                media_type = sniff(bytes(piece[:4096]))
            digest.update(piece)
            size += n
            if encryptor and mac:
                mac.update(piece)
                put(encryptor.update(piece))
            else:
                temp.write(piece)
    if encryptor:
        put(encryptor.finish())
    temp.finish()
    media_type = media_type or "application/octet-stream"
    sha256 = digest.hexdigest()
    # Metadata comes from the stored copy, which no one else can change meanwhile; a protected
    # file's plaintext never enters the store, so its metadata is read from the file given.
    source = candidate.path if key else temp.path
    extracted = extract(source, media_type, candidate.name, size)
    pending = Pending(candidate, temp, stored.hexdigest(), sha256, size, media_type, extracted, [])
    if key and data_key:
        pending.mac = mac.hexdigest() if mac else None
        pending.wrapped_key = wrap(key, data_key)
        pending.data_key = data_key
        pending.key_id = key.key_id
        extracted.derived = []  # working copies of protected files would leak them
    else:
        for derived in extracted.derived:
            dtemp = store.temp()
            dtemp.write(derived.data)
            dtemp.finish()
            pending.derived.append(
                (
                    dtemp,
                    hashlib.sha256(derived.data).hexdigest(),
                    derived.kind,
                    len(derived.data),
                    derived.media_type,
                    derived.method,
                )
            )
    return pending
