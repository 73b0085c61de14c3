"""The custody chain stays one unbroken chain when several processes, each with several threads,
append to it at once: the case's write lock orders the writers, on both engines."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from pathlib import Path

from recount.case.folder import Case, open_case
from recount.evidence import actions, custody
from recount.evidence.signing import Actor
from recount.evidence.verify import verify_case
from tests.evidence.helpers import add, photo

PROCESSES = 3
THREADS = 3
APPENDS = 6  # per thread


def _append_many(root: str, worker: int) -> int:
    """One process: THREADS threads, each recording APPENDS custody entries on both items."""
    case = open_case(Path(root))

    def thread(number: int) -> int:
        who = Actor(f"worker-{worker}-{number}")
        for step in range(APPENDS):
            if step % 2:
                actions.annotate(
                    case, str(1 + number % 2), who, f"note {worker}.{number}.{step}", {}
                )
            else:
                actions.transfer(case, ["1", "2"], f"desk {worker}.{number}", who, f"step {step}")
        return APPENDS

    try:
        with ThreadPoolExecutor(THREADS) as pool:
            return sum(pool.map(thread, range(THREADS)))
    finally:
        case.close()


def test_concurrent_writers_keep_the_chain_whole(case: Case, tmp_path: Path) -> None:
    add(case, photo(tmp_path / "a.jpg", 1), photo(tmp_path / "b.jpg", 2))
    before = verify_case(case)
    assert before.ok and before.entries == 2
    context = multiprocessing.get_context("spawn")
    with context.Pool(PROCESSES) as pool:
        done = pool.starmap(_append_many, [(str(case.root), n) for n in range(PROCESSES)])
    assert done == [THREADS * APPENDS] * PROCESSES

    report = verify_case(case)
    assert report.ok, report.findings
    # Each even step is a transfer of both items (two entries), each odd one an annotate.
    per_thread = sum(2 if step % 2 == 0 else 1 for step in range(APPENDS))
    assert report.entries == 2 + PROCESSES * THREADS * per_thread
    with case.reading() as conn:
        log = custody.entries(conn)
    assert [e.case_seq for e in log] == list(range(1, len(log) + 1))
    for subject in ("item:1", "item:2"):
        chain = [e for e in log if e.subject == subject]
        assert [e.seq for e in chain] == list(range(1, len(chain) + 1))
        assert all(b.prev_hash == a.entry_hash for a, b in pairwise(chain))
    assert all(b.case_prev_hash == a.entry_hash for a, b in pairwise(log))
