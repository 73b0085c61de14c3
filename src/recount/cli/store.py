"""`recount backup`, `recount restore` and `recount store move`: keeping a case (the core is
``recount.case.keeping``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from recount.cli.base import (
    Commands,
    JsonOption,
    case_context,
    err,
    out,
    print_json,
)

commands = Commands()

store_app = typer.Typer(help="Where the case keeps its tables.", no_args_is_help=True)
commands.add_typer(store_app, name="store")


@contextmanager
def _progress(label: str) -> Iterator[Any]:
    """Files or rows done, on standard error, for a person at a terminal."""
    if not err.is_terminal:
        yield None
        return
    columns = (
        TextColumn(label),
        BarColumn(bar_width=None),
        TextColumn("{task.description}: {task.completed:,}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("", total=None)

        def advance(what: str, done: int, total: int | None) -> None:
            progress.update(task, description=what, completed=done, total=total)

        yield advance


@commands.command()
def backup(
    dest: Annotated[Path, typer.Argument(help="A new (or empty) folder for the backup.")],
    as_json: JsonOption = False,
) -> None:
    """A consistent backup of the case, even while it is in use: database, evidence, settings
    and a manifest of sha256 sums."""
    from recount.case.keeping import backup_case

    with case_context() as case, _progress("Backing up") as advance:
        result = backup_case(case, dest, advance)
    if as_json:
        print_json(result)
        return
    tables = result["tables"]
    out.print(
        f"Backed up the case to {result['backup']}: {result['files']} files, "
        f"{result['bytes'] / 1e6:,.1f} MB; {sum(t['rows'] for t in tables.values()):,} rows "
        f"in {len(tables)} tables; custody head {result['custody']['head'] or '(none)'}"
    )
    out.print(f"manifest.json sha256 {result['manifest_sha256']} (write it down to check later)")


@commands.command()
def restore(
    src: Annotated[Path, typer.Argument(help="A backup folder written by `recount backup`.")],
    path: Annotated[Path, typer.Argument(help="A new folder for the case (must not exist).")],
    database: Annotated[
        str | None,
        typer.Option(
            "--database",
            metavar="postgresql://USER@HOST/DB",
            help="Restore the tables into this empty PostgreSQL database (needed for a backup "
            "of a PostgreSQL case); the password comes from $PGPASSWORD or ~/.pgpass.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Rebuild a case from a backup, check it against the manifest and verify its evidence."""
    from recount.case.keeping import restore_case

    with _progress("Restoring") as advance:
        result = restore_case(src, path, database, advance)
    if as_json:
        print_json(result)
        return
    evidence = result["evidence"]
    out.print(
        f"Restored the case to {result['restored']} (store: {result['store']}): "
        f"{result['files']} files match the manifest; evidence verified "
        f"({evidence['items']} items, {evidence['entries']} custody entries, head "
        f"{result['custody']['head'] or '(none)'})"
    )
    if result["migrated_from"]:
        out.print(f"The case was migrated from schema revision {result['migrated_from']}.")


@store_app.command("move")
def move(
    to: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="postgresql://USER@HOST/DB",
            help="An empty PostgreSQL database; the password comes from $PGPASSWORD or ~/.pgpass.",
        ),
    ],
    as_json: JsonOption = False,
) -> None:
    """Move an SQLite case into PostgreSQL: every row copied and proven identical, evidence
    verified, then recount.toml switched (recount.db is kept, renamed)."""
    from recount.case.keeping import move_case

    with case_context() as case, _progress("Moving") as advance:
        result = move_case(case, to, advance)
    if as_json:
        print_json(result)
        return
    out.print(
        f"Moved the case to {result['to']}: {result['rows']:,} rows in "
        f"{len(result['tables'])} tables, identical digests; evidence verified."
    )
    if result["kept"]:
        out.print(f"The SQLite database is kept as {result['kept']}.")
