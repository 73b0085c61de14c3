"""Long actions started from the browser (linking, estimating, verifying), run in a background
thread, with progress the page polls. A failure becomes a message, not a trace.

A server may run several worker processes, and the page that polls a job need not reach the
worker that runs it. So a job's state lives in a small JSON file in a folder all the server's
workers share (``recount serve`` makes it and removes it when it stops: jobs are kept while the
server runs). Each write replaces the file whole, so a reader never sees half of one.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from recount.clock import utc_now
from recount.errors import RecountError

log = logging.getLogger(__name__)

Work = Callable[["Job"], dict[str, Any]]
SAVE_EVERY_SECONDS = 0.5  # progress is written at most this often; a change of status at once


@dataclass
class Job:
    id: int
    kind: str
    started_by: str
    status: str = "queued"  # queued | running | done | failed
    step: str = "waiting for the job before it"
    percent: int | None = None
    result: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    started_at: str = field(default_factory=utc_now)
    _store: JobStore | None = field(default=None, repr=False, compare=False)
    _saved_at: float = field(default=0.0, repr=False, compare=False)
    _pending: threading.Timer | None = field(default=None, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def progress(self, step: str, done: int | None = None, total: int | None = None) -> None:
        self.step = step
        self.percent = None if not total else min(100, 100 * (done or 0) // total)
        wait = SAVE_EVERY_SECONDS - (time.monotonic() - self._saved_at)
        if wait <= 0:
            self.save()
        elif self._pending is None:
            # Written a moment later, so that the last step before a long wait is seen too.
            self._pending = threading.Timer(wait, self.save)
            self._pending.daemon = True
            self._pending.start()

    def save(self) -> None:
        """Write the job's state as it is now (from any thread; one write at a time)."""
        if self._store is None:
            return
        with self._lock:
            self._pending = None
            self._saved_at = time.monotonic()
            self._store.write(self)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if not f.name.startswith("_")}


class JobStore:
    """One JSON file per job, named by its number, in a folder shared by the server's workers."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def _path(self, job_id: int) -> Path:
        return self.folder / f"{job_id}.json"

    def ids(self) -> list[int]:
        return sorted(int(p.stem) for p in self.folder.glob("*.json") if p.stem.isdigit())

    def claim(self, kind: str, user: str) -> Job:
        """A new job with the next free number: creating its file is what claims the number,
        so two workers never hand out the same one."""
        while True:
            number = (self.ids() or [0])[-1] + 1
            try:
                fd = os.open(self._path(number), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                continue
            os.close(fd)
            job = Job(number, kind, user, _store=self)
            job.save()
            return job

    def write(self, job: Job) -> None:
        partial = self.folder / f".{job.id}.{os.getpid()}.{threading.get_ident()}.partial"
        partial.write_text(json.dumps(job.to_dict(), default=str), encoding="utf-8")
        partial.replace(self._path(job.id))

    def read(self, job_id: int) -> Job | None:
        try:
            text = self._path(job_id).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        if not text:  # claimed this instant, not written yet
            return Job(job_id, "job", "-")
        return Job(**json.loads(text))


class Jobs:
    """A server's jobs. Each worker runs the jobs it started one at a time (linkage and
    estimation both write the case; the case's write lock orders writers across workers)."""

    def __init__(self, folder: Path | None = None) -> None:
        self._temporary = None
        if folder is None:  # an app on its own (tests): a folder of its own, gone at exit
            self._temporary = tempfile.TemporaryDirectory(prefix="recount-jobs-")
            folder = Path(self._temporary.name)
        self.store = JobStore(folder)
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    def start(self, kind: str, user: str, work: Work) -> Job:
        job = self.store.claim(kind, user)
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="recount-job")
            self._pool.submit(self._run, job, work)
        return job

    def _run(self, job: Job, work: Work) -> None:
        job.status, job.step = "running", "starting"
        job.save()
        try:
            job.result = work(job)
            job.status, job.step, job.percent = "done", "finished", 100
        except RecountError as exc:
            job.status, job.error = "failed", str(exc)
        except Exception as exc:
            log.exception("job %s (%s) failed", job.id, job.kind)
            job.status = "failed"
            job.error = (
                f"{job.kind} failed unexpectedly ({type(exc).__name__}); the server's "
                "log has the details"
            )
        job.save()

    def get(self, job_id: int) -> Job | None:
        return self.store.read(job_id)

    def recent(self, limit: int = 10) -> list[Job]:
        found = (self.store.read(i) for i in reversed(self.store.ids()[-limit:]))
        return [job for job in found if job is not None]

    def shutdown(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
