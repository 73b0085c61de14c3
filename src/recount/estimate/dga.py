"""dga: Bayesian model averaging over decomposable graphical models (3 to 5 lists).

Madigan & York (1997) and HRDAG's R package dga (Johndrow, Lum, Ball; now O. Binette): the
``2^p`` table of list patterns is multinomial with cell probabilities from a decomposable
graphical model of list dependence (``graphs.py``: 8, 61, 822 models for p = 3, 4, 5), each
with a hyper-Dirichlet prior. The posterior of (model, n0), n0 = the people on no list, is
computed exactly on a grid ``n0 = 0 .. grid_max``; there is no Monte Carlo except the draws of N
handed back for pooling strata. The formulas are those of dga's ``bma.cr``:

* For a list subset A (a lists), ``D_A`` is the marginal table over A, its all-zero cell plus n0;
  with ``δ_A = δ·2^(p−a)`` (the prior pseudo-count per cell of the full table, summed),
  ``compLML(A) = lgamma(n0 + D_A[0] + δ_A) + Σ_{c≠0} lgamma(D_A[c] + δ_A) − 2^a·lgamma(δ_A)``.
* ``Dterm = lgamma(2^p·δ) − lgamma(n + n0 + 2^p·δ)``.
* ``log p(D | model) = Σ_C compLML(C) − Σ_S compLML(S) + (|C| − |S|)·Dterm`` over the cliques C
  and the non-empty junction-tree separators S (an empty separator contributes nothing).
* ``log p(model, n0 | D) = that + lgamma(N+1) − Σ_c lgamma(y_c+1) − lgamma(n0+1)
  + log p(N) + log p(model) + const``, N = n + n0, normalised over the whole (model × n0) matrix.

Priors on N (``PRIORS``): ``"1/N"`` (dga's default, ``log p(N) = −log N``) and
``"madigan-york"``, the negative-binomial prior of Madigan & York's spina bifida example as in
dga's tests: ``log p(N) = N·log b − (N+a)·log(1+b) + lgamma(N+a) − lgamma(N+1) − lgamma(a)``
with a = 13.14, b = 55.17 (prior mean a·b ≈ 725). The model prior is uniform. δ defaults to
``2^−p`` (dga's suggestion: total prior mass one); δ = 1 can let the saturated model win and
push N down to about n (Kosovo: ≈ 4,600).

Summaries come from the exact posterior of N: median and 95% equal-tailed interval are the
smallest grid values whose posterior CDF reaches 0.5, 0.025 and 0.975 (the inverse CDF,
R's ``quantile`` type 1). dga's tests report the "Bayes estimate" ``E[1/N] / E[1/N²]`` (the
estimate under relative squared-error loss, Madigan & York's choice) and the posterior mode;
both are in the diagnostics with the posterior mean.

References: D. Madigan and J. C. York, "Bayesian methods for estimation of the size of a
closed population", Biometrika 84(1):19–31, 1997. J. Johndrow, K. Lum, P. Ball, dga: Capture-
Recapture Estimation using Bayesian Model Averaging, R package (CRAN).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

import numpy as np
from scipy.special import gammaln

from recount.errors import InvalidValueError
from recount.estimate.graphs import DecomposableGraph, decomposable_graphs, mask_of
from recount.estimate.result import Estimate
from recount.estimate.table import CaptureTable

log = logging.getLogger(__name__)

MIN_LISTS, MAX_LISTS = 3, 5
SMALL_LIST = 10  # dga's check.strata: fewer records than this, "proceed with caution"
TAIL_FRACTION, TAIL_MASS = 0.05, 1e-4  # warn if the last 5% of the grid holds > 1e-4
GRID_FACTOR = 5  # default grid n0 = 0 .. 5n, as in dga's examples


def log_prior_inverse_n(n_total: np.ndarray) -> np.ndarray:
    """dga's default prior on N: p(N) ∝ 1/N."""
    return -np.log(n_total)


def log_prior_madigan_york(n_total: np.ndarray, a: float = 13.14, b: float = 55.17) -> np.ndarray:
    """Madigan & York's negative-binomial prior on N (size a, mean a·b), up to a constant."""
    return (
        n_total * math.log(b)
        - (n_total + a) * math.log1p(b)
        + gammaln(n_total + a)
        - gammaln(n_total + 1)
        - gammaln(a)
    )


PRIORS: dict[str, Callable[..., np.ndarray]] = {
    "1/N": log_prior_inverse_n,
    "madigan-york": log_prior_madigan_york,
}


