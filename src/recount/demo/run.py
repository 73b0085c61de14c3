"""The demo: a whole case built from four simulated sources, as a new user's first run.

It simulates a fictional event (``recount.simulate``), creates a case, registers the four
sources and an event, and imports each list the way an analyst would: canonical files directly,
the Cyrillic NGO list through its mapping file. It then links the lists into persons and
estimates how many people the event killed with LCMCR, setting both beside the simulated truth
(linkage accuracy; the true population size against the estimate and its interval), and adds
a few synthetic photographs and a fictional report to the evidence archive. A fictional family
register (``demo_register.py``) is imported beside the victims' lists, and the story around
them — an earlier event, acts, interventions, relations, status changes and the claims of a
fictional bulletin — is recorded by ``demo_story.py``.
"""

from __future__ import annotations

import csv
import logging
import shutil
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from recount._typing import Progress
from recount.case.folder import SETTINGS_FILE, Case, init_case, is_case, store_location
from recount.case.sources import add_source
from recount.case.summary import CaseSummary, summarise
from recount.demo.evidence_items import add_demo_evidence
from recount.demo.register import REGISTER, REGISTER_NAME, write_family_register
from recount.demo.story import add_demo_story
from recount.errors import CaseExistsError
from recount.estimate.run import EstimateRequest
from recount.estimate.stored import run_estimate
from recount.events.event import add_event
from recount.evidence.ingest import AddedItem
from recount.export.tables import export_rows
from recount.ingest.importer import ImportResult, import_file
from recount.linkage.evaluate import PairwiseAccuracy, pairwise_accuracy
from recount.linkage.run import link_case
from recount.simulate.population import EVENT_DAYS, EVENT_START, SYNTHETIC_NOTE
from recount.simulate.simulation import simulate, write_simulation
from recount.store import schema
from recount.store.engine import SQLITE, StoreLocation, make_engine, parse_database_url

log = logging.getLogger(__name__)

EVENT_SLUG = "vendara-1994"


@dataclass
class DemoResult:
    path: str
    seed: int
    true_size: int
    true_listed: int
    summary: CaseSummary
    imports: list[ImportResult] = field(default_factory=list)
    linkage: dict = field(default_factory=dict)
    accuracy: dict = field(default_factory=dict)  # pairwise, against the simulated truth
    estimate: dict = field(default_factory=dict)  # `recount estimate --json`, draws left out
    evidence: list[AddedItem] = field(default_factory=list)  # synthetic photos and a report
    story: dict = field(default_factory=dict)  # events, acts, relations, statuses, claims
    next_steps: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def run_demo(
    path: Path,
    seed: int = 1992,
    size: int = 2000,
    progress: Progress | None = None,
    database: str | None = None,
) -> DemoResult:
    """Build the demo case in ``path`` (its tables in ``database`` if given, a PostgreSQL URL);
    an earlier demo case there is replaced. ``progress`` hears each stage: the rows imported
    so far across the four lists, linkage's steps, the estimate's sweeps, the story."""
    clear_earlier_demo(path, database)
    sim = simulate(size=size, seed=seed)
    case = init_case(
        path,
        database=database,
        name="Demo: the Vendara valley (fictional)",
        extra_settings={
            "demo": {"synthetic": True, "seed": seed, "size": size, "note": SYNTHETIC_NOTE}
        },
    )
    try:
        files = write_simulation(sim, path / "demo-lists")
        add_event(
            case,
            EVENT_SLUG,
            "Attack on the Vendara valley (fictional)",
            place="Vendara valley",
            start=EVENT_START.isoformat(),
            end=EVENT_START.replace(day=EVENT_START.day + EVENT_DAYS - 1).isoformat(),
        )
        results, done = [], 0
        for spec in sim.specs:
            add_source(case, spec.slug, spec.name, spec.kind)
            result = import_file(
                case,
                spec.slug,
                files.lists[spec.slug],
                mapping_path=files.mappings.get(spec.slug),
                event=EVENT_SLUG,
                progress=_offset(progress, done),
            )
            done += result.imported
            results.append(result)
        add_source(case, REGISTER, REGISTER_NAME, "ngo")
        results.append(
            import_file(case, REGISTER, write_family_register(sim, files.directory, seed))
        )
        linkage = link_case(case, progress=progress)
        accuracy = linkage_accuracy(case, files.truth)
        estimate = run_estimate(
            case,
            EstimateRequest(event=EVENT_SLUG),
            _renamed(progress, "estimating, sweeps"),
        )
        evidence = add_demo_evidence(case, path / "demo-evidence", event=EVENT_SLUG, seed=seed)
        if progress:
            progress("recording events, acts, families, statuses and claims", 0, None)
        story = add_demo_story(case, EVENT_SLUG, path / "demo-texts")
        summary = summarise(case)
    finally:
        case.close()
    return DemoResult(
        str(path),
        seed,
        len(sim.population),
        len(sim.listed),
        summary,
        results,
        linkage.to_dict(),
        accuracy.to_dict(),
        {k: v for k, v in estimate.to_dict().items() if k != "draws"},
        evidence,
        story.to_dict(),
        _next_steps(path, files.directory),
    )


