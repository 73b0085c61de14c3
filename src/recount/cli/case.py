"""The case's own commands: init, source, import, records, export and demo.

A thin front: it parses, calls the core, and prints.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from recount.cli.base import (
    Commands,
    DatabaseOption,
    JsonOption,
    case_context,
    err,
    out,
    print_json,
    record_age,
    record_date,
    record_name,
    row_progress,
    state,
    step_status,
)
from recount.vocabulary import SOURCE_KINDS

if TYPE_CHECKING:
    from collections.abc import Callable

    from recount._typing import Progress

commands = Commands()

source_app = typer.Typer(help="Register and list sources.", no_args_is_help=True)
commands.add_typer(source_app, name="source")


SourceKind = StrEnum("SourceKind", {kind: kind for kind in SOURCE_KINDS})


class ExportTable(StrEnum):
    records = "records"
    links = "links"
    persons = "persons"
    claims = "claims"


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"


# --- case and sources ----------------------------------------------------------------------


@commands.command()
def init(
    path: Annotated[
        Path | None, typer.Argument(help="Folder for the case (default: here).")
    ] = None,
    name: Annotated[str | None, typer.Option(help="A name for the case.")] = None,
    database: DatabaseOption = None,
) -> None:
    """Create a case folder: recount.db (or a PostgreSQL database), evidence/, recount.toml."""
    from recount.case.folder import init_case, resolve_path

    case = init_case(path or resolve_path(state.case_path), name=name, database=database)
    case.close()
    out.print(f"Created case {case.name!r} in {case.root} (store: {case.store.label})")


def print_summary(summary: Any) -> None:
    out.print(f"[bold]{summary.name}[/bold]  ({summary.path})")
    out.print(f"{summary.records} records, {summary.persons} persons, {summary.events} events")
    table = Table("source", "kind", "name", "imports", "records")
    for source in summary.sources:
        table.add_row(
            source.slug, source.kind, source.name, str(source.imports), str(source.records)
        )
    out.print(table)


@source_app.command("add")
def source_add(
    slug: Annotated[str, typer.Argument(help="Short id, e.g. ministry-1993.")],
    name: Annotated[str, typer.Option(help="The source's full name.")],
    kind: Annotated[SourceKind, typer.Option(help="What kind of source it is.")],
    as_json: JsonOption = False,
) -> None:
    """Register a source of records, documents or figures."""
    from recount.case.sources import add_source

    with case_context() as case:
        source = add_source(case, slug, name, kind.value)
    if as_json:
        print_json(source.__dict__)
    else:
        out.print(f"Added source {source.slug!r} ({source.kind}): {source.name}")


@source_app.command("list")
def source_list(as_json: JsonOption = False) -> None:
    """List the case's sources with their imports and records."""
    from recount.case.sources import list_sources

    with case_context() as case:
        found = list_sources(case)
    if as_json:
        print_json([s.__dict__ for s in found])
        return
    table = Table("slug", "kind", "name", "imports", "records", "added")
    for s in found:
        table.add_row(s.slug, s.kind, s.name, str(s.imports), str(s.records), s.created_at[:10])
    out.print(table if found else "No sources yet: `recount source add SLUG --name .. --kind ..`")


# --- import, inspect, export ---------------------------------------------------------------


