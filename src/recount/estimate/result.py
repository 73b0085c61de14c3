"""What every estimation method returns: an ``Estimate``, a result object, not printed text.

``to_dict()`` is the ``recount estimate --json`` contract of DESIGN.md: at least ``method``,
``observed``, ``estimate`` (posterior median or point estimate), ``interval`` ([low, high] at
95%), ``seed``, and for Bayesian methods ``draws`` (posterior draws of N as integers).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class Estimate:
    """The result of one MSE method on one capture table (or one stratum of it)."""

    method: str
    lists: tuple[str, ...]
    observed: int
    estimate: float
    interval: tuple[float, float]
    seed: int | None = None
    draws: np.ndarray | None = None  # posterior draws of N (integers), Bayesian methods only
    settings: dict[str, Any] = field(default_factory=dict)
    diagnostics: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def unobserved(self) -> float:
        return self.estimate - self.observed

    def summary(self) -> str:
        low, high = self.interval
        return (
            f"{self.method}: {self.estimate:,.0f} (95% {low:,.0f}–{high:,.0f}); "
            f"{self.observed:,} observed on {len(self.lists)} lists"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "lists": list(self.lists),
            "observed": self.observed,
            "estimate": _plain(self.estimate),
            "interval": [_plain(v) for v in self.interval],
            "seed": self.seed,
            "draws": None if self.draws is None else [int(v) for v in self.draws],
            "settings": self.settings,
            "diagnostics": self.diagnostics,
            "warnings": list(self.warnings),
        }


def _plain(value: float) -> float | int | None:
    """Integers stay integers in JSON; other numbers are rounded to 0.1 person; an unbounded
    end of an interval (N not identifiable) is null, which strict JSON parsers accept."""
    number = float(value)
    if not math.isfinite(number):
        return None
    return int(number) if number.is_integer() else round(number, 1)


def dumps(value: Any) -> str:
    """JSON text of a result, NumPy numbers and arrays included."""
    return json.dumps(value, default=_json_default, ensure_ascii=False)


def _json_default(value: Any) -> Any:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def summarise_draws(draws: np.ndarray, level: float = 0.95) -> tuple[float, tuple[float, float]]:
    """Posterior median and equal-tailed interval of draws of N."""
    tail = (1 - level) / 2
    low, median, high = np.quantile(draws, [tail, 0.5, 1 - tail])
    return float(median), (float(low), float(high))
