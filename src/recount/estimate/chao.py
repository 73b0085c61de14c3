"""Chao's lower bounds for N under heterogeneous capture probabilities.

With f_k the number of people on exactly k of the J lists and n = Σ f_k observed, Chao (1987)
bounds the number nobody recorded from below using only the people seen once and twice:

* classic: ``f0 ≥ c·f1² / (2 f2)``, with c = 1 (Chao 1987) or, for J lists, c = (J − 1)/J,
  the estimate of Rcapture's log-linear model "Mh Chao (LB)" (Rivest & Baillargeon 2007: its
  columns (k − j + 1)₊, j = 3..J, leave log μ linear in k on k = 0, 1, 2, so that
  μ0 = μ1²/μ2 with μ_k = f_k / C(J, k));
* bias-corrected: ``f0 = c·f1(f1 − 1) / (2 (f2 + 1))`` (Chao 1989; Chao 2005), defined when
  f2 = 0, where the classic form is not.

N̂ = n + f0. The variance is the delta-method one of Chao (1987), which for the classic form is
``f2·(c·r²/2 + c²·r³ + c²·r⁴/4)`` with r = f1/f2; in general ``f0 + a²·f1 + b²·f2`` with a and b
the derivatives of f0 in f1 and f2 (for the bias-corrected form this is the variance in Chao
2005 and EstimateS). The interval is Chao's (1987) log-normal one for f0: with
``C = exp(z·√log(1 + Var/f0²))``, ``[n + f0/C, n + f0·C]``; it never goes below n.

``heterogeneity_lower_bound`` fits Rcapture's log-linear "Mth Chao (LB)" (main effects of each
list plus Chao's columns, negative η removed one at a time and refitted, as Rcapture's
``Chao.neg``) or, without list effects, "Mh Chao (LB)". The Poisson fit is a few lines of IRLS
in NumPy rather than statsmodels' GLM: these bounds are printed beside every estimate, and
importing statsmodels (and SciPy's stats) cost more than a short LCMCR run.

Checks against published values: on the illegal-immigrant counts of van der Heijden et al.
(2003; f = 1645, 183, 37, 13, 1, 1) the classic bound is 9,273.5 with SE 662.6, Rcapture's
"Mh Chao (LB)" for captures in continuous time; on Rcapture's snowshoe hares (6 occasions,
f = 25, 22, 13, 5, 1, 2) the (J − 1)/J bound is 79.8 with SE 6.4, Rcapture's "Mh Chao (LB)".
The Mth version follows Rcapture's construction but is not checked against a published number.

References: A. Chao, "Estimating the population size for capture-recapture data with unequal
catchability", Biometrics 43:783–791, 1987; A. Chao, "Estimating population size for sparse
data in capture-recapture experiments", Biometrics 45:427–438, 1989; A. Chao, "Species
estimation and applications", Encyclopedia of Statistical Sciences, 2nd ed., 2005; L.-P. Rivest
and S. Baillargeon, "Applications and extensions of Chao's moment estimator for the size of a
closed population", Biometrics 63:999–1006, 2007.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from recount.errors import InvalidValueError, RecountError
from recount.estimate import hierarchical as hm
from recount.estimate.result import Estimate
from recount.estimate.table import CaptureTable

log = logging.getLogger(__name__)

FORMS = ("auto", "classic", "bias-corrected")
MAX_LISTS_LOGLINEAR = 12  # the Mth fit needs the 2^J table
BOUNDS_MAX_LISTS = 9  # beyond this the printed Mth bound is left out (its fit takes seconds)
IRLS_MAX_ITER, IRLS_TOLERANCE = 100, 1e-12  # relative change of the deviance


@dataclass(frozen=True)
class LowerBound:
    """Chao's bound: N̂ = observed + unobserved, with the delta-method variance of N̂."""

    observed: int
    unobserved: float
    variance: float
    form: str  # "classic" or "bias-corrected"
    factor: float  # c: 1 or (J − 1)/J

    @property
    def estimate(self) -> float:
        return self.observed + self.unobserved

    @property
    def se(self) -> float:
        return math.sqrt(self.variance)

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        return lognormal_interval(self.observed, self.unobserved, self.variance, level)


def capture_frequencies(table: CaptureTable) -> np.ndarray:
    """``f[k]`` = people on exactly k lists, k = 0..J (``f[0]`` = 0)."""
    on = table.patterns.sum(axis=1).astype(np.int64)
    return np.bincount(on, weights=table.counts, minlength=table.n_lists + 1).astype(np.int64)


