"""Import one file of records from one source, all or nothing.

The whole import is one transaction (``case.writing()``): the import row, one person per record
(until linkage joins them) and the records. Rows are validated while streaming; once any row is
invalid nothing more is written, every remaining row is still checked so the user sees all
problems at once, and the transaction is rolled back. A crash or a kill at any moment leaves the
case as it was, on either engine: SQLite's write-ahead log discards the unfinished transaction on
the next open, and PostgreSQL rolls back the transaction of a client that went away.

With ``skip_invalid`` the valid rows are imported and the invalid ones are written, with their
reasons, to a rejects CSV that appears only once the import has committed.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recount import __version__
from recount._typing import Progress
from recount.case.folder import Case
from recount.case.sources import get_source
from recount.clock import utc_now
from recount.errors import InputFileError, Problem, UsageError, ValidationError
from recount.events.event import get_event
from recount.export.writers import neutralise
from recount.ingest.mapping import Mapping, load_mapping, resolve_columns
from recount.ingest.readers import ABSENT, RawTable, open_table
from recount.ingest.validate import RECORD_FIELDS, RowNormaliser
from recount.store import cases as cases_store
from recount.store import persons as persons_store
from recount.store import records as records_store

if TYPE_CHECKING:
    from recount.store import Connection

log = logging.getLogger(__name__)

BATCH = 5000
MAX_PROBLEMS_KEPT = 10_000


@dataclass
class ImportResult:
    source: str
    file: str
    sha256: str
    imported: int
    rejected: int
    already_imported: bool = False
    import_id: int | None = None
    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    rejects_file: str | None = None
    previous: dict | None = None  # when already imported: the earlier import
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def import_file(
    case: Case,
    source: str,
    path: Path,
    mapping_path: Path | None = None,
    event: str | None = None,
    skip_invalid: bool = False,
    rejects_path: Path | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import ``path`` as records of ``source``; see the module docstring for the guarantees."""
    started = time.perf_counter()
    if rejects_path is not None and not skip_invalid:
        raise UsageError("a rejects file is written only with --skip-invalid")
    path = Path(path)
    mapping = load_mapping(mapping_path) if mapping_path else Mapping()
    with case.reading() as conn:
        source_row = get_source(conn, source)
        event_id = get_event(conn, event).id if event else None
    if not path.is_file():
        raise InputFileError(str(path), "no such file")
    sha256 = file_sha256(path)
    with case.reading() as conn:
        previous = cases_store.import_by_sha256(conn, sha256)
    if previous is not None:
        return _already_imported(source, path, sha256, previous)

    table = open_table(path, mapping.encoding, mapping.delimiter, mapping.sheet)
    header = [name or f"(column {i})" for i, name in enumerate(table.columns, start=1)]
    fields, header_problems = resolve_columns(mapping, header, str(path))
    if header_problems:
        raise ValidationError(str(path), header_problems)
    rejects_target = rejects_path or case.rejects_dir / f"{path.stem}-{sha256[:12]}-rejects.csv"
    job = _Job(
        path,
        sha256,
        table,
        mapping,
        RowNormaliser(str(path), header, fields, mapping, table.format == "csv"),
        _Rejects(rejects_target, header) if skip_invalid else None,
        progress,
        source_row.id,
        event_id,
    )
    try:
        with case.writing() as conn:
            # Checked again under the write lock: another process may have imported it since.
            previous = cases_store.import_by_sha256(conn, sha256)
            written = _write(conn, job) if previous is None else None
    except BaseException:
        if job.rejects:
            job.rejects.discard()
        raise
    if written is None:
        if job.rejects:
            job.rejects.discard()
        return _already_imported(source, path, sha256, previous or {})
    import_id, imported = written
    rejected = job.rejects.count if job.rejects else 0
    rejects_file = job.rejects.commit() if job.rejects else None
    seconds = time.perf_counter() - started
    log.info(
        "imported %d records from %s in %.1fs (%d rejected)", imported, path, seconds, rejected
    )
    return ImportResult(
        source,
        str(path),
        sha256,
        imported,
        rejected,
        import_id=import_id,
        format=table.format,
        encoding=table.encoding,
        delimiter=table.delimiter,
        rejects_file=str(rejects_file) if rejects_file else None,
        seconds=round(seconds, 3),
    )


@dataclass
class _Job:
    """One file on its way in: what it is, how to read it, where it goes."""

    path: Path
    sha256: str
    table: RawTable
    mapping: Mapping
    normalise: RowNormaliser
    rejects: _Rejects | None
    progress: Progress | None
    source_id: int
    event_id: int | None


