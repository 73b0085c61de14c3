"""The estimation methods behind one interface: a capture table in, an ``Estimate`` out.

Each method keeps its settings in a plain frozen dataclass in its own module; ``estimator``
builds that dataclass from the options a front passed (``classes``, ``burn_in``, ``delta``…)
and refuses options that do not belong to the method, so that a setting is never silently
ignored.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from recount._typing import Progress
from recount.errors import InvalidValueError
from recount.vocabulary import ESTIMATION_METHODS

if TYPE_CHECKING:
    from recount.estimate.result import Estimate
    from recount.estimate.table import CaptureTable

METHODS = ESTIMATION_METHODS
DEFAULT_METHOD = METHODS[0]
DEFAULT_SEED = 19481210  # HRDAG's seed in its published LCMCR runs

Estimator = Callable[["CaptureTable"], "Estimate"]


def settings_class(method: str) -> type | None:
    """The settings dataclass of ``method`` (None for Chao, which has none)."""
    if method == "lcmcr":
        from recount.estimate.lcmcr import LcmcrSettings

        return LcmcrSettings
    if method == "loglinear":
        from recount.estimate.loglinear import LoglinearSettings

        return LoglinearSettings
    if method == "dga":
        from recount.estimate.dga import DgaSettings

        return DgaSettings
    if method == "chao":
        return None
    raise InvalidValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")


def make_settings(method: str, options: dict[str, Any], seed: int) -> Any:
    """The method's settings from ``options`` (and ``seed`` where the method draws)."""
    cls = settings_class(method)
    if cls is None:
        if options:
            raise InvalidValueError(f"{', '.join(_flags(options))} do(es) not apply to {method}")
        return None
    names = {f.name for f in dataclasses.fields(cls)}
    foreign = {k: v for k, v in options.items() if k not in names}
    if foreign:
        raise InvalidValueError(f"{', '.join(_flags(foreign))} do(es) not apply to {method}")
    values = dict(options)
    if "seed" in names:
        values["seed"] = seed
    return cls(**values)


def estimator(
    method: str, options: dict[str, Any], seed: int, progress: Progress | None = None
) -> Estimator:
    """A function estimating one table with ``method`` and these settings.

    Each method's module (and what it imports: statsmodels, SciPy, Numba) is imported here, when
    the method is asked for, so that running one method never pays for loading the others.
    """
    settings = make_settings(method, options, seed)
    if method == "lcmcr":
        from recount.estimate.lcmcr import estimate_lcmcr

        return lambda table: estimate_lcmcr(table, settings, progress=progress)
    if method == "loglinear":
        from recount.estimate.loglinear import estimate_loglinear

        return lambda table: estimate_loglinear(table, settings)
    if method == "dga":
        from recount.estimate.dga import estimate_dga

        return lambda table: estimate_dga(table, settings)
    from recount.estimate.chao import estimate_chao

    return estimate_chao


def lower_bounds(table: CaptureTable) -> dict[str, float]:
    """Chao's lower bounds, printed beside every estimate (NumPy only: cheap to import)."""
    from recount.estimate.chao import lower_bounds as chao_bounds

    return chao_bounds(table)


def _flags(options: dict[str, Any]) -> list[str]:
    return ["--" + name.replace("_", "-") for name in options]
