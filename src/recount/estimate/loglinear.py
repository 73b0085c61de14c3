"""Poisson log-linear MSE over hierarchical models of list dependence (Rcapture's method).

The counts of the ``2^J − 1`` observed cells (empty ones included) are independent Poisson with
``log μ_ω = β0 + Σ_j β_j ω_j + Σ_T λ_T Π_{j∈T} ω_j`` over the interactions T of a hierarchical
model (``hierarchical.py``); the unobserved cell has ``log μ_0 = β0``, so ``N̂ = n + exp(β̂0)``
(Fienberg 1972). Fitting, the existence checks and the profile interval are in
``loglinear_fit.py``.

Models are chosen by BIC (default) or AIC as Rcapture's ``closedpMS.t`` computes them:
``AIC = −2 log L + 2p`` and ``BIC = −2 log L + log(n)·p``, L the Poisson likelihood of the
observed cells, p the number of coefficients, n the number of people observed. The search is
exhaustive over every hierarchical model for J ≤ 5 lists (8 / 113 / 6,893 models) and stepwise
(add a term whose sub-interactions are in, or drop a generating term, whichever improves the
criterion most) for 6 to 12 lists. A model whose MLE does not exist (an empty margin of one of
its terms, e.g. two lists nobody is on together, or a fit running to the boundary) is skipped
with the reason recorded (Chan, Silverman & Vincent 2021).

Models that fit about equally well can give very different N (Kosovo: 10,356, 12,741 and 18,393
are within one BIC point). The profile interval covers the sampling error of the chosen model
only; the ranked table in ``diagnostics["ranked"]`` shows the rest, and a warning says so.

Reproduces Ball et al. (2002) / Rcapture on Kosovo: best model by BIC [EXH·ABA·OSCE, EXH·HRW,
OSCE·HRW], N̂ = 10,356.5 (SE 785.9, deviance 9.32 on 4 df), profile 95% 8,994–12,110; and
Rcapture's HIV example, model Mt + c1:c2: 12,318.5 (SE 1,188.7), profile 10,266–14,992.

References: S. E. Fienberg, "The multiple recapture census for closed populations and incomplete
2^k contingency tables", Biometrika 59(3):591–603, 1972; P. Ball et al., *Killings and Refugee
Flow in Kosovo, March–June 1999* (AAAS/ABA-CEELI report to the ICTY, 2002); S. Baillargeon and
L.-P. Rivest, Rcapture, J. Stat. Software 19(5), 2007; L. Chan, B. W. Silverman, K. Vincent,
JASA 116(535):1297–1306, 2021.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from recount.errors import InvalidValueError
from recount.estimate import hierarchical as hm
from recount.estimate.loglinear_fit import (
    Fit,
    fit_glm,
    fit_newton,
    forced_zero_cells,
    identifiable,
    profile_interval,
)
from recount.estimate.result import Estimate
from recount.estimate.table import CaptureTable

log = logging.getLogger(__name__)

MAX_LISTS = 12  # 2^12 − 1 = 4,095 cells; beyond that use lcmcr
EXHAUSTIVE_MAX_LISTS = 5  # six lists have millions of hierarchical models
CRITERIA = ("bic", "aic")
SEARCHES = ("auto", "exhaustive", "stepwise")
MAX_STEPS = 200
SKIPPED_SHOWN = 20
CLOSE = 2.0  # criterion points: models this close to the best "fit about equally well"


@dataclass(frozen=True)
class LoglinearSettings:
    """Settings of a log-linear run. ``model`` fixes the model (a string such as
    ``"EXH*ABA*OSCE + EXH*HRW"`` or a tuple of terms of list names); ``None`` searches."""

    criterion: str = "bic"  # "bic" or "aic"
    model: str | tuple[tuple[str, ...], ...] | None = None
    max_order: int | None = None  # highest interaction in the search; None = J − 1
    level: float = 0.95
    search: str = "auto"  # "auto" (exhaustive up to 5 lists), "exhaustive", "stepwise"
    top: int = 10  # models in the ranked table


@dataclass(frozen=True)
class Ranked:
    generators: tuple[hm.Term, ...]
    fit: Fit


@dataclass
class Search:
    kind: str
    ranked: list[Ranked]
    skipped: list[tuple[str, str]]  # (model, reason)


def _data(table: CaptureTable) -> tuple[np.ndarray, np.ndarray]:
    return hm.cell_bits(table.n_lists), table.full()[1:].astype(np.float64)


def _check(table: CaptureTable, settings: LoglinearSettings) -> tuple[str, int, str]:
    table.check()
    j = table.n_lists
    if j > MAX_LISTS:
        raise InvalidValueError(
            f"log-linear models on {j} lists need a table of 2^{j} cells; use at most "
            f"{MAX_LISTS} lists (--lists) or the lcmcr method"
        )
    criterion = settings.criterion.lower()
    if criterion not in CRITERIA:
        raise InvalidValueError(f"unknown criterion {settings.criterion!r}; choose bic or aic")
    if not 0 < settings.level < 1:
        raise InvalidValueError(f"level must be between 0 and 1; got {settings.level}")
    if settings.top < 1:
        raise InvalidValueError(f"top must be at least 1; got {settings.top}")
    max_order = j - 1 if settings.max_order is None else int(settings.max_order)
    if not 1 <= max_order <= j - 1:
        raise InvalidValueError(
            f"max_order must be between 1 and {j - 1} for {j} lists; got {settings.max_order}"
        )
    if settings.search not in SEARCHES:
        raise InvalidValueError(
            f"unknown search {settings.search!r}; choose one of {', '.join(SEARCHES)}"
        )
    search = settings.search
    if search == "auto":
        search = "exhaustive" if j <= EXHAUSTIVE_MAX_LISTS else "stepwise"
    if search == "exhaustive" and j > EXHAUSTIVE_MAX_LISTS:
        raise InvalidValueError(
            f"an exhaustive search is possible up to "
            f"{EXHAUSTIVE_MAX_LISTS} lists; use search='stepwise'"
        )
    return criterion, max_order, search


def model_terms(
    table: CaptureTable, model: str | tuple[tuple[str, ...], ...]
) -> tuple[hm.Term, ...]:
    """A user's model (string or tuple of name terms) as generating terms of list indices."""
    if isinstance(model, str):
        model = hm.parse_model(model, table.lists)
    return hm.to_indices(model, table.lists)


