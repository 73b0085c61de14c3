"""The Python API for notebooks and scripts: the command line's verbs as methods of a case.

A thin facade over the same domain functions the CLI calls — nothing here builds a query — so
that a number computed in a notebook is the number ``recount`` prints::

    import recount

    case = recount.Case.init("my-case")
    case.add_source("registry", name="Civil registry", kind="government")
    case.import_list("registry", "registry.csv")
    case.link()
    result = case.estimate(seed=1)
    result.estimate, result.interval    # the posterior median and its 95% interval
    case.persons()                      # a pandas DataFrame, one row per person

Results are objects (``ImportResult``, ``LinkResult``, ``EstimateResult``) with ``to_dict()``
and a one-line ``summary()`` where it helps; nothing is printed. Errors are the exceptions of
``recount.errors`` (``NotFoundError``, ``NotACaseError``, ``ValidationError``...).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from recount.case import folder

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from recount.case.sources import Source
    from recount.case.summary import CaseSummary
    from recount.estimate.run import EstimateReport
    from recount.ingest.importer import ImportResult
    from recount.linkage.run import LinkResult

log = logging.getLogger(__name__)

__all__ = ["Case", "EstimateResult", "estimate_counts"]

PathLike = str | Path


class Case:
    """An open case. Make one with ``Case.init(path)`` or open one with ``Case.open(path)``;
    close it with ``close()`` or use it in a ``with`` block."""

    def __init__(self, opened: folder.Case) -> None:
        self._case = opened

    @classmethod
    def init(cls, path: PathLike, database: str | None = None, name: str | None = None) -> Case:
        """Create a case folder (``recount init``); ``database`` is a ``postgresql://`` URL for
        a case whose tables live in PostgreSQL."""
        return cls(folder.init_case(Path(path), name=name, database=database))

    @classmethod
    def open(cls, path: PathLike | None = None) -> Case:
        """Open an existing case (default: ``$RECOUNT_CASE``, else the current folder)."""
        opened = folder.open_case(path)
        if opened.backup is not None:
            log.warning("migrated %s to this version of recount; backup: %s", path, opened.backup)
        return cls(opened)

    @property
    def root(self) -> Path:
        return self._case.root

    @property
    def name(self) -> str:
        return self._case.name

    def close(self) -> None:
        self._case.close()

    def __enter__(self) -> Case:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<recount.Case {self.name!r} at {self.root} ({self._case.store.label})>"

    # --- sources and lists ----------------------------------------------------------------

    def add_source(self, slug: str, *, name: str, kind: str) -> Source:
        """Register a source (``recount source add``); ``kind`` is one of government, ngo,
        media, court, forensic, witness, other."""
        from recount.case.sources import add_source

        return add_source(self._case, slug, name, kind)

    def sources(self) -> list[Source]:
        """The case's sources with their imports and records (``recount source list``)."""
        from recount.case.sources import list_sources

        return list_sources(self._case)

    def import_list(
        self,
        source: str,
        path: PathLike,
        mapping: PathLike | None = None,
        event: str | None = None,
        *,
        skip_invalid: bool = False,
        rejects: PathLike | None = None,
    ) -> ImportResult:
        """Import a list of records (``recount import``): all or nothing unless
        ``skip_invalid``. Family relations the list states (household, parents' names) are
        derived at once, as the command does."""
        from recount.families.derive import derive_after_import
        from recount.ingest.importer import import_file

        result = import_file(
            self._case,
            source,
            Path(path),
            Path(mapping) if mapping is not None else None,
            event,
            skip_invalid,
            Path(rejects) if rejects is not None else None,
        )
        if not result.already_imported:
            derived = derive_after_import(self._case, result.import_id)
            if derived is not None:
                log.info("derived %d family relations", sum(derived.added.values()))
        return result

    # --- linkage --------------------------------------------------------------------------

    def link(
        self,
        *,
        backend: str = "duckdb",
        full: bool = False,
        rescore: bool = False,
        threshold: float | None = None,
    ) -> LinkResult:
        """Link records into persons (``recount link``), keeping person ids stable."""
        from recount.linkage.run import link_case
        from recount.linkage.settings import LinkageSettings

        settings = LinkageSettings.for_case(self._case.settings, match_threshold=threshold)
        return link_case(self._case, settings, backend, full, None, rescore)

    # --- tables ---------------------------------------------------------------------------

    def records(self, source: str | None = None) -> pd.DataFrame:
        """Records as the sources gave them (``recount export records``)."""
        return _frame(self._export("records", source), self._columns("records"))

    def links(self, source: str | None = None, threshold: float | None = None) -> pd.DataFrame:
        """One row per record: ``source``, ``row_number``, ``person_id``, ``record_id``,
        ``import_id``, ``file_sha256`` (``recount export links``). ``threshold`` gives the
        persons that clustering the stored pairs at that probability would form."""
        return _frame(self._export("links", source, threshold), self._columns("links"))

    def persons(self) -> pd.DataFrame:
        """One row per person (``recount export persons``), with two more columns: ``source``
        and ``row_number``, the lists of its records' sources and rows, in the same order."""
        rows = list(self._export("persons"))
        links = list(self._export("links"))
        return _frame(_with_records(rows, links), [*self._columns("persons"), *RECORD_REFS])

    def summary(self) -> CaseSummary:
        """What the case holds: sources, imports, records, persons, events (``recount status``)."""
        from recount.case.summary import summarise

        return summarise(self._case)

    def _export(
        self, what: str, source: str | None = None, threshold: float | None = None
    ) -> Iterable[dict[str, Any]]:
        from recount.export.tables import export_rows

        # export_rows refuses an unknown source (NotFoundError) before the first row.
        return export_rows(self._case, what, source, threshold)

    @staticmethod
    def _columns(what: str) -> list[str]:
        from recount.export.tables import export_columns

        return export_columns(what)

    # --- estimation -----------------------------------------------------------------------

    def estimate(
        self,
        method: str = "lcmcr",
        *,
        seed: int | None = None,
        event: str | None = None,
        lists: Sequence[str] = (),
        strata: Sequence[str] = (),
        linkage_thresholds: Sequence[float] = (),
        **options: Any,
    ) -> EstimateResult:
        """Estimate how many people no list recorded (``recount estimate``), and keep the
        estimate in the case. ``options`` are the method's settings: ``classes``, ``burn_in``,
        ``samples``, ``thin``, ``chains`` (lcmcr); ``model``, ``criterion`` (loglinear);
        ``delta``, ``prior``, ``samples`` (dga)."""
        return _run(
            self._case, None, method, seed, event, lists, strata, linkage_thresholds, options
        )