@dataclass(frozen=True)
class DgaSettings:
    """Settings of a dga run; ``None`` means the package's default for the data."""

    delta: float | None = None  # prior pseudo-count per cell; None = 2^-p
    prior: str = "1/N"  # a name in PRIORS
    prior_a: float = 13.14  # parameters of the "madigan-york" prior
    prior_b: float = 55.17
    grid_max: int | None = None  # largest n0 on the grid; None = 5 × observed
    samples: int = 1000  # draws of N from the exact posterior
    seed: int = 19481210
    top_models: int = 5  # how many models the diagnostics list


def component_log_ml(full: np.ndarray, n_missing: np.ndarray, delta: float) -> np.ndarray:
    """``compLML(A)`` for every subset mask A (rows; row 0 unused) and every n0 (columns)."""
    size = len(full)
    p = size.bit_length() - 1
    codes = np.arange(size)
    out = np.zeros((size, len(n_missing)))
    for mask in range(1, size):
        delta_a = delta * 2.0 ** (p - mask.bit_count())
        margin = np.bincount(codes & mask, weights=full, minlength=size)
        # Cells outside the margin (and empty cells) add lgamma(δ_A) − lgamma(δ_A) = 0.
        observed = float(np.sum(gammaln(margin[1:] + delta_a) - gammaln(delta_a)))
        out[mask] = gammaln(n_missing + margin[0] + delta_a) - gammaln(delta_a) + observed
    return out


def model_incidence(graphs: Sequence[DecomposableGraph], p: int) -> np.ndarray:
    """(models × 2^p) matrix: +1 per clique, −1 per separator, at the subset's mask."""
    incidence = np.zeros((len(graphs), 1 << p))
    for row, graph in enumerate(graphs):
        for clique in graph.cliques:
            incidence[row, mask_of(clique, p)] += 1
        for separator in graph.separators:
            incidence[row, mask_of(separator, p)] -= 1
    return incidence


def posterior_weights(
    full: np.ndarray,
    n_missing: np.ndarray,
    delta: float,
    graphs: Sequence[DecomposableGraph],
    log_prior: np.ndarray | None = None,
    log_model_prior: np.ndarray | None = None,
) -> np.ndarray:
    """Joint posterior P(model, n0 = n_missing[j]) as a (models × grid) matrix summing to one.

    ``full`` is the ``2^p`` table (list 1 most significant, cell 0 ignored); ``log_prior`` is
    log p(N) on the grid (default −log N); ``log_model_prior`` one value per graph (default
    uniform). The equivalent of dga's ``bma.cr``.
    """
    y = np.asarray(full, dtype=np.float64).copy()
    y[0] = 0
    p = len(y).bit_length() - 1
    n_missing = np.asarray(n_missing, dtype=np.float64)
    n_total = y.sum() + n_missing
    comp = component_log_ml(y, n_missing, delta)
    incidence = model_incidence(graphs, p)
    n_factors = incidence.sum(axis=1)  # |C| − |S|
    d_term = gammaln((1 << p) * delta) - gammaln(n_total + (1 << p) * delta)
    multinomial = gammaln(n_total + 1) - gammaln(y[1:] + 1).sum() - gammaln(n_missing + 1)
    per_n = multinomial + (log_prior_inverse_n(n_total) if log_prior is None else log_prior)
    # In place: with 822 models and a long grid the matrix is the only large object.
    logw = incidence @ comp
    logw += n_factors[:, None] * d_term[None, :]
    logw += per_n[None, :]
    if log_model_prior is not None:
        logw += np.asarray(log_model_prior, dtype=np.float64)[:, None]
    logw -= logw.max()
    np.exp(logw, out=logw)
    logw /= logw.sum()
    return logw


def inverse_cdf(values: np.ndarray, probabilities: np.ndarray, q: float) -> float:
    """Smallest value whose cumulative probability reaches q (quantile type 1)."""
    cdf = np.cumsum(probabilities)
    index = min(int(np.searchsorted(cdf, q * cdf[-1], side="left")), len(values) - 1)
    return float(values[index])


def describe_graph(graph: DecomposableGraph, names: Sequence[str]) -> dict[str, object]:
    """A model in words: its cliques as ``A·B·C`` terms, its edges as ``A–B``."""

    def term(vertices: tuple[int, ...]) -> str:
        return "·".join(names[v] for v in vertices)

    return {
        "cliques": ", ".join(f"[{term(c)}]" for c in graph.cliques),
        "edges": [f"{names[u]}–{names[v]}" for u, v in graph.edges] or ["(independence)"],
    }


def table_warnings(table: CaptureTable) -> list[str]:
    """dga's ``check.strata`` warnings: small lists and lists that overlap no other list."""
    warnings = [
        f"list {name} has only {total} records (fewer than {SMALL_LIST}): proceed with caution"
        for name, total in table.list_totals().items()
        if total < SMALL_LIST
    ]
    shared = table.patterns[table.patterns.sum(axis=1) > 1]
    for j, name in enumerate(table.lists):
        if not shared[:, j].any():
            warnings.append(
                f"list {name} overlaps no other list: the estimate rests on the "
                "model prior, not the data"
            )
    return warnings


