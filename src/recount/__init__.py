"""recount: an accountable record of mass violence — who, how many, and on what evidence.

The Python API (``recount.Case``, ``recount.EstimateResult``, ``recount.estimate_counts``) lives
in ``recount.api`` and is imported on first use: the command line imports this package too, and
``recount --help`` must not wait for pandas, SQLAlchemy, NumPy or Splink to load.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Case", "EstimateResult", "__version__", "estimate_counts"]

_API = frozenset(__all__) - {"__version__"}

if TYPE_CHECKING:
    from recount.api import Case, EstimateResult, estimate_counts


def __getattr__(name: str) -> Any:
    if name in _API:
        from recount import api

        value = getattr(api, name)
        globals()[name] = value  # later lookups skip this function
        return value
    raise AttributeError(f"module 'recount' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _API)
