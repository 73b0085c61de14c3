"""Long actions started from the browser (linking, estimating), run one at a time in a
background thread, with progress the page polls. A failure becomes a message, not a trace."""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

from recount.case.folder import Case
from recount.clock import utc_now
from recount.errors import RecountError

log = logging.getLogger(__name__)

Work = Callable[["Job"], dict[str, Any]]


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

    def progress(self, step: str, done: int | None = None, total: int | None = None) -> None:
        self.step = step
        self.percent = None if not total else min(100, 100 * (done or 0) // total)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Jobs:
    """One worker: linkage and estimation both write the case, and one at a time is safest."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self._jobs: dict[int, Job] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="recount-job")

    def start(self, kind: str, user: str, work: Work) -> Job:
        with self._lock:
            job = Job(next(self._ids), kind, user)
            self._jobs[job.id] = job
        self._pool.submit(self._run, job, work)
        return job

    def _run(self, job: Job, work: Work) -> None:
        job.status, job.step = "running", "starting"
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

    def get(self, job_id: int) -> Job | None:
        return self._jobs.get(job_id)

    def recent(self, limit: int = 10) -> list[Job]:
        return sorted(self._jobs.values(), key=lambda j: -j.id)[:limit]

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