def _check(table: CaptureTable, settings: DgaSettings) -> None:
    if not MIN_LISTS <= table.n_lists <= MAX_LISTS:
        raise InvalidValueError(
            f"dga averages over decomposable models of {MIN_LISTS} to {MAX_LISTS} lists; got "
            f"{table.n_lists} ({', '.join(table.lists)}); choose lists with --lists"
        )
    table.check()
    if settings.prior not in PRIORS:
        raise InvalidValueError(
            f"unknown prior on N {settings.prior!r}; choose one of {', '.join(PRIORS)}"
        )
    if settings.delta is not None and not settings.delta > 0:
        raise InvalidValueError(f"delta must be positive; got {settings.delta}")
    if settings.prior == "madigan-york" and not (settings.prior_a > 0 and settings.prior_b > 0):
        raise InvalidValueError("the madigan-york prior needs a > 0 and b > 0")
    if settings.grid_max is not None and settings.grid_max < 1:
        raise InvalidValueError(f"grid_max must be at least 1; got {settings.grid_max}")
    if settings.samples < 1:
        raise InvalidValueError(f"samples must be at least 1; got {settings.samples}")


def _log_prior(settings: DgaSettings, n_total: np.ndarray) -> np.ndarray:
    if settings.prior == "madigan-york":
        return log_prior_madigan_york(n_total, settings.prior_a, settings.prior_b)
    return PRIORS[settings.prior](n_total)


def estimate_dga(table: CaptureTable, settings: DgaSettings = DgaSettings()) -> Estimate:
    """Model-averaged posterior of N over all decomposable graphs of the table's lists."""
    _check(table, settings)
    p, n = table.n_lists, table.observed
    delta = 2.0**-p if settings.delta is None else float(settings.delta)
    grid_max = GRID_FACTOR * n if settings.grid_max is None else int(settings.grid_max)
    n_missing = np.arange(grid_max + 1)
    n_total = n + n_missing
    graphs = decomposable_graphs(p)
    weights = posterior_weights(
        table.full(), n_missing, delta, graphs, _log_prior(settings, n_total.astype(np.float64))
    )
    post_n, post_model = weights.sum(axis=0), weights.sum(axis=1)

    median = inverse_cdf(n_total, post_n, 0.5)
    interval = (inverse_cdf(n_total, post_n, 0.025), inverse_cdf(n_total, post_n, 0.975))
    cdf = np.cumsum(post_n)
    rng = np.random.default_rng(settings.seed)
    picks = np.searchsorted(cdf, rng.random(settings.samples) * cdf[-1], side="right")
    draws = n_total[np.minimum(picks, len(n_total) - 1)].astype(np.int64)

    tail_start = math.floor(len(n_missing) * (1 - TAIL_FRACTION))
    tail_mass = float(post_n[tail_start:].sum())
    warnings = table_warnings(table)
    if tail_mass > TAIL_MASS:
        warnings.append(
            f"the posterior is cut off by the grid: {tail_mass:.2g} of its mass lies in the "
            f"last {TAIL_FRACTION:.0%} of n0 = 0..{grid_max:,}; rerun with a larger grid_max "
            f"(e.g. {2 * grid_max:,})"
        )
    order = np.argsort(-post_model, kind="stable")[: settings.top_models]
    top = [
        {"probability": float(post_model[i]), **describe_graph(graphs[i], table.lists)}
        for i in order
    ]
    diagnostics = {
        "posterior_mean": float(post_n @ n_total),
        "posterior_mode": int(n_total[int(np.argmax(post_n))]),
        "bayes_estimate": float((post_n / n_total).sum() / (post_n / n_total**2.0).sum()),
        "top_models": top,
        "n_models": len(graphs),
        "grid_tail_mass": tail_mass,
    }
    prior = {"name": settings.prior}
    if settings.prior == "madigan-york":
        prior |= {"a": settings.prior_a, "b": settings.prior_b}
    run_settings = {
        **asdict(settings),
        "delta": delta,
        "grid_max": grid_max,
        "prior": prior,
        "model_prior": "uniform",
    }
    for key in ("prior_a", "prior_b", "seed"):
        run_settings.pop(key)
    log.debug("dga: %d lists, %d models, grid 0..%d, median %s", p, len(graphs), grid_max, median)
    return Estimate(
        method="dga",
        lists=table.lists,
        observed=n,
        estimate=median,
        interval=interval,
        seed=settings.seed,
        draws=draws,
        settings=run_settings,
        diagnostics=diagnostics,
        warnings=warnings,
    )
