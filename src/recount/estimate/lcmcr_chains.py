"""Running LCMCR's chains (the model and its settings are in ``lcmcr.py``).

Each chain is a job with its own SFC64 stream, seeded from ``SeedSequence(seed).spawn(chains)``:
chain c always uses the c-th stream, so the draws depend on the seed and the number of chains
only — not on how many chains run at once, nor on how the sweeps are cut into blocks.

Several chains run in threads of the calling process. The kernels release the GIL while they
sweep, so two chains keep two cores busy, and no process is started: nothing is imported or
compiled twice, and a script that calls ``estimate_lcmcr`` at top level needs no
``if __name__ == "__main__":`` guard. One chain (or one worker) runs in the calling thread.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from recount._typing import Progress
from recount.estimate import _lcmcr_kernels as kernels
from recount.estimate.table import CaptureTable

if TYPE_CHECKING:
    from recount.estimate.lcmcr import LcmcrSettings

WARM_UP = 500  # reference: sweeps before the classes are relabelled, α held at 0.3/K
BLOCK_SECONDS = 0.2  # progress is reported, and a stop request seen, about this often
UNIT = "sweeps"

# (chain, sweeps it has done): how a running chain reports.
ChainReport = Callable[[int, int], None]


@dataclass(frozen=True)
class ChainJob:
    """What one chain needs."""

    ones_ptr: np.ndarray  # (M + 1,) int64: cell m is on lists ones_idx[ones_ptr[m]:ones_ptr[m+1]]
    ones_idx: np.ndarray  # uint64
    counts: np.ndarray  # (M,) int64
    shares: np.ndarray  # (J,) each list's share of the observed people
    K: int
    settings: LcmcrSettings
    seed: np.random.SeedSequence
    chain: int


def make_jobs(table: CaptureTable, settings: LcmcrSettings) -> list[ChainJob]:
    """One job per chain, seeded by ``SeedSequence(settings.seed).spawn(chains)``."""
    patterns = table.patterns.astype(bool)
    ones_ptr = np.concatenate([[0], np.cumsum(patterns.sum(axis=1))]).astype(np.int64)
    ones_idx = np.nonzero(patterns)[1].astype(np.uint64)
    shares = (patterns * table.counts[:, None]).sum(axis=0) / table.observed
    K = settings.n_classes(table.n_lists)
    seeds = np.random.SeedSequence(settings.seed).spawn(settings.chains)
    return [
        ChainJob(ones_ptr, ones_idx, table.counts.astype(np.int64), shares, K, settings, seed, c)
        for c, seed in enumerate(seeds)
    ]


def run_chains(
    table: CaptureTable,
    settings: LcmcrSettings,
    progress: Progress | None = None,
    workers: int | None = None,
) -> np.ndarray:
    """Draws of N, one row per chain (``chains × samples``, int64).

    Up to ``workers`` chains at once in threads (default: one per chain, up to the number of
    CPUs); with one worker the chains run here, one after the other. ``progress("sweeps", done,
    total)`` is called from the calling thread with the sweeps done over all chains.
    """
    jobs = make_jobs(table, settings)
    total = settings.chains * settings.sweeps_per_chain()
    n_workers = min(settings.chains, workers or os.cpu_count() or 1)
    if n_workers > 1:
        return _run_threads(jobs, n_workers, total, progress)
    rows = []
    for job in jobs:
        before = len(rows) * settings.sweeps_per_chain()

        def report(_chain: int, sweeps: int, before: int = before) -> None:
            if progress is not None:
                progress(UNIT, before + sweeps, total)

        rows.append(run_chain(job, report))
    return np.stack(rows)


def _run_threads(
    jobs: Sequence[ChainJob], n_workers: int, total: int, progress: Progress | None
) -> np.ndarray:
    """Chains in threads; this thread reports their sweeps and raises the first error at once
    (the other chains then stop at their next block)."""
    done = [0] * len(jobs)
    stop = threading.Event()

    def report(chain: int, sweeps: int) -> None:
        done[chain] = sweeps

    with ThreadPoolExecutor(n_workers, thread_name_prefix="lcmcr-chain") as pool:
        futures = [pool.submit(run_chain, job, report, stop) for job in jobs]
        try:
            last = -1
            pending = set(futures)
            while pending:
                finished, pending = wait(
                    pending, timeout=BLOCK_SECONDS / 2, return_when=FIRST_EXCEPTION
                )
                for future in finished:
                    future.result()
                now = sum(done)
                if progress is not None and now != last:
                    progress(UNIT, now, total)
                    last = now
            return np.stack([f.result() for f in futures])
        except BaseException:
            stop.set()
            for future in futures:
                future.cancel()
            raise


def run_chain(
    job: ChainJob, report: ChainReport | None = None, stop: threading.Event | None = None
) -> np.ndarray:
    """One chain: warm-up, relabelling, burn-in, then ``samples`` draws of N.

    Sweeps run in blocks of about BLOCK_SECONDS so that progress can be reported; the block
    sizes depend on the clock, the draws do not (the whole state carries over between blocks).
    Once ``stop`` is set the chain returns at its next block, its draws unfinished: only a
    caller that is giving up sets it.
    """
    s = job.settings
    rng = _bit_state(job.seed)
    n = int(job.counts.sum())
    state = _initial_state(rng, job.shares, job.K, n)
    done = 0
    rate = 1e4  # sweeps per second, measured as we go

    def run(units: int, unit: int, update_alpha: bool, draws: np.ndarray | None) -> None:
        """``units`` × ``unit`` sweeps; with ``draws``, N after each unit goes into it."""
        nonlocal done, rate
        start = 0
        while start < units and not (stop is not None and stop.is_set()):
            size = min(units - start, max(1, int(rate * BLOCK_SECONDS / unit)))
            out = _NONE if draws is None else draws[start : start + size]
            began = time.perf_counter()
            kernels.run_sweeps(
                rng,
                job.ones_ptr,
                job.ones_idx,
                job.counts,
                n,
                20 * n,
                s.a_alpha,
                s.b_alpha,
                update_alpha,
                *state,
                size * unit,
                unit,
                out,
            )
            rate = size * unit / max(time.perf_counter() - began, 1e-4)
            start += size
            done += size * unit
            if report is not None:
                report(job.chain, done)

    run(WARM_UP, 1, False, None)
    _relabel(*state[:5])
    run(s.burn_in, 1, True, None)
    draws = np.empty(s.samples, dtype=np.int64)
    run(s.samples, s.thin, True, draws)
    return draws


_NONE = np.empty(0, dtype=np.int64)


def warm_up_kernels() -> None:
    """Compile the kernels, or load them from Numba's cache, by running two sweeps on a tiny
    table (the benchmark times this apart)."""
    from recount.estimate.lcmcr import LcmcrSettings

    table = CaptureTable(
        ("a", "b"), np.array([[1, 0], [0, 1], [1, 1]], np.uint8), np.array([3, 2, 1], np.int64)
    )
    job = make_jobs(table, LcmcrSettings(classes=2, burn_in=0, samples=4, thin=1, chains=1))[0]
    rng = _bit_state(job.seed)
    state = _initial_state(rng, job.shares, job.K, 6)
    for sweeps, out in ((1, _NONE), (0, np.empty(1, np.int64))):
        kernels.run_sweeps(
            rng,
            job.ones_ptr,
            job.ones_idx,
            job.counts,
            6,
            120,
            0.25,
            0.25,
            True,
            *state,
            sweeps,
            1,
            out,
        )


def _bit_state(seed: np.random.SeedSequence) -> np.ndarray:
    """The chain's SFC64 state (4 × uint64), seeded by NumPy, stepped by the kernels."""
    return np.random.SFC64(seed).state["state"]["state"].astype(np.uint64).copy()


