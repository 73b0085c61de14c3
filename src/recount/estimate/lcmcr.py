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

Chains run in threads over kernels that release the GIL (``lcmcr_chains.py``): no process is
started, so a script calling ``estimate_lcmcr`` at top level needs no ``__main__`` guard.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import asdict, dataclass

import numpy as np

from recount._typing import Progress
from recount.errors import InvalidValueError
from recount.estimate.diagnostics import ess_bulk, ess_tail, split_rhat
from recount.estimate.lcmcr_chains import WARM_UP, run_chains
from recount.estimate.result import Estimate, summarise_draws
from recount.estimate.table import CaptureTable

log = logging.getLogger(__name__)

CAP_FACTOR = 21  # reference: N ≤ 21 n
MAX_CLASSES = 15
RHAT_LIMIT = 1.05
ESS_PER_CHAIN = 100  # Vehtari et al. (2021): bulk and tail ESS of at least 100 per chain
NEAR_CAP = 0.95  # a draw is "near the cap" when N ≥ 95% of 21 n ...
NEAR_CAP_SHARE = 0.01  # ... and the cap warning is given when more than 1% of draws are


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
    progress: Progress | None = None,
    workers: int | None = None,
) -> Estimate:
    """Posterior of N under LCMCR: median, 95% equal-tailed interval, draws and diagnostics.

    Chains run in parallel threads (at most ``workers``, default: one per chain up to the
    number of CPUs); the draws do not depend on how many. ``progress("sweeps", done, total)``
    is called from the calling thread with the number of sweeps done over all chains.
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