def no_overlap_pairs(table: CaptureTable) -> list[tuple[int, int]]:
    """Pairs of lists that nobody is on together."""
    together = (table.patterns.T.astype(np.int64) * table.counts) @ table.patterns
    return [(a, b) for a, b in combinations(range(table.n_lists), 2) if together[a, b] == 0]


class _Evaluator:
    """Fits models of one table with the fast solver, caching fits and margin checks."""

    def __init__(self, table: CaptureTable) -> None:
        self.table = table
        self.bits, self.y = _data(table)
        self.margins: dict[hm.Term, str | None] = {}
        self.results: dict[frozenset[hm.Term], tuple[tuple[hm.Term, ...], Fit | str]] = {}

    def margin_problem(self, term: hm.Term) -> str | None:
        if term not in self.margins:
            empty = hm.empty_margin(self.y, self.bits, term)
            self.margins[term] = (
                None
                if empty is None
                else (
                    f"no MLE: {hm.describe_margin(term, empty, self.table.lists)}, so the "
                    f"{'·'.join(self.table.lists[j] for j in term)} parameter is infinite"
                )
            )
        return self.margins[term]

    def __call__(self, terms: frozenset[hm.Term]) -> Fit | str:
        if terms not in self.results:
            generators = hm.maximal(terms)
            self.results[terms] = (generators, self._fit(terms, generators))
        return self.results[terms][1]

    def _fit(self, terms: frozenset[hm.Term], generators: tuple[hm.Term, ...]) -> Fit | str:
        for term in generators:
            problem = self.margin_problem(term)
            if problem:
                return problem
        fit = fit_newton(hm.term_masks(terms, self.table.n_lists), self.y)
        if not fit.converged:
            return "the fit did not converge"
        if fit.suspect() and forced_zero_cells(hm.design(self.bits, terms), self.y).any():
            return "no MLE: fitted values go to 0 on empty cells"
        return fit