def chao_lower_bound(
    f1: int, f2: int, observed: int, lists: int | None = None, form: str = "auto"
) -> LowerBound:
    """Chao's lower bound from f1, f2 and n; ``lists`` = J applies the factor (J − 1)/J.

    ``form``: "classic" (needs f2 > 0), "bias-corrected", or "auto" (classic unless f2 = 0).
    """
    if form not in FORMS:
        raise InvalidValueError(f"unknown form {form!r}; choose one of {', '.join(FORMS)}")
    if min(f1, f2) < 0 or observed < f1 + f2:
        raise InvalidValueError(
            f"need 0 ≤ f1, f2 and f1 + f2 ≤ n; got f1={f1}, f2={f2}, n={observed}"
        )
    factor = 1.0 if lists is None else (lists - 1) / lists
    if form == "auto":
        form = "classic" if f2 > 0 else "bias-corrected"
    if form == "classic":
        if f2 == 0:
            raise InvalidValueError(
                "the classic Chao bound needs f2 > 0 (someone on exactly two "
                "lists); use the bias-corrected form"
            )
        unobserved = factor * f1 * f1 / (2 * f2)
        d1, d2 = factor * f1 / f2, -factor * f1 * f1 / (2 * f2 * f2)
    else:
        unobserved = factor * f1 * (f1 - 1) / (2 * (f2 + 1))
        d1 = factor * (2 * f1 - 1) / (2 * (f2 + 1))
        d2 = -factor * f1 * (f1 - 1) / (2 * (f2 + 1) ** 2)
    variance = unobserved + d1 * d1 * f1 + d2 * d2 * f2
    return LowerBound(observed, unobserved, variance, form, factor)


def lognormal_interval(
    observed: float, unobserved: float, variance: float, level: float = 0.95
) -> tuple[float, float]:
    """Chao's (1987) interval: log(N̂ − n) taken as normal, so the bounds stay above n."""
    if unobserved <= 0:
        return float(observed), float(observed)
    z = NormalDist().inv_cdf(0.5 + level / 2)
    spread = math.exp(z * math.sqrt(math.log1p(variance / unobserved**2)))
    return observed + unobserved / spread, observed + unobserved * spread


def table_lower_bound(
    table: CaptureTable, form: str = "auto", finite_lists: bool = False
) -> LowerBound:
    """Chao's bound for a capture table (f1, f2 = people on exactly one, two lists)."""
    f = capture_frequencies(table)
    f2 = int(f[2]) if len(f) > 2 else 0
    return chao_lower_bound(
        int(f[1]), f2, table.observed, table.n_lists if finite_lists else None, form
    )


@dataclass(frozen=True)
class LoglinearBound:
    """Rcapture's "Mth Chao (LB)" or "Mh Chao (LB)": N̂, its SE, the η columns dropped."""

    estimate: float
    se: float
    dropped: tuple[int, ...]  # j of the dropped columns (k − j + 1)₊
    deviance: float
    df: int


def heterogeneity_lower_bound(table: CaptureTable, list_effects: bool = True) -> LoglinearBound:
    """Rcapture's log-linear Chao lower bound, "Mth" (``list_effects``) or "Mh".

    The design has the intercept, the list main effects (Mth) or the number of lists a person
    is on (Mh), and the columns ``(k − j + 1)₊`` for j = 3..J with k the number of lists; while
    a fitted η is negative the first such column is removed and the model refitted.
    """
    j_lists = table.n_lists
    if not 3 <= j_lists <= MAX_LISTS_LOGLINEAR:
        raise InvalidValueError(
            f"the log-linear Chao bound needs 3 to {MAX_LISTS_LOGLINEAR} lists; got {j_lists}"
        )
    bits = hm.cell_bits(j_lists)
    y = table.full()[1:].astype(np.float64)
    k = bits.sum(axis=1)
    base = hm.design(bits, ()) if list_effects else np.column_stack([np.ones(len(k)), k])
    kept = list(range(3, j_lists + 1))
    while True:
        extra = [np.maximum(k - j + 1, 0) for j in kept]
        design = np.column_stack([base, *extra])
        params, cov, deviance = fit_poisson(design, y)
        eta = params[base.shape[1] :]
        negative = np.flatnonzero(eta < 0)
        if len(negative) == 0:
            break
        kept.pop(int(negative[0]))
    dropped = tuple(j for j in range(3, j_lists + 1) if j not in kept)
    unobserved = math.exp(params[0])
    se = math.sqrt(unobserved + unobserved**2 * cov[0, 0])
    df = len(y) - design.shape[1]
    return LoglinearBound(table.observed + unobserved, se, dropped, deviance, df)