def _write(conn: Connection, job: _Job) -> tuple[int, int]:
    """The import row and its records, in the caller's transaction: (import id, records)."""
    import_id = _insert_import(conn, job)
    context = dict(import_id=import_id, source_id=job.source_id, event_id=job.event_id)
    imported, problems, total_problems = _load_rows(conn, job, context)
    _check_outcome(job.path, imported, problems, total_problems, job.rejects is not None)
    cases_store.set_import_counts(
        conn, import_id, imported, job.rejects.count if job.rejects else 0
    )
    return import_id, imported


def _already_imported(source: str, path: Path, sha256: str, previous: dict) -> ImportResult:
    log.info("%s was already imported (import %s); nothing added", path, previous["id"])
    return ImportResult(
        source,
        str(path),
        sha256,
        0,
        0,
        already_imported=True,
        import_id=previous["id"],
        previous=previous,
    )


def _insert_import(conn: Connection, job: _Job) -> int:
    return cases_store.insert_import(
        conn,
        source_id=job.source_id,
        file_name=job.path.name,
        sha256=job.sha256,
        size_bytes=job.path.stat().st_size,
        format=job.table.format,
        encoding=job.table.encoding,
        delimiter=job.table.delimiter,
        mapping=job.mapping.to_json(),
        imported_at=utc_now(),
        recount_version=__version__,
        event_id=job.event_id,
    )


def _load_rows(
    conn: Connection, job: _Job, context: dict[str, Any]
) -> tuple[int, list[Problem], int]:
    """Validate every row; insert valid ones while the import can still succeed."""
    # Person ids are max + 1 on both engines (never a PostgreSQL sequence): linkage allocates
    # new persons the same way, under the same write lock, so ids never collide.
    next_person = persons_store.max_person_id(conn) + 1
    created = utc_now()
    batch: list[dict[str, Any]] = []
    problems: list[Problem] = []
    total_problems = imported = read = 0
    skip_invalid, writer, progress = job.rejects is not None, job.rejects, job.progress
    for row in job.table.rows:
        read += 1
        record, row_problems = job.normalise(row)
        if row_problems:
            total_problems += len(row_problems)
            room = MAX_PROBLEMS_KEPT - len(problems)
            problems.extend(row_problems[: max(room, 0)])
            if writer:
                writer.add(row.number, row.values, row_problems)
            continue
        if total_problems and not skip_invalid:
            continue  # the import will fail: keep validating, stop writing
        record.update(context, row_number=row.number, person_id=next_person + imported)
        batch.append(record)
        imported += 1
        if len(batch) >= BATCH:
            _insert(conn, batch, created)
            batch = []
        if progress and read % BATCH == 0:
            progress("rows", read, None)
    if batch and (skip_invalid or not total_problems):
        _insert(conn, batch, created)
    if progress:
        progress("rows", read, None)
    return imported, problems, total_problems


RECORD_INSERT_COLUMNS = (
    "import_id",
    "source_id",
    "event_id",
    "row_number",
    "person_id",
    *RECORD_FIELDS,
    "raw",
)


def _insert(conn: Connection, batch: list[dict[str, Any]], created: str) -> None:
    """Tuples straight to the driver: the one hot path where SQLAlchemy's per-row parameter
    processing would cost more than the insert itself."""
    persons_store.insert_persons(conn, [(r["person_id"], created) for r in batch])
    records_store.insert_records(
        conn, RECORD_INSERT_COLUMNS, [tuple(r[c] for c in RECORD_INSERT_COLUMNS) for r in batch]
    )


def _check_outcome(
    path: Path, imported: int, problems: list[Problem], total: int, skip_invalid: bool
) -> None:
    if total and not skip_invalid:
        raise ValidationError(str(path), problems, total)
    if imported == 0 and not total:
        raise InputFileError(str(path), "the file has a header but no data rows")
    if imported == 0:
        raise ValidationError(str(path), problems, total)


class _Rejects:
    """Invalid rows with their reasons, in a temporary file renamed into place on commit."""

    def __init__(self, target: Path, header: list[str]) -> None:
        self.target = target
        self.partial = target.with_name(target.name + ".partial")
        self.header = header
        self.count = 0
        self._handle: Any = None
        self._writer: Any = None

    def add(self, row_number: int, values: list[Any], problems: list[Problem]) -> None:
        if self._writer is None:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.partial.open("w", encoding="utf-8", newline="")
            self._writer = csv.writer(self._handle)
            self._writer.writerow(["row_number", "problems", *self.header])
        reasons = "; ".join(f"{p.column or 'row'}: expected {p.expected}" for p in problems)
        cells = ("" if v is None or v is ABSENT else neutralise(v) for v in values)
        self._writer.writerow([row_number, reasons, *cells])
        self.count += 1

    def commit(self) -> Path | None:
        if self._handle is None:
            return None
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        self.partial.replace(self.target)
        return self.target

    def discard(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self.partial.unlink(missing_ok=True)