def estimate_counts(
    path: PathLike,
    method: str = "lcmcr",
    *,
    seed: int | None = None,
    lists: Sequence[str] = (),
    strata: Sequence[str] = (),
    **options: Any,
) -> EstimateResult:
    """Estimate from a CSV of capture histories (one 0/1 column per list and ``count``), with
    no case (``recount estimate --counts FILE``); the estimate is not stored."""
    return _run(None, Path(path), method, seed, None, lists, strata, (), options)


def _run(
    case: folder.Case | None,
    counts: Path | None,
    method: str,
    seed: int | None,
    event: str | None,
    lists: Sequence[str],
    strata: Sequence[str],
    thresholds: Sequence[float],
    options: dict[str, Any],
) -> EstimateResult:
    from recount.estimate.methods import DEFAULT_SEED
    from recount.estimate.run import EstimateRequest
    from recount.estimate.stored import run_estimate

    request = EstimateRequest(
        method=method,
        event=event,
        lists=tuple(lists),
        strata=tuple(strata),
        seed=DEFAULT_SEED if seed is None else seed,
        counts_file=str(counts) if counts is not None else None,
        linkage_thresholds=tuple(float(t) for t in thresholds),
        options={k: v for k, v in options.items() if v is not None},
    )
    return EstimateResult(run_estimate(case, request))


@dataclass(frozen=True)
class EstimateResult:
    """An estimate as ``recount estimate --json`` gives it, with attributes for its parts.

    ``estimate`` and ``interval`` are the figures the CLI prints (the posterior median and the
    95% interval for Bayesian methods); ``draws`` are the posterior draws of N as a NumPy array
    (None for methods without draws); ``report`` is the core's full ``EstimateReport``.
    """

    report: EstimateReport

    def to_dict(self) -> dict[str, Any]:
        """The dict ``recount estimate --json`` prints."""
        return self.report.to_dict()

    @property
    def id(self) -> int | None:
        """The stored estimate's id (``recount estimate --show ID``); None when not stored."""
        return self.report.id

    @property
    def method(self) -> str:
        return self.report.result.method

    @property
    def observed(self) -> int:
        return self.report.result.observed

    @property
    def estimate(self) -> float | int | None:
        return self._plain["estimate"]

    @property
    def interval(self) -> tuple[float | int | None, float | int | None]:
        low, high = self._plain["interval"]
        return low, high

    @property
    def draws(self) -> np.ndarray | None:
        return self.report.result.draws

    @property
    def seed(self) -> int | None:
        return self.report.result.seed

    @property
    def warnings(self) -> list[str]:
        return list(self.report.result.warnings)

    @property
    def _plain(self) -> dict[str, Any]:
        # The figures exactly as the JSON carries them (integers stay integers, others 0.1).
        return self.report.result.to_dict()

    def summary(self) -> str:
        """One line: method, estimate, interval and what was observed."""
        low, high = self.interval
        where = f"estimate {self.id}" if self.id is not None else "estimate (not stored)"
        return (
            f"{where}, {self.method}: {_number(self.estimate)} people (95% interval "
            f"{_number(low)} to {_number(high)}); {self.observed:,} documented"
        )

    def __repr__(self) -> str:
        return f"<recount.EstimateResult {self.summary()}>"


RECORD_REFS = ("source", "row_number")


def _with_records(
    persons: list[dict[str, Any]], links: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Each person with the lists of its records' sources and row numbers (links order)."""
    refs: dict[Any, dict[str, list[Any]]] = {}
    for link in links:
        ref = refs.setdefault(link["person_id"], {name: [] for name in RECORD_REFS})
        for name in RECORD_REFS:
            ref[name].append(link[name])
    empty = {name: [] for name in RECORD_REFS}
    return [{**person, **refs.get(person["person_id"], empty)} for person in persons]


def _frame(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame.from_records(list(rows), columns=list(columns))


def _number(value: float | int | None) -> str:
    return "unbounded" if value is None else f"{value:,.0f}"