def fit_poisson(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Poisson log-linear MLE by IRLS: (coefficients, their covariance, deviance).

    Starts as statsmodels' GLM does (μ = (y + ȳ)/2) and solves each weighted least-squares step
    by ``lstsq``, as it does by a pseudo-inverse, so that a rank-deficient design gets the same
    minimum-norm answer; it stops when the deviance changes by less than 1e-12 of itself.
    """
    mu = (y + y.mean()) / 2
    eta = np.log(mu)
    deviance = math.inf
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        for _ in range(IRLS_MAX_ITER):
            root = np.sqrt(mu)
            working = eta + (y - mu) / mu
            params = np.linalg.lstsq(X * root[:, None], working * root, rcond=None)[0]
            eta = X @ params
            mu = np.exp(eta)
            previous, deviance = deviance, poisson_deviance(y, mu)
            if abs(previous - deviance) <= IRLS_TOLERANCE * (abs(deviance) + 0.1):
                break
        cov = np.linalg.pinv((X * mu[:, None]).T @ X)
    if not (np.all(np.isfinite(params)) and math.isfinite(deviance)):
        raise ValueError("the Poisson fit did not converge")
    return params, cov, deviance


def poisson_deviance(y: np.ndarray, mu: np.ndarray) -> float:
    """2 Σ [y log(y/μ) − (y − μ)], with 0 log 0 = 0."""
    ratio = np.where(y > 0, y / np.where(mu > 0, mu, 1.0), 1.0)
    return float(2 * np.sum(y * np.log(ratio) - (y - mu)))


def lower_bounds(table: CaptureTable) -> dict[str, float]:
    """Chao's bounds printed beside every estimate; a bound that cannot be computed is left out.

    ``chao``: n + f1²/(2 f2) (bias-corrected if f2 = 0); ``chao_finite``: the same with the
    factor (J − 1)/J, Rcapture's "Mh Chao (LB)"; ``mth``: Rcapture's "Mth Chao (LB)".
    """
    bounds: dict[str, float] = {}
    try:
        bounds["chao"] = table_lower_bound(table).estimate
        bounds["chao_finite"] = table_lower_bound(table, finite_lists=True).estimate
    except RecountError as error:
        log.debug("no Chao bound: %s", error)
    if 3 <= table.n_lists <= BOUNDS_MAX_LISTS and table.observed > 0:
        try:
            bounds["mth"] = heterogeneity_lower_bound(table).estimate
        except (RecountError, ValueError, np.linalg.LinAlgError, OverflowError) as error:
            log.debug("no Mth Chao bound: %s", error)
    return bounds


def estimate_chao(
    table: CaptureTable, form: str = "auto", finite_lists: bool = False, level: float = 0.95
) -> Estimate:
    """Chao's lower bound as an estimate, with its log-normal interval (``--method chao``)."""
    table.check()
    if not 0 < level < 1:
        raise InvalidValueError(f"level must be between 0 and 1; got {level}")
    f = capture_frequencies(table)
    bound = table_lower_bound(table, form, finite_lists)
    warnings = [
        "Chao's estimate is a lower bound on N under heterogeneous capture "
        "probabilities; with list dependence it can be far off in either direction"
    ]
    if f[1] == 0:
        warnings.append("no one is on exactly one list: the bound equals the number observed")
    elif len(f) > 2 and f[2] < 5:
        warnings.append(f"only {int(f[2])} people are on exactly two lists: the bound is unstable")
    diagnostics: dict[str, object] = {
        "frequencies": [int(v) for v in f[1:]],
        "f1": int(f[1]),
        "f2": int(f[2]) if len(f) > 2 else 0,
        "form": bound.form,
        "factor": bound.factor,
        "unobserved": bound.unobserved,
        "se": bound.se,
        "bounds": lower_bounds(table),
    }
    return Estimate(
        method="chao",
        lists=table.lists,
        observed=table.observed,
        estimate=bound.estimate,
        interval=bound.interval(level),
        seed=None,
        draws=None,
        settings={"form": form, "finite_lists": finite_lists, "level": level},
        diagnostics=diagnostics,
        warnings=warnings,
    )
