"""LCMCR: the Bayesian non-parametric latent-class model for capture–recapture.

Manrique-Vallier, D. (2016). "Bayesian population size estimation using Dirichlet process
mixtures." *Biometrics* 72(4), 1246–1254. This is HRDAG's production MSE model (R package
LCMCR); this module is an independent NumPy + Numba implementation of the same Gibbs sampler.

Model. Each of the N people (n observed, n0 = N − n on no list) belongs to one of K latent
classes; within a class, being on each of the J lists is independent:

    P(x) = Σ_k π_k Π_j λ_jk^x_j (1 − λ_jk)^(1 − x_j)

Priors: λ_jk ~ Beta(1, 1); π ~ truncated stick-breaking, V_k ~ Beta(1, α) for k < K, V_K = 1;
α ~ Gamma(a_α, rate b_α); p(N) ∝ 1/N. As in the reference code, N ≤ 21 n (n0 is redrawn while
n0 > 20 n), so the posterior is truncated at 21 n; results warn when it piles up there.

Sampler (each sweep, over the table of pattern counts, not individuals): class counts of
each observed cell ~ Multinomial; λ ~ Beta; π by stick-breaking; p0 = P(x = 0);
n0 ~ NegBin(n, 1 − p0) below the cap; classes of the n0 unobserved ~ Multinomial; α ~ Gamma.
Initialisation follows the reference: λ_jk = list j's share of the observed people, α = 0.3/K,
π from a random stick-breaking, 500 warm-up sweeps without the α update, then the classes are
relabelled by decreasing π. The user's burn-in follows; then ``samples`` draws of N, one every
``thin`` sweeps, per chain.

Deviations from the reference (none changes the target distribution):

- Random numbers: one SFC64 stream per chain, seeded by NumPy from
  ``SeedSequence(seed).spawn(chains)``; the kernels step its state in-line (the uniforms are
  NumPy's ``Generator(SFC64(...)).random()`` bit for bit) and draw normals, gammas, binomials
  and Poissons with their own code. Passing a ``np.random.Generator`` into Numba costs an
  indirect call per uniform and was slower than the whole rest of a sweep. The draws are
  therefore not the R package's, whose RNG is GSL's taus2.
- Multinomials are drawn by conditional binomials with the heaviest class first; once 8 or
  fewer people are left, each draws its class.
- A list holding everybody (or nobody) would start at λ = 1 (or 0); it starts 1/(2n) inside.
- When 20 proposals of n0 in a row exceed the cap, n0 is drawn exactly from the truncated
  negative binomial by rejection from a geometric envelope, instead of proposing forever.

Chains run in worker processes started with "spawn": a script that calls ``estimate_lcmcr``
at top level needs the usual ``if __name__ == "__main__":`` guard.
"""

from __future__ import annotations

import concurrent.futures
import logging
import math
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from recount.errors import InvalidValueError
from recount.estimate import _lcmcr_kernels as kernels
from recount.estimate.diagnostics import ess_bulk, ess_tail, split_rhat
from recount.estimate.result import Estimate, summarise_draws
from recount.estimate.table import CaptureTable

log = logging.getLogger(__name__)

WARM_UP = 500  # reference: sweeps before the classes are relabelled, α held at 0.3/K
CAP_FACTOR = 21  # reference: N ≤ 21 n
MAX_CLASSES = 15
RHAT_LIMIT = 1.05
ESS_PER_CHAIN = 100  # Vehtari et al. (2021): bulk and tail ESS of at least 100 per chain
NEAR_CAP = 0.95  # a draw is "near the cap" when N ≥ 95% of 21 n ...
NEAR_CAP_SHARE = 0.01  # ... and the cap warning is given when more than 1% of draws are
BLOCK_SECONDS = 0.2  # progress is reported about this often


@dataclass(frozen=True)
class LcmcrSettings:
    """Sampler settings.

    Defaults: K = min(2^J − 1, 15) (verdata's rule), burn-in 10,000 sweeps, then 1,000 draws
    per chain one every 100 sweeps, 2 chains, a_α = b_α = 0.25 (LCMCR's defaults), seed
    19481210 (HRDAG's). The R package thins by 10, which on Kosovo leaves about 75 effective
    draws of N — too few for a 97.5% quantile — so recount thins by 100 (about a second per
    chain on four lists). HRDAG's production run (verdata, Colombia) is burn-in 10,000 and
    10,000 samples thinned by 500 — ``LcmcrSettings(samples=10_000, thin=500, chains=1)``,
    5,010,000 sweeps — of which it keeps every 10th draw.
    """

    classes: int | None = None
    burn_in: int = 10_000
    samples: int = 1_000
    thin: int = 100
    a_alpha: float = 0.25
    b_alpha: float = 0.25
    chains: int = 2
    seed: int = 19481210

    def __post_init__(self) -> None:
        problems = settings_problems(self)
        if problems:
            raise InvalidValueError("invalid LCMCR settings: " + "; ".join(problems))

    def n_classes(self, n_lists: int) -> int:
        """K: the setting, or min(2^J − 1, 15) for J lists."""
        if self.classes is not None:
            return self.classes
        return min(2 ** min(n_lists, 10) - 1, MAX_CLASSES)

    def sweeps_per_chain(self) -> int:
        return WARM_UP + self.burn_in + self.samples * self.thin


