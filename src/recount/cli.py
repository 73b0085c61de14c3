"""The command line: a thin Typer front. It parses, calls the core, and prints.

Errors the user can act on (``recount.errors.RecountError``) become one message on standard
error and the exit code the error names (1 input, 2 usage, 3 integrity); never a traceback.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from recount import __version__
from recount.errors import RecountError, UsageError, ValidationError

if TYPE_CHECKING:
    from recount.case import Case

app = typer.Typer(help="recount: victims' lists, evidence and figures as an accountable record.",
                  no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                  pretty_exceptions_enable=False)
source_app = typer.Typer(help="Register and list sources.", no_args_is_help=True)
event_app = typer.Typer(help="Register and list events.", no_args_is_help=True)
app.add_typer(source_app, name="source")
app.add_typer(event_app, name="event")

# Piped output is read by people later (or by grep): do not wrap tables at 80 columns.
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class _State:
    case_path: Path | None = None


state = _State()

JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


class SourceKind(StrEnum):
    government = "government"
    ngo = "ngo"
    media = "media"
    court = "court"
    forensic = "forensic"
    witness = "witness"
    other = "other"


class ExportTable(StrEnum):
    records = "records"
    links = "links"
    persons = "persons"


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"


def _version(value: bool) -> None:
    if value:
        out.print(f"recount {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    case: Annotated[Path | None, typer.Option(
        "--case", envvar="RECOUNT_CASE", help="The case folder (default: the current folder).")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what happens.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    state.case_path = case
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    # Splink reports untrainable levels as warnings; recount keeps them as notes of the run.
    logging.getLogger("splink").setLevel(logging.INFO if verbose else logging.ERROR)


@contextmanager
def _case() -> Iterator[Case]:
    from recount.case import open_case

    case = open_case(state.case_path)
    if case.backup is not None:
        err.print(f"Migrated the case to this version of recount; backup: {case.backup}")
    try:
        yield case
    finally:
        case.close()


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


# --- case and sources ----------------------------------------------------------------------

@app.command()
def init(
    path: Annotated[Path | None, typer.Argument(help="Folder for the case (default: here).")]
    = None,
    name: Annotated[str | None, typer.Option(help="A name for the case.")] = None,
) -> None:
    """Create a case folder: recount.db, evidence/, recount.toml."""
    from recount.case import init_case, resolve_path

    case = init_case(path or resolve_path(state.case_path), name=name)
    case.close()
    out.print(f"Created case {case.name!r} in {case.root}")


@app.command()
def status(as_json: JsonOption = False) -> None:
    """What the case holds: sources, imports, records, persons."""
    from recount.summary import summarise

    with _case() as case:
        summary = summarise(case)
    if as_json:
        _print_json(summary.to_dict())
        return
    _print_summary(summary)


def _print_summary(summary: Any) -> None:
    out.print(f"[bold]{summary.name}[/bold]  ({summary.path})")
    out.print(f"{summary.records} records, {summary.persons} persons, {summary.events} events")
    table = Table("source", "kind", "name", "imports", "records")
    for source in summary.sources:
        table.add_row(source.slug, source.kind, source.name, str(source.imports),
                      str(source.records))
    out.print(table)


@source_app.command("add")
def source_add(
    slug: Annotated[str, typer.Argument(help="Short id, e.g. ministry-1993.")],
    name: Annotated[str, typer.Option(help="The source's full name.")],
    kind: Annotated[SourceKind, typer.Option(help="What kind of source it is.")],
    as_json: JsonOption = False,
) -> None:
    """Register a source of records, documents or figures."""
    from recount.sources import add_source

    with _case() as case:
        source = add_source(case, slug, name, kind.value)
    if as_json:
        _print_json(source.__dict__)
    else:
        out.print(f"Added source {source.slug!r} ({source.kind}): {source.name}")


@source_app.command("list")
def source_list(as_json: JsonOption = False) -> None:
    """List the case's sources with their imports and records."""
    from recount.sources import list_sources

    with _case() as case:
        found = list_sources(case)
    if as_json:
        _print_json([s.__dict__ for s in found])
        return
    table = Table("slug", "kind", "name", "imports", "records", "added")
    for s in found:
        table.add_row(s.slug, s.kind, s.name, str(s.imports), str(s.records), s.created_at[:10])
    out.print(table if found else "No sources yet: `recount source add SLUG --name .. --kind ..`")


