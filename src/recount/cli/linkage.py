"""`recount link` and `recount review`: the linkage commands of the CLI."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from recount.cli.base import (
    Commands,
    JsonOption,
    case_context,
    out,
    print_json,
    record_age,
    record_name,
    step_status,
)
from recount.errors import UsageError

if TYPE_CHECKING:
    from recount.linkage.run import LinkResult

commands = Commands()


class Backend(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


@commands.command()
def link(
    backend: Annotated[Backend, typer.Option(help="Where Splink runs.")] = Backend.duckdb,
    full: Annotated[bool, typer.Option("--full", help="Retrain and rescore every record.")] = False,
    rescore: Annotated[
        bool,
        typer.Option(
            "--rescore", help="Score every record with the newest model, without retraining."
        ),
    ] = False,
    threshold: Annotated[
        float | None,
        typer.Option(help="Match probability at which records join one person (default 0.5)."),
    ] = None,
    explain: Annotated[
        int | None,
        typer.Option(help="Show why the records of this person were joined, instead of linking."),
    ] = None,
    chart: Annotated[
        Path | None,
        typer.Option(help="With --explain: write Splink's waterfall chart here (HTML)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Link records from all sources into persons (Splink), keeping person ids stable."""
    if explain is not None:
        _explain(explain, chart, as_json)
        return
    from recount.linkage.run import link_case
    from recount.linkage.settings import LinkageSettings

    with case_context() as case, step_status() as progress:
        settings = LinkageSettings.for_case(case.settings, match_threshold=threshold)
        result = link_case(case, settings, backend.value, full, progress, rescore)
    if as_json:
        print_json(result.to_dict())
        return
    out.print(
        f"Linkage run {result.run_id} ({result.mode}, {result.backend}, "
        f"{result.seconds:.1f}s): {result.records:,} records → {result.persons:,} "
        f"persons at p ≥ {result.match_threshold}."
    )
    out.print(
        f"  scored records: {result.scored_records:,}; pairs kept: {result.pairs:,}; "
        f"merges: {result.merges:,}; splits: {result.splits:,}; "
        f"records without a name: {result.unlinkable:,}"
    )
    for note in result.notes:
        out.print(f"  note: {note}")
    _print_next(result)


def _explain(person: int, chart: Path | None, as_json: bool) -> None:
    from recount.linkage.explain import explain_person

    with case_context() as case:
        explanation = explain_person(case, person, chart)
    if as_json:
        print_json(explanation.to_dict())
        return
    out.print(f"[bold]Person {person}[/bold]: {len(explanation.records)} record(s)")
    table = Table("record", "source", "row", "name", "sex", "age", "date", "place", "fate")
    for r in explanation.records:
        table.add_row(
            str(r["record_id"]),
            r["source"],
            str(r["row_number"]),
            record_name(r),
            r["sex"] or "",
            record_age({**r, "age_approx": False}),
            r["date_low"] or "",
            r["place"] or "",
            r["fate"] or "",
        )
    out.print(table)
    if explanation.note:
        out.print(explanation.note)
    pairs = Table("pair", "probability", "match weight", *COMPARISON_COLUMNS)
    for p in explanation.pairs:
        pairs.add_row(
            f"{p.record_l}–{p.record_r}",
            f"{p.probability:.4f}",
            f"{p.weight:+.2f}",
            *(f"{p.weights.get(c, 0.0):+.2f} {p.levels.get(c, '')}" for c in COMPARISON_COLUMNS),
        )
    if explanation.pairs:
        out.print(pairs)
    if explanation.chart:
        out.print(f"Waterfall chart: {explanation.chart}")


COMPARISON_COLUMNS = ("name", "father", "sex", "birth_year", "date", "place")


def _print_next(result: LinkResult) -> None:
    """Where the review stands, and the next step."""
    out.print(
        f"  review: {result.labelled_pairs:,} pairs decided by reviewers; "
        f"{result.awaiting_review:,} uncertain pairs waiting"
    )
    if result.awaiting_review:
        out.print("  next: `recount review` asks about the uncertain pairs, most uncertain first")
    else:
        out.print(
            "  next: `recount estimate` counts the persons; `recount export persons` lists them"
        )


@commands.command()
def review(
    reviewer: Annotated[
        str | None, typer.Option(help="Your name, recorded with each label.")
    ] = None,
    low: Annotated[float | None, typer.Option(help="Lowest probability to review.")] = None,
    high: Annotated[float | None, typer.Option(help="Highest probability to review.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many pairs.")] = 50,
    export_labels: Annotated[
        Path | None, typer.Option("--export", help="Write all labels to this CSV and stop.")
    ] = None,
    import_labels: Annotated[
        Path | None, typer.Option("--import", help="Add the labels in this CSV and stop.")
    ] = None,
) -> None:
    """Decide uncertain pairs side by side: match, non-match, unsure or skip."""
    from recount.cli.review_terminal import review_session
    from recount.linkage import review as core
    from recount.linkage.settings import LinkageSettings

    with case_context() as case:
        if export_labels is not None:
            with export_labels.open("w", encoding="utf-8", newline="") as handle:
                count = core.export_labels(case, handle)
            out.print(f"Wrote {count} labels to {export_labels}")
            return
        if import_labels is not None:
            out.print(
                f"Added {core.import_labels(case, import_labels)} labels from {import_labels}"
            )
            return
        band = LinkageSettings.for_case(case.settings).review_band
        if reviewer is None:
            raise UsageError("say who is reviewing: recount review --reviewer NAME")
        review_session(
            case,
            reviewer,
            low if low is not None else band[0],
            high if high is not None else band[1],
            limit,
            out,
        )
