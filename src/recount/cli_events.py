"""Event commands: ``recount event add|list``.

A thin front over ``recount.events``: it parses, calls the core and prints.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from recount.cli_base import JsonOption, app, case_context, out, print_json

event_app = typer.Typer(help="Register and list events.", no_args_is_help=True)
app.add_typer(event_app, name="event")


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

    with case_context() as case:
        event = add_event(case, slug, name, place, start, end, parent)
    if as_json:
        print_json(event.__dict__)
    else:
        out.print(f"Added event {event.slug!r}: {event.name}")


@event_app.command("list")
def event_list(as_json: JsonOption = False) -> None:
    """List the case's events."""
    from recount.events import list_events

    with case_context() as case:
        found = list_events(case)
    if as_json:
        print_json([e.__dict__ for e in found])
        return
    table = Table("slug", "name", "place", "from", "to", "precision")
    for e in found:
        table.add_row(e.slug, e.name, e.place or "", e.date_low or "", e.date_high or "",
                      e.date_precision or "")
    out.print(table if found else "No events yet: `recount event add SLUG --name ..`")
