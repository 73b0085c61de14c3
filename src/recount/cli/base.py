"""What every command of the CLI shares: the consoles, the case, options, JSON output.

Each command module records its commands on a :class:`Commands` of its own; importing a module
changes nothing else. ``cli/app.py`` builds the app and registers every module explicitly.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from recount import __version__

if TYPE_CHECKING:
    from recount._typing import Progress as ProgressCallback
    from recount.case.folder import Case

APP_HELP = "recount: victims' lists, evidence and figures as an accountable record."


@dataclass
class Commands:
    """The commands and groups one module defines, added to an app only by :meth:`register`.

    Used like a Typer app: ``@commands.command("link")`` and ``commands.add_typer(group,
    name="claims")``; nothing is registered anywhere until ``register(app)`` is called.
    """

    steps: list[tuple[str, tuple, dict, Callable | None]] = field(default_factory=list)

    def command(self, *args: Any, **kwargs: Any) -> Callable[[Callable], Callable]:
        def record(function: Callable) -> Callable:
            self.steps.append(("command", args, kwargs, function))
            return function

        return record

    def add_typer(self, group: typer.Typer, **kwargs: Any) -> None:
        self.steps.append(("add_typer", (group,), kwargs, None))

    def register(self, app: typer.Typer) -> None:
        for kind, args, kwargs, function in self.steps:
            if kind == "command":
                app.command(*args, **kwargs)(function)
            else:
                app.add_typer(*args, **kwargs)


# Piped output is read by people later (or by grep): do not wrap tables at 80 columns.
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class _State:
    case_path: Path | None = None


state = _State()

JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database",
        metavar="postgresql://USER@HOST/DB",
        help="Keep the case's tables in this (empty) PostgreSQL database instead of recount.db; "
        "the password comes from $PGPASSWORD or ~/.pgpass, never from a file of recount's.",
    ),
]
ActorOption = Annotated[
    str | None,
    typer.Option("--actor", help="Who is acting (default: $RECOUNT_ACTOR, else your login name)."),
]


def _version(value: bool) -> None:
    if value:
        out.print(f"recount {__version__}")
        raise typer.Exit()


def main_options(
    case: Annotated[
        Path | None,
        typer.Option(
            "--case", envvar="RECOUNT_CASE", help="The case folder (default: the current folder)."
        ),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what happens.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    state.case_path = case
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # Splink reports untrainable levels as warnings; recount keeps them as notes of the run.
    logging.getLogger("splink").setLevel(logging.INFO if verbose else logging.ERROR)


@contextmanager
def case_context() -> Iterator[Case]:
    from recount.case.folder import open_case

    case = open_case(state.case_path)
    if case.backup is not None:
        err.print(f"Migrated the case to this version of recount; backup: {case.backup}")
    try:
        yield case
    finally:
        case.close()


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


@contextmanager
def row_progress(label: str) -> Iterator[Any]:
    """A progress counter on standard error, shown only to a person at a terminal."""
    if not err.is_terminal:
        yield None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(bar_width=None),
        TextColumn("{task.completed:,} rows"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task(label, total=None)
        yield lambda rows: progress.update(task, completed=rows)


@contextmanager
def step_status() -> Iterator[ProgressCallback | None]:
    """A one-line status of the current step on standard error, for a person at a terminal:
    a :data:`recount._typing.Progress` showing ``what`` with its count (and total) so far."""
    if not err.is_terminal:
        yield None
        return
    with err.status("Working…") as status:

        def show(what: str, done: int, total: int | None) -> None:
            if total:
                status.update(f"{what}: {done:,} of {total:,}")
            else:
                status.update(f"{what}: {done:,}" if done else what)

        yield show


def record_name(r: dict) -> str:
    parts = (r["family_name"], r["given_name"], r["patronymic"])
    return r["full_name"] or " ".join(p for p in parts if p)


def record_age(r: dict) -> str:
    if r["age_low"] is None:
        return ""
    text = (
        str(r["age_low"])
        if r["age_high"] == r["age_low"]
        else f"{r['age_low']}-{r['age_high'] if r['age_high'] is not None else ''}"
    )
    return f"~{text}" if r["age_approx"] else text


def record_date(r: dict) -> str:
    if r["date_low"] is None:
        return ""
    if r["date_precision"] == "range":
        return f"{r['date_low']}/{r['date_high']}"
    return {"year": r["date_low"][:4], "month": r["date_low"][:7]}.get(
        r["date_precision"], r["date_low"]
    )