@commands.command("import")
def import_(
    source: Annotated[str, typer.Argument(help="The source's slug.")],
    file: Annotated[Path, typer.Argument(help="CSV, XLSX, JSON or JSONL file of records.")],
    mapping: Annotated[
        Path | None, typer.Option(help="TOML mapping of columns and values.")
    ] = None,
    event: Annotated[str | None, typer.Option(help="Attach the records to this event.")] = None,
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid", help="Import the valid rows; write the others to a rejects file."
        ),
    ] = False,
    rejects: Annotated[Path | None, typer.Option(help="Where to write rejected rows.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Import a list of records from a source. All or nothing unless --skip-invalid."""
    from recount.families.derive import derive_after_import
    from recount.ingest.importer import import_file

    with case_context() as case:
        with row_progress(f"Importing {file.name}") as advance:
            progress = _rows_progress(advance)
            result = import_file(
                case, source, file, mapping, event, skip_invalid, rejects, progress
            )
        relations = None if result.already_imported else derive_after_import(case, result.import_id)
    if as_json:
        print_json({**result.to_dict(), "relations": relations and relations.to_dict()})
    elif result.already_imported:
        prev = result.previous or {}
        out.print(
            f"{file} was already imported (import {prev.get('id')}, source "
            f"{prev.get('source')!r}, {prev.get('imported_at', '')[:19]}); nothing added."
        )
    else:
        out.print(
            f"Imported {result.imported} records from {file} into source {source!r} "
            f"({result.format}, {result.encoding or 'binary'}) in {result.seconds:.1f}s."
        )
        if relations is not None:
            out.print(
                f"Derived {sum(relations.added.values())} family relations from its "
                f"household and parents' name columns ({len(relations.skipped)} rows "
                "skipped: `recount relation derive --json` says why)."
            )
        if result.rejected:
            out.print(f"Rejected {result.rejected} rows; reasons in {result.rejects_file}")


def _rows_progress(advance: Callable[[int], None] | None) -> Progress | None:
    """The core's progress (what, done, total) drawn as a row counter."""
    if advance is None:
        return None
    return lambda _what, done, _total: advance(done)


@commands.command("records")
def records_(
    source: Annotated[str | None, typer.Option(help="Only this source's records.")] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """Show records as the sources gave them (names in their own script)."""
    from itertools import islice

    from recount.export.tables import export_rows

    with case_context() as case:
        rows = list(islice(export_rows(case, "records", source), limit))
    if as_json:
        print_json(rows)
        return
    table = Table("source", "row", "person", "name", "sex", "age", "date", "place", "fate")
    for r in rows:
        table.add_row(
            r["source"],
            str(r["row_number"]),
            str(r["person_id"]),
            record_name(r),
            r["sex"] or "",
            record_age(r),
            record_date(r),
            r["place"] or "",
            r["fate"] or "",
        )
    out.print(table if rows else "No records yet: `recount import SOURCE FILE`")


@commands.command("export")
def export(
    what: Annotated[ExportTable, typer.Argument(help="Which table.")],
    format_: Annotated[
        ExportFormat, typer.Option("--format", help="csv or json.")
    ] = ExportFormat.csv,
    output: Annotated[
        Path | None, typer.Option(help="Write here instead of standard output.")
    ] = None,
    source: Annotated[str | None, typer.Option(help="Only this source's rows.")] = None,
    threshold: Annotated[
        float | None,
        typer.Option(
            help="links: the persons that clustering at this match probability would give."
        ),
    ] = None,
    public: Annotated[
        bool,
        typer.Option(
            "--public",
            help="Only what the public view may show: publishable records, whitelisted columns.",
        ),
    ] = False,
) -> None:
    """Export records, links (record → person), persons or claims as CSV or JSON."""
    from recount.export.redacted import redacted_export
    from recount.export.tables import export_columns, export_rows
    from recount.export.writers import WRITERS

    write = WRITERS[format_.value]
    columns = export_columns(what.value)
    with case_context() as case:
        if public:
            columns, rows = redacted_export(case, what.value, None, source)
        else:
            rows = export_rows(case, what.value, source, threshold)
        if output is None:
            write(rows, sys.stdout, columns)
            return
        partial = output.with_name(output.name + ".partial")
        with partial.open("w", encoding="utf-8", newline="") as handle:
            count = write(rows, handle, columns)
        partial.replace(output)
    err.print(f"Wrote {count} {what.value} to {output}")


# --- demo ----------------------------------------------------------------------------------


@commands.command()
def demo(
    path: Annotated[Path, typer.Argument(help="Folder for the demo case.")] = Path("demo-case"),
    seed: Annotated[int, typer.Option(help="Seed of the simulation.")] = 1992,
    size: Annotated[int, typer.Option(help="People in the fictional population.")] = 2000,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Build a whole fictional case: simulated lists linked and estimated, evidence, events,
    acts, families, statuses and the claims of a fictional bulletin."""
    from recount.demo.run import run_demo

    # One live display for every stage: import rows, linkage steps, sweeps.
    with step_status() as progress:
        result = run_demo(path, seed=seed, size=size, progress=progress, database=database)
    if as_json:
        print_json(result.to_dict())
        return
    out.print(
        "[bold]recount demo[/bold]: a fictional event with synthetic victims' lists. "
        "Every name in it is invented."
    )
    print_summary(result.summary)
    out.print(
        f"True population (known only because it is simulated): {result.true_size} "
        f"people, {result.true_listed} of them on at least one list."
    )
    link, accuracy = result.linkage, result.accuracy
    out.print(
        f"Linkage: {link['records']:,} records → {link['persons']:,} persons in "
        f"{link['seconds']:.1f}s. Against the simulated truth: pairwise precision "
        f"{accuracy['precision']:.3f}, recall {accuracy['recall']:.3f}, "
        f"F1 {accuracy['f1']:.3f}."
    )
    estimate = result.estimate
    low, high = estimate["interval"]
    inside = "inside" if low <= result.true_size <= high else "OUTSIDE"
    out.print(
        f"Estimate {estimate['id']} ({estimate['method']}): {estimate['estimate']:,} "
        f"people (95% interval {low:,} to {high:,}) from {estimate['observed']:,} "
        f"documented persons. The simulated truth, {result.true_size:,}, is {inside} "
        f"the interval. Chart: {estimate['charts'][0]}"
    )
    photos = sum(1 for item in result.evidence if item.media_type.startswith("image/"))
    out.print(
        f"Evidence: {len(result.evidence)} synthetic items ({photos} photographs, the "
        "rest documents) stored by sha256, each with a custody chain."
    )
    story = result.story
    out.print(
        f"Story: {story['acts']} acts, {story['interventions']} interventions, "
        f"{story['relations']} family relations from the register, "
        f"{story['status_changes']} status changes; {story['claims']} figures from a "
        f"fictional bulletin saved as claims ({story['accepted']} accepted, "
        f"{len(story['unattached'])} left unattached for a person to place)."
    )
    out.print("\nTry next:")
    for line in result.next_steps:
        out.print(f"  {line}")
