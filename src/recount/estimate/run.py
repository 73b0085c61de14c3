"""`recount estimate`: from a case (or a counts file) to a stored, reproducible estimate.

Two steps, kept apart so that a stored estimate can be re-run exactly:

1. ``gather_inputs`` turns the case into capture tables: one clustering of records into persons
   (the newest linkage), or several (the stored pair probabilities clustered at each of
   ``linkage_thresholds``), each split by stratum. A counts file gives one clustering.
2. ``compute`` estimates from those tables alone: each clustering (stratified or not), then, with
   several clusterings, their posterior draws pooled with equal weight — linkage averaging over
   thresholds (in the spirit of Sadinle 2018) — and the widening of the interval reported
   against the clustering at the case's own match threshold.

Chao's lower bounds for the whole table are reported beside every estimate.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from recount._typing import Progress
from recount.errors import InvalidValueError
from recount.estimate import methods
from recount.estimate.result import Estimate, summarise_draws
from recount.estimate.strata import StratumResult, estimate_strata
from recount.estimate.table import CaptureTable, from_pattern_counts, read_counts

if TYPE_CHECKING:
    from recount.case.folder import Case
    from recount.store import Connection

# What reads the case (the store, and SQLAlchemy with it) is imported when a case is read: an
# estimate from a counts file computes without it (and `recount estimate` loads it meanwhile).

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EstimateRequest:
    """What the user asked for; stored with the estimate."""

    method: str = methods.DEFAULT_METHOD
    event: str | None = None
    lists: tuple[str, ...] = ()
    strata: tuple[str, ...] = ()
    seed: int = methods.DEFAULT_SEED
    counts_file: str | None = None
    linkage_thresholds: tuple[float, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EstimateRequest:
        return cls(
            **{
                **data,
                "lists": tuple(data["lists"]),
                "strata": tuple(data["strata"]),
                "linkage_thresholds": tuple(data["linkage_thresholds"]),
            }
        )


@dataclass
class Clustering:
    """Capture tables by stratum for one clustering of records into persons."""

    threshold: float | None  # None: the persons as linked (or a counts file)
    tables: dict[tuple[str, ...], CaptureTable]

    def to_dict(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "strata": [
                {"key": list(key), "lists": list(t.lists), "rows": t.to_rows()}
                for key, t in self.tables.items()
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Clustering:
        tables = {}
        for stratum in data["strata"]:
            lists = tuple(stratum["lists"])
            tables[tuple(stratum["key"])] = from_pattern_counts(
                lists, ((tuple(r[name] for name in lists), r["count"]) for r in stratum["rows"])
            )
        return cls(threshold=data["threshold"], tables=tables)


@dataclass
class Inputs:
    """Everything ``compute`` needs besides the request: stored with the estimate."""

    clusterings: list[Clustering]
    reference_threshold: float | None = None  # the case's match threshold
    linkage_run_id: int | None = None
    counts_sha256: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "clusterings": [c.to_dict() for c in self.clusterings],
            "reference_threshold": self.reference_threshold,
            "linkage_run_id": self.linkage_run_id,
            "counts_sha256": self.counts_sha256,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Inputs:
        return cls(
            clusterings=[Clustering.from_dict(c) for c in data["clusterings"]],
            reference_threshold=data["reference_threshold"],
            linkage_run_id=data["linkage_run_id"],
            counts_sha256=data["counts_sha256"],
        )


@dataclass
class EstimateReport:
    """The estimate with its strata, its linkage sensitivity and Chao's lower bounds."""

    request: EstimateRequest
    result: Estimate
    strata: list[StratumResult]
    clusterings: list[dict[str, Any]]
    lower_bounds: dict[str, float]
    linkage: dict[str, Any]
    id: int | None = None
    created_at: str | None = None
    charts: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "created_at": self.created_at,
            "charts": self.charts,
            **self.result.to_dict(),
            "event": self.request.event,
            "strata_fields": list(self.request.strata),
            "strata": [s.to_dict() for s in self.strata],
            "lower_bounds": self.lower_bounds,
            "linkage": self.linkage,
            "clusterings": self.clusterings,
        }


def gather_inputs(case: Case | None, request: EstimateRequest) -> Inputs:
    """Capture tables for the request, from a counts file or from the case's persons."""
    if request.counts_file is not None:
        path = Path(request.counts_file)
        tables = read_counts(path, request.strata)
        if request.lists:
            tables = {key: t.select(request.lists) for key, t in tables.items()}
        with path.open("rb") as handle:
            sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
        return Inputs([Clustering(None, tables)], counts_sha256=sha256)
    if case is None:
        raise InvalidValueError("no case and no --counts file: give one or the other")
    from recount.estimate.from_case import check_strata_fields

    check_strata_fields(request.strata)
    with case.reading() as conn:  # every clustering from one state of the case
        return _case_inputs(conn, request)


