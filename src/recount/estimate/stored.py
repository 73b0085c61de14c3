"""Estimates kept in the case: run and store, show, and re-run exactly.

A stored estimate holds the request (method, lists, strata, settings, seed, thresholds, counts
file and its sha256), the capture tables it was computed from, the linkage run those came from,
the result and the recount version. ``rerun_estimate`` computes again from the stored tables —
not from the case as it is now, which may have been re-linked — and says whether the result is
identical, draw for draw.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recount import __version__
from recount._typing import Progress
from recount.clock import utc_now
from recount.errors import NotFoundError
from recount.estimate import chart
from recount.estimate.result import dumps
from recount.estimate.run import EstimateReport, EstimateRequest, Inputs, compute, gather_inputs

if TYPE_CHECKING:
    from recount.case.folder import Case

# The store (and SQLAlchemy with it) is imported by the functions that read or write the case:
# an estimate from a counts file is computed before it is needed (see ``keep_in``).

CHART_FORMATS = ("png", "svg")
# Known only once stored, so not part of the stored result nor of a re-run's comparison.
UNSTORED = {"id": None, "created_at": None, "charts": []}


def run_estimate(
    case: Case | None,
    request: EstimateRequest,
    progress: Progress | None = None,
    keep_in: Callable[[], AbstractContextManager[Case]] | None = None,
) -> EstimateReport:
    """Gather the inputs, estimate, and store the estimate in the case (when there is one),
    with its posterior chart as PNG and SVG in the case's ``estimates/`` folder.

    ``keep_in``, with no ``case``, opens the case to keep the estimate in once it is computed
    (an estimate from a counts file reads nothing from a case): its chart is then drawn —
    by the chart process, when one runs — while the case is opened and the estimate stored.
    """
    started = time.perf_counter()
    inputs = gather_inputs(case, request)
    report = compute(request, inputs, progress)
    seconds = time.perf_counter() - started
    if case is None and keep_in is None:
        return report
    chart.prepare(posterior_spec(report))
    if case is not None:
        _keep(case, report, inputs, seconds)
    else:
        assert keep_in is not None
        with keep_in() as opened:
            _keep(opened, report, inputs, seconds)
    return report


def _keep(case: Case, report: EstimateReport, inputs: Inputs, seconds: float) -> None:
    report.id, report.created_at = _save(case, report, inputs, seconds)
    report.charts = [str(p) for p in save_charts(report, chart_paths(case, report.id))]


def chart_paths(case: Case, estimate_id: int) -> list[Path]:
    """Where a stored estimate's charts go: ``estimates/estimate-ID.png`` and ``.svg``."""
    folder = case.root / "estimates"
    folder.mkdir(exist_ok=True)
    return [folder / f"estimate-{estimate_id}.{kind}" for kind in CHART_FORMATS]


def posterior_spec(report: EstimateReport) -> dict[str, Any]:
    """The Vega-Lite spec of the estimate's posterior chart."""
    event = f", {report.request.event}" if report.request.event else ""
    return chart.posterior_spec(report.result, f"Estimated number of people{event}")


def save_charts(report: EstimateReport, paths: list[Path]) -> list[Path]:
    """The posterior chart in each of ``paths`` (the format from each suffix)."""
    return chart.save_charts(posterior_spec(report), paths)


def _save(case: Case, report: EstimateReport, inputs: Inputs, seconds: float) -> tuple[int, str]:
    from recount.store import estimates as estimates_store
    from recount.store import events as events_store

    created_at = utc_now()
    with case.writing() as conn:
        event_id = None
        if report.request.event is not None:
            event_id = events_store.event_id_by_slug(conn, report.request.event)
        new_id = estimates_store.insert_estimate(
            conn,
            created_at=created_at,
            method=report.request.method,
            event_id=event_id,
            linkage_run_id=inputs.linkage_run_id,
            request=dumps(report.request.to_dict()),
            inputs=dumps(inputs.to_dict()),
            result=dumps(report.to_dict() | UNSTORED),
            seconds=round(seconds, 3),
            recount_version=__version__,
        )
    return new_id, created_at


@dataclass
class StoredEstimate:
    """An estimate as stored: what was asked, from what, and what came out."""

    id: int
    created_at: str
    request: EstimateRequest
    inputs: Inputs
    result: dict[str, Any]
    seconds: float
    recount_version: str

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.result,
            "id": self.id,
            "created_at": self.created_at,
            "seconds": self.seconds,
            "recount_version": self.recount_version,
            "request": self.request.to_dict(),
        }


def load_estimate(case: Case, estimate_id: int) -> StoredEstimate:
    from recount.store import estimates as estimates_store

    with case.reading() as conn:
        row = estimates_store.estimate_by_id(conn, estimate_id)
    if row is None:
        raise NotFoundError(f"no estimate {estimate_id} in this case")
    return StoredEstimate(
        id=row["id"],
        created_at=row["created_at"],
        request=EstimateRequest.from_dict(json.loads(row["request"])),
        inputs=Inputs.from_dict(json.loads(row["inputs"])),
        result=json.loads(row["result"]),
        seconds=row["seconds"],
        recount_version=row["recount_version"],
    )


@dataclass
class Rerun:
    """A stored estimate computed again, and whether every number came out the same."""

    stored: StoredEstimate
    report: EstimateReport
    identical: bool
    differences: list[str]


def rerun_estimate(case: Case, estimate_id: int, progress: Progress | None = None) -> Rerun:
    """Compute a stored estimate again from its stored inputs and compare."""
    stored = load_estimate(case, estimate_id)
    report = compute(stored.request, stored.inputs, progress)
    report.id, report.created_at = stored.id, stored.created_at
    again = report.to_dict() | UNSTORED
    before = stored.result | UNSTORED
    differences = sorted(
        key
        for key in set(again) | set(before)
        if json.loads(dumps(again.get(key))) != before.get(key)
    )
    if stored.recount_version != __version__:
        differences.append(f"recount version: stored {stored.recount_version}, now {__version__}")
    return Rerun(stored=stored, report=report, identical=not differences, differences=differences)


def list_estimates(case: Case) -> list[dict[str, Any]]:
    """Stored estimates, newest first, as one summary line each."""
    from recount.store import estimates as estimates_store

    with case.reading() as conn:
        rows = estimates_store.estimates_newest_first(conn)
    summaries = []
    for row in rows:
        result = json.loads(row["result"])
        summaries.append(
            {
                "id": row["id"],
                "created_at": row["created_at"],
                "method": row["method"],
                "observed": result["observed"],
                "estimate": result["estimate"],
                "interval": result["interval"],
                "strata": result.get("strata_fields", []),
            }
        )
    return summaries