def _collect(kind: str, evaluate: _Evaluator, criterion: str) -> Search:
    fits = [Ranked(g, r) for g, r in evaluate.results.values() if isinstance(r, Fit)]
    fits.sort(key=lambda item: item.fit.criterion(criterion))
    skipped = [
        (hm.format_model(g, evaluate.table.lists), r)
        for g, r in evaluate.results.values()
        if isinstance(r, str)
    ]
    return Search(kind, fits, skipped)


def search_exhaustive(table: CaptureTable, criterion: str, max_order: int) -> Search:
    """Fit every hierarchical model with interactions up to ``max_order``."""
    evaluate = _Evaluator(table)
    for generators in hm.enumerate_models(table.n_lists, max_order):
        evaluate(hm.closure(generators))
    return _collect("exhaustive", evaluate, criterion)


def search_stepwise(table: CaptureTable, criterion: str, max_order: int) -> Search:
    """Forward/backward steps from independence over hierarchical models."""
    evaluate = _Evaluator(table)
    current: frozenset[hm.Term] = frozenset()
    start = evaluate(current)
    score = start.criterion(criterion) if isinstance(start, Fit) else math.inf
    for _ in range(MAX_STEPS):
        moves = hm.additions(current, table.n_lists, max_order) + hm.removals(current)
        scored = [(r.criterion(criterion), m) for m in moves if isinstance(r := evaluate(m), Fit)]
        if not scored:
            break
        best_score, best = min(scored, key=lambda item: item[0])
        if best_score >= score - 1e-9:
            break
        current, score = best, best_score
    return _collect("stepwise", evaluate, criterion)


def _fixed_warnings(
    table: CaptureTable, generators: tuple[hm.Term, ...], fit: Fit, X: np.ndarray, y: np.ndarray
) -> tuple[list[str], bool]:
    """Why a user's model may have no MLE or an unidentified N; and whether N is identified."""
    notes = []
    evaluate = _Evaluator(table)
    for term in generators:
        problem = evaluate.margin_problem(term)
        if problem:
            notes.append(f"{problem} (Chan, Silverman & Vincent 2021)")
    forced = forced_zero_cells(X, y)
    intercept_ok, full_rank = identifiable(X, forced)
    if forced.any():
        cells = ", ".join("".join(str(int(b)) for b in row) for row in evaluate.bits[forced][:8])
        notes.append(
            f"the MLE does not exist: the fitted counts of empty cell(s) {cells} go to "
            "0 and some parameters to ±∞; the estimate is the limit of the fit"
        )
    if not intercept_ok:
        notes.append(
            "the unobserved cell is not identifiable under this model on these "
            "data: any N fits equally well, so the estimate means nothing and the "
            "interval is [n, ∞)"
        )
    elif not full_rank:
        notes.append("some interaction parameters are not identifiable on these data")
    if not fit.converged:
        notes.append("the fit did not converge")
    if intercept_ok and fit.se > fit.unobserved:
        notes.append(
            f"the estimate is unstable: its standard error ({fit.se:,.0f}) exceeds "
            f"the estimated number unobserved ({fit.unobserved:,.0f})"
        )
    notes += fit.notes
    notes.append(
        "the interval is conditional on the given model; other models that fit about "
        "as well can give very different estimates (search without a fixed model to "
        "see them ranked)"
    )
    return notes, intercept_ok


def _table_warnings(table: CaptureTable) -> list[str]:
    pairs = no_overlap_pairs(table)
    if not pairs:
        return []
    names = ", ".join(f"{table.lists[a]}·{table.lists[b]}" for a, b in pairs)
    return [
        f"some lists have no one in common, so models with these interactions have no MLE "
        f"(Chan, Silverman & Vincent 2021) and were skipped in the search: {names}"
    ]


def _row(
    rank: int, item: Ranked, best: float, criterion: str, lists: tuple[str, ...]
) -> dict[str, object]:
    fit = item.fit
    return {
        "rank": rank,
        "model": hm.format_model(item.generators, lists),
        "terms": hm.term_names(item.generators, lists),
        "estimate": fit.estimate,
        "se": fit.se,
        "deviance": fit.deviance,
        "df": fit.df,
        "aic": fit.aic,
        "bic": fit.bic,
        "delta": fit.criterion(criterion) - best,
    }