def _case_inputs(conn: Connection, request: EstimateRequest) -> Inputs:
    from recount.estimate.from_case import person_lists

    run_id, match_threshold = _newest_linkage(conn)
    if not request.linkage_thresholds:
        people = person_lists(conn, request.event, request.lists)
        return Inputs([Clustering(None, people.tables(request.strata))], match_threshold, run_id)
    if match_threshold is None:
        raise InvalidValueError(
            "--linkage-thresholds needs a linked case: run `recount link` first"
        )
    from recount.linkage.derive import persons_at

    thresholds = sorted(set(request.linkage_thresholds) | {match_threshold})
    clusterings = []
    for threshold in thresholds:
        people = person_lists(
            conn, request.event, request.lists, person_of=persons_at(conn, threshold)
        )
        clusterings.append(Clustering(threshold, people.tables(request.strata)))
    return Inputs(clusterings, match_threshold, run_id)


def _newest_linkage(conn: Connection) -> tuple[int | None, float | None]:
    from recount.store import linkage as linkage_store

    newest = linkage_store.newest_linkage_run(conn)
    if newest is None:
        log.warning("the case has not been linked: every record counts as its own person")
        return None, None
    return newest


def compute(
    request: EstimateRequest, inputs: Inputs, progress: Progress | None = None
) -> EstimateReport:
    """Estimate from stored inputs alone (the same inputs and request give the same result)."""
    per_clustering = []
    for clustering in inputs.clusterings:
        label = (
            "" if clustering.threshold is None else f"linkage threshold {clustering.threshold:g}"
        )
        per_clustering.append(_estimate_clustering(request, clustering, label, progress))
    reference = _reference_index(inputs)
    total, strata = per_clustering[reference]
    whole = _whole_table(inputs.clusterings[reference])
    summaries = [
        {
            "threshold": c.threshold,
            "observed": e.observed,
            **{k: v for k, v in e.to_dict().items() if k in ("estimate", "interval")},
        }
        for c, (e, _) in zip(inputs.clusterings, per_clustering, strict=True)
    ]
    result, linkage = (
        total,
        {"run_id": inputs.linkage_run_id, "match_threshold": inputs.reference_threshold},
    )
    if len(per_clustering) > 1:
        result = pool_clusterings([e for e, _ in per_clustering], total)
        linkage["interval_widening"] = round(interval_widening(total, result), 4)
    return EstimateReport(
        request=request,
        result=result,
        strata=strata,
        clusterings=summaries,
        lower_bounds=methods.lower_bounds(whole),
        linkage=linkage,
    )


def _estimate_clustering(
    request: EstimateRequest, clustering: Clustering, label: str, progress: Progress | None
) -> tuple[Estimate, list[StratumResult]]:
    def make(stratum: str) -> methods.Estimator:
        what = ", ".join(part for part in (label, stratum) if part) or "all"
        step = (lambda _unit, done, total: progress(what, done, total)) if progress else None
        return methods.estimator(request.method, request.options, request.seed, step)

    if not request.strata:
        table = clustering.tables[()]
        table.check()
        return make("")(table), []
    stratified = estimate_strata(clustering.tables, request.strata, make)
    assert stratified.total is not None
    return stratified.total, stratified.strata


def _reference_index(inputs: Inputs) -> int:
    thresholds = [c.threshold for c in inputs.clusterings]
    if inputs.reference_threshold in thresholds:
        return thresholds.index(inputs.reference_threshold)
    return 0


def _whole_table(clustering: Clustering) -> CaptureTable:
    tables = list(clustering.tables.values())
    lists = tables[0].lists
    return from_pattern_counts(
        lists,
        ((tuple(p), int(c)) for t in tables for p, c in zip(t.patterns, t.counts, strict=True)),
    )


def pool_clusterings(estimates: list[Estimate], reference: Estimate) -> Estimate:
    """Linkage averaging over clusterings: an equal-weight mixture of their posteriors.

    With draws, the pooled posterior is the concatenation of every clustering's draws. Without
    (log-linear, Chao), the pooled interval is the envelope of the clusterings' intervals and
    the point the mean of their points.
    """
    warnings = list(reference.warnings)
    if all(e.draws is not None for e in estimates):
        draws = np.concatenate([e.draws for e in estimates])  # type: ignore[misc]
        point, interval = summarise_draws(draws)
    else:
        draws = None
        point = float(np.mean([e.estimate for e in estimates]))
        interval = (min(e.interval[0] for e in estimates), max(e.interval[1] for e in estimates))
        warnings.append(
            "pooled over linkage thresholds: the interval is the envelope of the "
            "thresholds' intervals"
        )
    observed = sorted(e.observed for e in estimates)
    return Estimate(
        method=reference.method,
        lists=reference.lists,
        observed=reference.observed,
        estimate=point,
        interval=interval,
        seed=reference.seed,
        draws=draws,
        settings=reference.settings,
        diagnostics={
            **reference.diagnostics,
            "observed_range_over_thresholds": [observed[0], observed[-1]],
        },
        warnings=warnings,
    )


def interval_widening(single: Estimate, pooled: Estimate) -> float:
    """How much wider the pooled interval is than the single clustering's: width ratio − 1."""
    width = single.interval[1] - single.interval[0]
    return (pooled.interval[1] - pooled.interval[0]) / width - 1 if width > 0 else 0.0