def linkage_accuracy(case: Case, truth_file: Path) -> PairwiseAccuracy:
    """How the case's persons compare with the simulator's truth (pairwise P/R/F1)."""
    with truth_file.open(encoding="utf-8") as handle:
        truth = {
            (r["source"], int(r["row_number"])): int(r["person_id"]) for r in csv.DictReader(handle)
        }
    predicted = {(r["source"], r["row_number"]): r["person_id"] for r in export_rows(case, "links")}
    return pairwise_accuracy(predicted, truth)


def _offset(progress: Progress | None, base: int) -> Progress | None:
    """``progress`` for one list, counting on from the rows of the lists imported before it."""
    if progress is None:
        return None
    return lambda _what, done, _total: progress("importing lists, rows", base + done, None)


def _renamed(progress: Progress | None, what: str) -> Progress | None:
    """``progress`` with its unit named ``what``: the stage it belongs to, for one status line."""
    if progress is None:
        return None
    return lambda _what, done, total: progress(what, done, total)


def clear_earlier_demo(path: Path, database: str | None) -> None:
    """Remove an earlier demo case at ``path``; refuse to touch anything else.

    The tables of an earlier demo stored in PostgreSQL are dropped only when it is stored in
    the very database this run is given: a folder's settings never lead recount to drop tables
    in a database the user did not name."""
    if not path.exists():
        return
    settings = _demo_settings(path)
    if settings is not None:
        log.info("replacing the earlier demo case in %s", path)
        location = store_location(path, settings)
        same = database is not None and location == parse_database_url(database)
        if location.dialect != SQLITE and same:
            _drop_tables(location)
        shutil.rmtree(path)
        return
    if path.is_dir() and not any(path.iterdir()):
        return
    raise CaseExistsError(
        f"{path} exists and is not an earlier demo case; choose another "
        "folder for the demo (recount demo PATH)"
    )


def _demo_settings(path: Path) -> dict | None:
    """The settings of the case in ``path`` if it is a synthetic demo case, else None."""
    if not is_case(path):
        return None
    try:
        settings = tomllib.loads((path / SETTINGS_FILE).read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    return settings if settings.get("demo", {}).get("synthetic") is True else None


def _drop_tables(location: StoreLocation) -> None:
    engine = make_engine(location)
    try:
        schema.drop_case_tables(engine, location.label)
    finally:
        engine.dispose()


def _next_steps(path: Path, lists: Path) -> list[str]:
    case = f"--case {path}"
    return [
        f"recount {case} user add admin --role admin   an account for the browser",
        f"recount {case} serve                       the case in a browser, http://127.0.0.1:8000/",
        f"recount {case} status                      what the case holds",
        f"recount {case} records --source ngo        the NGO's list, in Cyrillic as imported",
        f"recount {case} export links --format csv   record → person, the linkage contract",
        f"recount {case} link --explain 1            why person 1's records were joined",
        f"recount {case} review --reviewer YOU       decide the pairs the model is unsure of",
        f"recount {case} estimate --strata sex       estimates by sex, and their total",
        f"recount {case} estimate --method dga       another model of the same lists",
        f"recount {case} estimate --linkage-thresholds 0.1,0.3,0.8   how linkage moves it",
        f"recount {case} estimate --rerun 1          reproduce the stored estimate exactly",
        f"recount {case} evidence list               photos and a report, hashed on arrival",
        f"recount {case} evidence verify             re-hash every file, check every chain",
        f"recount {case} figures {EVENT_SLUG}         who says how many, beside the case's own",
        f"recount {case} claims list                 the bulletin's figures, attributed",
        f"recount {case} event timeline              events, links, acts, interventions",
        f"recount {case} families --event {EVENT_SLUG}   no survivor; children who lost parents",
        f"recount {case} status counts --as-of 2000  still missing, identified, released",
        f"cat {lists / 'ngo.mapping.toml'}   how a Cyrillic cp1251 list is mapped",
        f"recount {case} import registry {lists / 'registry.csv'}   importing again adds nothing",
    ]