def _selection_warning(search: Search, criterion: str, lists: tuple[str, ...]) -> str:
    best = search.ranked[0].fit.criterion(criterion)
    close = [r for r in search.ranked if r.fit.criterion(criterion) - best <= CLOSE]
    name = criterion.upper()
    if len(close) > 1:
        values = [r.fit.estimate for r in close]
        return (
            f"model choice is uncertain and not in the interval: {len(close)} models are "
            f"within {CLOSE:g} {name} points of the best, with estimates from "
            f"{min(values):,.0f} to {max(values):,.0f} (see diagnostics['ranked'])"
        )
    if len(search.ranked) > 1:
        runner = search.ranked[1]
        return (
            f"the interval assumes the selected model is right; the next model, "
            f"{hm.format_model(runner.generators, lists)} "
            f"({runner.fit.criterion(criterion) - best:.1f} {name} points behind), gives "
            f"{runner.fit.estimate:,.0f} (see diagnostics['ranked'])"
        )
    return "only one model could be fitted: model choice could not be checked"


def estimate_loglinear(
    table: CaptureTable, settings: LoglinearSettings = LoglinearSettings()
) -> Estimate:
    """N̂ from the best (or the given) hierarchical log-linear model, with its profile interval."""
    criterion, max_order, kind = _check(table, settings)
    bits, y = _data(table)
    search = None
    if settings.model is not None:
        generators = model_terms(table, settings.model)
        kind = "fixed"
    else:
        run = search_exhaustive if kind == "exhaustive" else search_stepwise
        search = run(table, criterion, max_order)
        if not search.ranked:
            reasons = sorted({r for _, r in search.skipped})
            more = f" (and {len(reasons) - 3} more reasons)" if len(reasons) > 3 else ""
            raise InvalidValueError(
                f"no log-linear model could be fitted to this table: {'; '.join(reasons[:3])}{more}"
            )
        generators = search.ranked[0].generators
    terms = hm.closure(generators)
    X = hm.design(bits, terms)
    fit = fit_glm(X, y, table.observed)
    if search is None:
        warnings, identified = _fixed_warnings(table, generators, fit, X, y)
    else:
        warnings = [*_table_warnings(table), _selection_warning(search, criterion, table.lists)]
        identified = True
    interval, maximum = (float(table.observed), math.inf), None
    if identified:
        profile = profile_interval(
            hm.term_masks(terms, table.n_lists), y, fit.estimate, settings.level
        )
        interval, maximum = (profile.low, profile.high), profile.maximum
        warnings += list(profile.notes)
    diagnostics: dict[str, object] = {
        "model": hm.format_model(generators, table.lists),
        "terms": hm.term_names(generators, table.lists),
        "search": kind,
        "criterion": criterion,
        "se": fit.se,
        "unobserved": fit.unobserved,
        "deviance": fit.deviance,
        "df": fit.df,
        "aic": fit.aic,
        "bic": fit.bic,
        "profile_maximum": maximum,
    }
    if search is not None:
        best = search.ranked[0].fit.criterion(criterion)
        diagnostics |= {
            "models_fitted": len(search.ranked),
            "models_skipped": len(search.skipped),
            "skipped_reasons": dict(Counter(r for _, r in search.skipped)),
            "skipped": [{"model": m, "reason": r} for m, r in search.skipped[:SKIPPED_SHOWN]],
            "ranked": [
                _row(i + 1, item, best, criterion, table.lists)
                for i, item in enumerate(search.ranked[: settings.top])
            ],
        }
    run_settings = {
        "criterion": criterion,
        "model": diagnostics["model"] if search is None else None,
        "max_order": max_order,
        "level": settings.level,
        "search": kind,
        "top": settings.top,
    }
    log.debug("loglinear: %s search, model %s, N %.1f", kind, diagnostics["model"], fit.estimate)
    return Estimate(
        method="loglinear",
        lists=table.lists,
        observed=table.observed,
        estimate=fit.estimate,
        interval=interval,
        seed=None,
        draws=None,
        settings=run_settings,
        diagnostics=diagnostics,
        warnings=warnings,
    )