def _initial_state(rng: np.ndarray, shares: np.ndarray, K: int, n: int) -> list[np.ndarray]:
    """Reference start: λ_jk = list j's share of the observed, π by a random stick-breaking
    (V_k ~ Beta(1, 1)), α = 0.3/K, nobody unobserved. Returns the kernels' state arrays, in
    their order.

    LCMCR 0.4.14 also sets fixed weights (0.9/4 for four classes, 0.1/(K − 4) for the
    rest) before its warm-up, but its sweep reads log π, which holds the random
    stick-breaking; older versions read the fixed weights. Which start is used changes which
    mode a chain finds on multimodal tables (see ``docs/estimation.md``), so recount follows
    the version HRDAG's published draws come from.
    """
    J = shares.size
    edge = 0.5 / n
    lam = np.clip(shares, edge, 1 - edge)
    odds = np.repeat((lam / (1 - lam))[:, None], K, axis=1)
    log0 = np.full(K, np.log1p(-lam).sum())
    log_pi = np.zeros(K)
    kernels.initial_pi(rng, log_pi)
    base = np.zeros(K)
    kernels.set_base(log_pi, log0, base)
    scal = np.array([0.3 / K, 0.0])
    work = [np.zeros(K, np.int64), np.zeros((J, K), np.int64), np.zeros(K), np.zeros(K, np.int64)]
    return [odds, log0, log_pi, base, np.zeros(K, np.int64), scal, *work]


def _relabel(
    odds: np.ndarray, log0: np.ndarray, log_pi: np.ndarray, base: np.ndarray, n0k: np.ndarray
) -> None:
    """Relabel the classes by decreasing π (in place), as the reference does after warm-up."""
    order = np.argsort(-log_pi, kind="stable")
    odds[:] = odds[:, order]
    log0[:] = log0[order]
    log_pi[:] = log_pi[order]
    base[:] = base[order]
    n0k[:] = n0k[order]
