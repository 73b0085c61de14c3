"""Stratified estimation: one estimate per stratum, and a total from their posterior draws.

Capture probabilities differ between groups (women and men, children and adults, towns);
estimating each stratum apart makes them more homogeneous. Following HRDAG's practice:

- In each stratum, a list with no records there is left out; a stratum with records on fewer
  than ``min_lists`` (3) lists, or with no overlap between its lists, is not estimated and is
  named with the reason (verdata's ``get_valid_sources``; dga's ``check.strata``).
- The total is the element-wise sum of the strata's posterior draws (HRDAG's PH
  ``make-magic-numbers.R``): the posterior of a sum of independent unknowns. Skipped strata
  enter the total at their observed count — documented people with no estimate of those
  unseen — and a warning says so.
- Methods without draws (log-linear, Chao) give a total as the sum of point estimates with a
  normal-approximation interval from each stratum's interval width (labelled approximate).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from recount.errors import InvalidValueError, RecountError
from recount.estimate.result import Estimate, summarise_draws
from recount.estimate.table import CaptureTable

MIN_LISTS_PER_STRATUM = 3
Z95 = 1.959963984540054

# Given a stratum's label ("F, child"), the function that estimates its table.
EstimatorFor = Callable[[str], Callable[[CaptureTable], Estimate]]


@dataclass
class StratumResult:
    """One stratum: its values, what was observed, and its estimate or why there is none."""

    values: dict[str, str]
    observed: int
    lists: tuple[str, ...]
    estimate: Estimate | None = None
    skipped: str | None = None

    def to_dict(self) -> dict[str, Any]:
        result = self.estimate.to_dict() if self.estimate else {}
        return {
            "stratum": self.values,
            "observed": self.observed,
            "lists": list(self.lists),
            "skipped": self.skipped,
            **{k: v for k, v in result.items() if k not in ("lists", "observed")},
        }


@dataclass
class StratifiedEstimate:
    """Per-stratum results and their total."""

    fields: tuple[str, ...]
    strata: list[StratumResult] = field(default_factory=list)
    total: Estimate | None = None


def estimable_lists(
    table: CaptureTable, min_lists: int = MIN_LISTS_PER_STRATUM
) -> tuple[CaptureTable | None, str | None]:
    """The stratum's table without lists that have no records there, or why it cannot be used."""
    valid = [name for name, total in table.list_totals().items() if total > 0]
    if len(valid) < min_lists:
        return None, (
            f"records on {len(valid)} list(s) ({', '.join(valid) or 'none'}); "
            f"a stratum needs records on at least {min_lists}"
        )
    reduced = table.select(valid)
    try:
        reduced.check()
    except InvalidValueError as problem:
        return None, str(problem)
    return reduced, None


def estimate_strata(
    tables: dict[tuple[str, ...], CaptureTable],
    fields: Sequence[str],
    estimator_for: EstimatorFor,
    min_lists: int = MIN_LISTS_PER_STRATUM,
) -> StratifiedEstimate:
    """Estimate every stratum that can be, and total them (see the module docstring)."""
    result = StratifiedEstimate(fields=tuple(fields))
    for key, table in tables.items():
        values = dict(zip(fields, key, strict=True))
        usable, reason = estimable_lists(table, min_lists)
        stratum = StratumResult(
            values=values, observed=table.observed, lists=table.lists, skipped=reason
        )
        if usable is not None:
            try:
                stratum.estimate = estimator_for(", ".join(key))(usable)
                stratum.lists = usable.lists
            except RecountError as problem:
                stratum.skipped = str(problem)
        result.strata.append(stratum)
    estimated = [s for s in result.strata if s.estimate is not None]
    if not estimated:
        reasons = "; ".join(f"{_label(s.values)}: {s.skipped}" for s in result.strata)
        raise InvalidValueError(f"no stratum can be estimated ({reasons})")
    all_lists = next(iter(tables.values())).lists
    result.total = total_estimate(result.strata, all_lists)
    return result


def total_estimate(strata: list[StratumResult], lists: tuple[str, ...]) -> Estimate:
    """The total over strata: summed draws, or summed points with an approximate interval."""
    estimated = [s.estimate for s in strata if s.estimate is not None]
    skipped = [s for s in strata if s.estimate is None]
    floor = sum(s.observed for s in skipped)
    first = estimated[0]
    warnings = [f"{_label(s.values)}: {s.skipped}" for s in skipped]
    if skipped:
        warnings.insert(
            0,
            f"{len(skipped)} stratum/strata not estimated; their {floor:,} "
            "observed people are added to the total as observed, with no "
            "estimate of those unseen",
        )
    if all(e.draws is not None for e in estimated):
        draws = sum_draws([e.draws for e in estimated]) + floor  # type: ignore[misc]
        point, interval = summarise_draws(draws)
    else:
        draws = None
        point, interval = summed_points(estimated, floor)
        warnings.append("total interval is a normal approximation from the strata's intervals")
    return Estimate(
        method=first.method,
        lists=lists,
        observed=sum(s.observed for s in strata),
        estimate=point,
        interval=interval,
        seed=first.seed,
        draws=draws,
        settings=first.settings,
        warnings=warnings,
        diagnostics={"strata_estimated": len(estimated), "strata_skipped": len(skipped)},
    )


def sum_draws(draws: Sequence[np.ndarray]) -> np.ndarray:
    """Element-wise sum of equally many posterior draws per stratum."""
    sizes = {len(d) for d in draws}
    if len(sizes) != 1:
        raise InvalidValueError(
            f"strata have different numbers of draws ({sorted(sizes)}); they cannot be summed"
        )
    return np.sum(np.vstack(draws), axis=0).astype(np.int64)


def summed_points(estimated: Sequence[Estimate], floor: int) -> tuple[float, tuple[float, float]]:
    """Σ N̂ᵢ ± z·sqrt(Σ seᵢ²), with seᵢ = (highᵢ − lowᵢ) / (2z)."""
    point = sum(e.estimate for e in estimated) + floor
    spread = math.sqrt(sum(((e.interval[1] - e.interval[0]) / (2 * Z95)) ** 2 for e in estimated))
    return point, (
        max(point - Z95 * spread, float(floor + sum(e.observed for e in estimated))),
        point + Z95 * spread,
    )


def _label(values: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in values.items()) or "all"