@event_app.command("add")
def event_add(
    slug: Annotated[str, typer.Argument(help="Short id, e.g. town-1992-02.")],
    name: Annotated[str, typer.Option(help="The event's name.")],
    place: Annotated[str | None, typer.Option(help="Where it happened.")] = None,
    start: Annotated[str | None, typer.Option(help="When it started: 1992, 1992-02, ...")]
    = None,
    end: Annotated[str | None, typer.Option(help="When it ended.")] = None,
    parent: Annotated[str | None, typer.Option(help="The event this one is part of.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Register an event that records and figures can attach to."""
    from recount.events import add_event

    with _case() as case:
        event = add_event(case, slug, name, place, start, end, parent)
    if as_json:
        _print_json(event.__dict__)
    else:
        out.print(f"Added event {event.slug!r}: {event.name}")


@event_app.command("list")
def event_list(as_json: JsonOption = False) -> None:
    """List the case's events."""
    from recount.events import list_events

    with _case() as case:
        found = list_events(case)
    if as_json:
        _print_json([e.__dict__ for e in found])
        return
    table = Table("slug", "name", "place", "from", "to", "precision")
    for e in found:
        table.add_row(e.slug, e.name, e.place or "", e.date_low or "", e.date_high or "",
                      e.date_precision or "")
    out.print(table if found else "No events yet: `recount event add SLUG --name ..`")


# --- import, inspect, export ---------------------------------------------------------------

@app.command("import")
def import_(
    source: Annotated[str, typer.Argument(help="The source's slug.")],
    file: Annotated[Path, typer.Argument(help="CSV, XLSX, JSON or JSONL file of records.")],
    mapping: Annotated[Path | None, typer.Option(help="TOML mapping of columns and values.")]
    = None,
    event: Annotated[str | None, typer.Option(help="Attach the records to this event.")] = None,
    skip_invalid: Annotated[bool, typer.Option(
        "--skip-invalid", help="Import the valid rows; write the others to a rejects file.")]
    = False,
    rejects: Annotated[Path | None, typer.Option(help="Where to write rejected rows.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Import a list of records from a source. All or nothing unless --skip-invalid."""
    from recount.ingest.importer import import_file

    with _case() as case, _progress(f"Importing {file.name}") as advance:
        result = import_file(case, source, file, mapping, event, skip_invalid, rejects, advance)
    if as_json:
        _print_json(result.to_dict())
    elif result.already_imported:
        prev = result.previous or {}
        out.print(f"{file} was already imported (import {prev.get('id')}, source "
                  f"{prev.get('source')!r}, {prev.get('imported_at', '')[:19]}); nothing added.")
    else:
        out.print(f"Imported {result.imported} records from {file} into source {source!r} "
                  f"({result.format}, {result.encoding or 'binary'}) in {result.seconds:.1f}s.")
        if result.rejected:
            out.print(f"Rejected {result.rejected} rows; reasons in {result.rejects_file}")


@contextmanager
def _progress(label: str) -> Iterator[Any]:
    """A progress counter on standard error, shown only to a person at a terminal."""
    if not err.is_terminal:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(bar_width=None),
               TextColumn("{task.completed:,} rows"), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task(label, total=None)
        yield lambda rows: progress.update(task, completed=rows)


@app.command("records")
def records_(
    source: Annotated[str | None, typer.Option(help="Only this source's records.")] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """Show records as the sources gave them (names in their own script)."""
    from itertools import islice

    from recount.export.tables import export_rows

    with _case() as case:
        if source is not None:
            _check_source(case, source)
        rows = list(islice(export_rows(case, "records", source), limit))
    if as_json:
        _print_json(rows)
        return
    table = Table("source", "row", "person", "name", "sex", "age", "date", "place", "fate")
    for r in rows:
        table.add_row(r["source"], str(r["row_number"]), str(r["person_id"]), _name(r),
                      r["sex"] or "", _age(r), _date(r), r["place"] or "", r["fate"] or "")
    out.print(table if rows else "No records yet: `recount import SOURCE FILE`")


def _check_source(case: Case, slug: str) -> None:
    from recount.sources import get_source

    with case.engine.connect() as conn:
        get_source(conn, slug)


def _name(r: dict) -> str:
    parts = (r["family_name"], r["given_name"], r["patronymic"])
    return r["full_name"] or " ".join(p for p in parts if p)


def _age(r: dict) -> str:
    if r["age_low"] is None:
        return ""
    text = str(r["age_low"]) if r["age_high"] == r["age_low"] else \
        f"{r['age_low']}-{r['age_high'] if r['age_high'] is not None else ''}"
    return f"~{text}" if r["age_approx"] else text


def _date(r: dict) -> str:
    if r["date_low"] is None:
        return ""
    if r["date_precision"] == "range":
        return f"{r['date_low']}/{r['date_high']}"
    return {"year": r["date_low"][:4], "month": r["date_low"][:7]}.get(r["date_precision"],
                                                                      r["date_low"])


@app.command("export")
def export(
    what: Annotated[ExportTable, typer.Argument(help="Which table.")],
    format_: Annotated[ExportFormat, typer.Option("--format", help="csv or json.")]
    = ExportFormat.csv,
    output: Annotated[Path | None, typer.Option(help="Write here instead of standard output.")]
    = None,
    source: Annotated[str | None, typer.Option(help="Only this source's rows.")] = None,
    threshold: Annotated[float | None, typer.Option(
        help="links: the persons that clustering at this match probability would give.")]
    = None,
) -> None:
    """Export records, links (record → person) or persons as CSV or JSON."""
    from recount.export.tables import export_columns, export_rows
    from recount.export.writers import WRITERS

    write = WRITERS[format_.value]
    columns = export_columns(what.value)
    with _case() as case:
        if source is not None:
            _check_source(case, source)
        rows = export_rows(case, what.value, source, threshold)
        if output is None:
            write(rows, sys.stdout, columns)
            return
        partial = output.with_name(output.name + ".partial")
        with partial.open("w", encoding="utf-8", newline="") as handle:
            count = write(rows, handle, columns)
        partial.replace(output)
    err.print(f"Wrote {count} {what.value} to {output}")


# --- linkage -------------------------------------------------------------------------------

class Backend(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


@app.command()
def link(
    backend: Annotated[Backend, typer.Option(help="Where Splink runs.")] = Backend.duckdb,
    full: Annotated[bool, typer.Option("--full", help="Retrain and rescore every record.")]
    = False,
    rescore: Annotated[bool, typer.Option(
        "--rescore", help="Score every record with the newest model, without retraining.")]
    = False,
    threshold: Annotated[float | None, typer.Option(
        help="Match probability at which records join one person (default 0.5).")] = None,
    explain: Annotated[int | None, typer.Option(
        help="Show why the records of this person were joined, instead of linking.")] = None,
    chart: Annotated[Path | None, typer.Option(
        help="With --explain: write Splink's waterfall chart here (HTML).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Link records from all sources into persons (Splink), keeping person ids stable."""
    if explain is not None:
        _explain(explain, chart, as_json)
        return
    from recount.linkage.run import link_case
    from recount.linkage.settings import LinkageSettings

    with _case() as case, _status() as step:
        settings = LinkageSettings.for_case(case.settings, match_threshold=threshold)
        if full and rescore:
            raise UsageError("--full retrains, --rescore reuses the model: choose one")
        result = link_case(case, settings, backend.value, full, step, rescore)
    if as_json:
        _print_json(result.to_dict())
        return
    out.print(f"Linkage run {result.run_id} ({result.mode}, {result.backend}, "
              f"{result.seconds:.1f}s): {result.records:,} records → {result.persons:,} "
              f"persons at p ≥ {result.match_threshold}.")
    out.print(f"  scored records: {result.scored_records:,}; pairs kept: {result.pairs:,}; "
              f"merges: {result.merges:,}; splits: {result.splits:,}; "
              f"records without a name: {result.unlinkable:,}")
    for note in result.notes:
        out.print(f"  note: {note}")


def _explain(person: int, chart: Path | None, as_json: bool) -> None:
    from recount.linkage.explain import explain_person

    with _case() as case:
        explanation = explain_person(case, person, chart)
    if as_json:
        _print_json(explanation.to_dict())
        return
    out.print(f"[bold]Person {person}[/bold]: {len(explanation.records)} record(s)")
    table = Table("record", "source", "row", "name", "sex", "age", "date", "place", "fate")
    for r in explanation.records:
        table.add_row(str(r["record_id"]), r["source"], str(r["row_number"]), _name(r),
                      r["sex"] or "", _age({**r, "age_approx": False}), r["date_low"] or "",
                      r["place"] or "", r["fate"] or "")
    out.print(table)
    if explanation.note:
        out.print(explanation.note)
    pairs = Table("pair", "probability", "match weight", *COMPARISON_COLUMNS)
    for p in explanation.pairs:
        pairs.add_row(f"{p.record_l}–{p.record_r}", f"{p.probability:.4f}", f"{p.weight:+.2f}",
                      *(f"{p.weights.get(c, 0.0):+.2f} {p.levels.get(c, '')}"
                        for c in COMPARISON_COLUMNS))
    if explanation.pairs:
        out.print(pairs)
    if explanation.chart:
        out.print(f"Waterfall chart: {explanation.chart}")


COMPARISON_COLUMNS = ("name", "father", "sex", "birth_year", "date", "place")


@contextmanager
def _status() -> Iterator[Any]:
    """A one-line status of the current step on standard error, for a person at a terminal."""
    if not err.is_terminal:
        yield None
        return
    with err.status("Working…") as status:
        yield lambda message: status.update(message)


@app.command()
def review(
    reviewer: Annotated[str | None, typer.Option(help="Your name, recorded with each label.")]
    = None,
    low: Annotated[float | None, typer.Option(help="Lowest probability to review.")] = None,
    high: Annotated[float | None, typer.Option(help="Highest probability to review.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many pairs.")] = 50,
    export_labels: Annotated[Path | None, typer.Option(
        "--export", help="Write all labels to this CSV and stop.")] = None,
    import_labels: Annotated[Path | None, typer.Option(
        "--import", help="Add the labels in this CSV and stop.")] = None,
) -> None:
    """Decide uncertain pairs side by side: match, non-match, unsure or skip."""
    from recount.linkage import review as core
    from recount.linkage.settings import LinkageSettings
    from recount.review_cli import review_session

    with _case() as case:
        if export_labels is not None:
            with export_labels.open("w", encoding="utf-8", newline="") as handle:
                count = core.export_labels(case, handle)
            out.print(f"Wrote {count} labels to {export_labels}")
            return
        if import_labels is not None:
            out.print(f"Added {core.import_labels(case, import_labels)} labels from "
                      f"{import_labels}")
            return
        band = LinkageSettings.for_case(case.settings).review_band
        if reviewer is None:
            raise UsageError("say who is reviewing: recount review --reviewer NAME")
        review_session(case, reviewer, low if low is not None else band[0],
                       high if high is not None else band[1], limit, out)


# --- demo ----------------------------------------------------------------------------------

@app.command()
def demo(
    path: Annotated[Path, typer.Argument(help="Folder for the demo case.")] = Path("demo-case"),
    seed: Annotated[int, typer.Option(help="Seed of the simulation.")] = 1992,
    size: Annotated[int, typer.Option(help="People in the fictional population.")] = 2000,
    as_json: JsonOption = False,
) -> None:
    """Build a case from four simulated (fictional, synthetic) sources and import them."""
    from recount.demo import run_demo

    # One live display at a time: the status line shows both import rows and linkage steps.
    with _status() as step:
        advance = (lambda rows: step(f"importing lists, {rows:,} rows")) if step else None
        result = run_demo(path, seed=seed, size=size, progress=advance, step=step)
    if as_json:
        _print_json(result.to_dict())
        return
    out.print("[bold]recount demo[/bold]: a fictional event with synthetic victims' lists. "
              "Every name in it is invented.")
    _print_summary(result.summary)
    out.print(f"True population (known only because it is simulated): {result.true_size} "
              f"people, {result.true_listed} of them on at least one list.")
    link, accuracy = result.linkage, result.accuracy
    out.print(f"Linkage: {link['records']:,} records → {link['persons']:,} persons in "
              f"{link['seconds']:.1f}s. Against the simulated truth: pairwise precision "
              f"{accuracy['precision']:.3f}, recall {accuracy['recall']:.3f}, "
              f"F1 {accuracy['f1']:.3f}.")
    out.print("\nTry next:")
    for line in result.next_steps:
        out.print(f"  {line}")


# --- entry point ---------------------------------------------------------------------------

def main() -> None:
    """Run the CLI; Typer itself reports usage errors (exit 2)."""
    try:
        app()
    except ValidationError as exc:
        if "--json" in sys.argv:
            _print_json(exc.to_dict())
        err.print(str(exc), markup=False)
        sys.exit(exc.exit_code)
    except RecountError as exc:
        if "--json" in sys.argv:
            _print_json(exc.to_dict())
        err.print(f"Error: {exc}", markup=False)
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)


if __name__ == "__main__":
    main()