def settings_problems(settings: LcmcrSettings) -> list[str]:
    """Every problem with ``settings``, as messages (empty when they are usable)."""
    problems = []

    def whole(name: str, low: int, high: int | None = None) -> None:
        value = getattr(settings, name)
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            problems.append(f"{name} must be a whole number, got {value!r}")
        elif value < low or (high is not None and value > high):
            bound = f"at least {low}" if high is None else f"between {low} and {high}"
            problems.append(f"{name} must be {bound}, got {value}")

    if settings.classes is not None:
        whole("classes", 1, 1000)
    whole("burn_in", 0)
    whole("samples", 4)
    whole("thin", 1)
    whole("chains", 1, 64)
    whole("seed", 0)
    for name in ("a_alpha", "b_alpha"):
        value = getattr(settings, name)
        if isinstance(value, bool) or not isinstance(value, int | float | np.floating):
            problems.append(f"{name} must be a number, got {value!r}")
        elif not (math.isfinite(value) and value > 0):
            problems.append(f"{name} must be a positive number, got {value}")
    return problems


def estimate_lcmcr(
    table: CaptureTable,
    settings: LcmcrSettings | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> Estimate:
    """Posterior of N under LCMCR: median, 95% equal-tailed interval, draws and diagnostics.

    Chains run in parallel processes (at most ``workers``, default: one per chain up to the
    number of CPUs); the draws do not depend on how many. ``progress(done, total)`` is called
    from this process with the number of sweeps done over all chains.
    """
    settings = LcmcrSettings() if settings is None else settings
    table.check()
    if workers is not None and (
        isinstance(workers, bool) or not isinstance(workers, int) or workers < 1
    ):
        raise InvalidValueError(f"workers must be a whole number of at least 1, got {workers!r}")
    K = settings.n_classes(table.n_lists)
    started = time.perf_counter()
    chains = run_chains(table, settings, progress, workers)
    log.info(
        "lcmcr: %d chain(s) of %d sweeps in %.1f s",
        settings.chains,
        settings.sweeps_per_chain(),
        time.perf_counter() - started,
    )
    draws = chains.reshape(-1)
    median, interval = summarise_draws(draws)
    diagnostics = chain_diagnostics(chains, CAP_FACTOR * table.observed)
    return Estimate(
        method="lcmcr",
        lists=table.lists,
        observed=table.observed,
        estimate=median,
        interval=interval,
        seed=settings.seed,
        draws=draws,
        settings={
            **asdict(settings),
            "classes": K,
            "warm_up": WARM_UP,
            "cap": CAP_FACTOR * table.observed,
        },
        diagnostics=diagnostics,
        warnings=chain_warnings(diagnostics, settings.chains),
    )


def chain_diagnostics(chains: np.ndarray, cap: int) -> dict:
    """R-hat, ESS, per-chain medians and how much of the posterior sits near the cap."""
    draws = chains.reshape(-1)
    low, high = np.quantile(draws, [0.025, 0.975])
    return {
        "rhat": split_rhat(chains),
        "ess_bulk": ess_bulk(chains),
        "ess_tail": ess_tail(chains),
        "chain_medians": [float(np.median(c)) for c in chains],
        "mean": float(draws.mean()),
        "q025": float(low),
        "q975": float(high),
        "cap": int(cap),
        "share_at_cap": float(np.mean(draws >= cap)),
        "share_near_cap": float(np.mean(draws >= NEAR_CAP * cap)),
    }


def chain_warnings(diagnostics: dict, n_chains: int) -> list[str]:
    """Plain-language warnings about convergence and about the N ≤ 21 n cap."""
    warnings = []
    rhat = diagnostics["rhat"]
    if not rhat <= RHAT_LIMIT:
        warnings.append(
            f"the chains disagree (R-hat {rhat:.3f} > {RHAT_LIMIT}): run longer "
            "(more burn-in, samples or thinning) before trusting this estimate"
        )
    ess = min(diagnostics["ess_bulk"], diagnostics["ess_tail"])
    if not ess >= ESS_PER_CHAIN * n_chains:
        warnings.append(
            f"few effective draws ({ess:.0f} < {ESS_PER_CHAIN * n_chains}): the "
            "median and interval carry Monte-Carlo error; run longer or thin more"
        )
    if diagnostics["share_near_cap"] > NEAR_CAP_SHARE:
        warnings.append(
            f"{100 * diagnostics['share_near_cap']:.1f}% of the draws are within "
            f"{100 * (1 - NEAR_CAP):.0f}% of LCMCR's cap N ≤ {CAP_FACTOR} × observed = "
            f"{diagnostics['cap']:,}: the data say little about how many were missed, and "
            "the upper end of the interval is set by the cap, not by the data"
        )
    return warnings


# ---------------------------------------------------------------------------------------------
# Chains


@dataclass(frozen=True)
class _Job:
    """What one chain needs; picklable, so that it can be sent to a worker process."""

    ones_ptr: np.ndarray  # (M + 1,) int64: cell m is on lists ones_idx[ones_ptr[m]:ones_ptr[m+1]]
    ones_idx: np.ndarray  # uint64
    counts: np.ndarray  # (M,) int64
    shares: np.ndarray  # (J,) each list's share of the observed people
    K: int
    settings: LcmcrSettings
    seed: np.random.SeedSequence
    chain: int


def make_jobs(table: CaptureTable, settings: LcmcrSettings) -> list[_Job]:
    """One job per chain, seeded by ``SeedSequence(settings.seed).spawn(chains)``."""
    patterns = table.patterns.astype(bool)
    ones_ptr = np.concatenate([[0], np.cumsum(patterns.sum(axis=1))]).astype(np.int64)
    ones_idx = np.nonzero(patterns)[1].astype(np.uint64)
    shares = (patterns * table.counts[:, None]).sum(axis=0) / table.observed
    K = settings.n_classes(table.n_lists)
    seeds = np.random.SeedSequence(settings.seed).spawn(settings.chains)
    return [
        _Job(ones_ptr, ones_idx, table.counts.astype(np.int64), shares, K, settings, seed, c)
        for c, seed in enumerate(seeds)
    ]


def run_chains(
    table: CaptureTable,
    settings: LcmcrSettings,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> np.ndarray:
    """Draws of N, one row per chain (``chains × samples``, int64).

    One worker process per chain (at most ``workers``); a single worker runs the chains here,
    one after the other. Either way chain c uses the c-th spawned seed, so the draws are the
    same.
    """
    jobs = make_jobs(table, settings)
    total = settings.chains * settings.sweeps_per_chain()
    n_workers = min(settings.chains, workers or os.cpu_count() or 1)
    if n_workers > 1:
        return _run_parallel(jobs, n_workers, total, progress)
    rows = []
    for job in jobs:
        before = len(rows) * settings.sweeps_per_chain()

        def report(_chain: int, sweeps: int, before: int = before) -> None:
            if progress is not None:
                progress(before + sweeps, total)

        rows.append(run_chain(job, report))
    return np.stack(rows)


def _run_parallel(
    jobs: Sequence[_Job], n_workers: int, total: int, progress: Callable[[int, int], None] | None
) -> np.ndarray:
    """Chains in worker processes; the parent polls their sweep counts for ``progress``."""
    warm_up_kernels()  # compile (or load) once here, not in every worker at the same time
    context = multiprocessing.get_context("spawn")
    done = context.RawArray("q", len(jobs))
    with concurrent.futures.ProcessPoolExecutor(
        n_workers, mp_context=context, initializer=_init_worker, initargs=(done,)
    ) as pool:
        futures = [pool.submit(_worker_chain, job) for job in jobs]
        try:
            last = -1
            pending = set(futures)
            while pending:
                _, pending = concurrent.futures.wait(pending, timeout=BLOCK_SECONDS / 2)
                now = sum(done)
                if progress is not None and now != last:
                    progress(now, total)
                    last = now
            return np.stack([f.result() for f in futures])
        except BaseException:
            for future in futures:
                future.cancel()
            raise


_done_sweeps = None  # in a worker process: the shared array of sweeps done per chain


def _init_worker(done) -> None:
    global _done_sweeps
    _done_sweeps = done


def _worker_chain(job: _Job) -> np.ndarray:
    def report(chain: int, sweeps: int) -> None:
        _done_sweeps[chain] = sweeps

    return run_chain(job, report)


def run_chain(job: _Job, report: Callable[[int, int], None] | None = None) -> np.ndarray:
    """One chain: warm-up, relabelling, burn-in, then ``samples`` draws of N.

    Sweeps run in blocks of about BLOCK_SECONDS so that progress can be reported; the block
    sizes depend on the clock, the draws do not (the whole state carries over between blocks).
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
        while start < units:
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
    kernels.refresh_base(log_pi, log0, base)
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
