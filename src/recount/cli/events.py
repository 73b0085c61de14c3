"""Event commands: ``recount event add|edit|link|list|show|timeline``.

A thin front over ``recount.events.event``, ``recount.events.links`` and
``recount.events.timeline``: it parses, calls the core and prints. Acts, actors, instruments and
interventions are in ``cli_acts``, registered from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from recount.cli.base import (
    Commands,
    JsonOption,
    case_context,
    out,
    print_json,
)

if TYPE_CHECKING:
    from recount.events.event import Event
    from recount.events.links import EventLink
    from recount.events.timeline import EventDetails

commands = Commands()

event_app = typer.Typer(help="Events, their links and the timeline.", no_args_is_help=True)
commands.add_typer(event_app, name="event")

ActorOption = Annotated[
    str | None,
    typer.Option(
        "--actor", help="Who is recording this (default: $RECOUNT_ACTOR, else your login name)."
    ),
]
SourceOption = Annotated[str | None, typer.Option("--source", help="The source that says so.")]
NoteOption = Annotated[str | None, typer.Option(help="A note.")]
PlacePrecisionOption = Annotated[
    str | None,
    typer.Option("--place-precision", help="exact, near, district, province, country or unknown."),
]
LatitudeOption = Annotated[float | None, typer.Option(help="Latitude, -90 to 90.")]
LongitudeOption = Annotated[float | None, typer.Option(help="Longitude, -180 to 180.")]
DescriptionOption = Annotated[str | None, typer.Option(help="What happened, briefly.")]


def actor_name(given: str | None) -> str:
    from recount.evidence.signing import default_actor_name

    return given.strip() if given and given.strip() else default_actor_name()


@event_app.command("add")
def event_add(
    slug: Annotated[str, typer.Argument(help="Short id, e.g. town-1992-02.")],
    name: Annotated[str, typer.Option(help="The event's name.")],
    place: Annotated[str | None, typer.Option(help="Where it happened.")] = None,
    start: Annotated[str | None, typer.Option(help="When it started: 1992, 1992-02, ...")] = None,
    end: Annotated[str | None, typer.Option(help="When it ended.")] = None,
    parent: Annotated[str | None, typer.Option(help="The event this one is part of.")] = None,
    place_precision: PlacePrecisionOption = None,
    latitude: LatitudeOption = None,
    longitude: LongitudeOption = None,
    description: DescriptionOption = None,
    as_json: JsonOption = False,
) -> None:
    """Register an event; the date precision (day, month, year, range) comes from --start/--end."""
    from recount.events.event import add_event

    with case_context() as case:
        event = add_event(
            case,
            slug,
            name,
            place,
            start,
            end,
            parent,
            place_precision=place_precision,
            latitude=latitude,
            longitude=longitude,
            description=description,
        )
    if as_json:
        print_json(event.to_dict())
    else:
        out.print(
            f"Added event {event.slug!r}: {escape(event.name)}"
            + (f" ({event.when})" if event.when else "")
        )


@event_app.command("edit")
def event_edit(
    slug: Annotated[str, typer.Argument(help="The event's slug.")],
    name: Annotated[str | None, typer.Option(help="A new name.")] = None,
    place: Annotated[str | None, typer.Option(help="Where it happened.")] = None,
    start: Annotated[str | None, typer.Option(help="When it started.")] = None,
    end: Annotated[str | None, typer.Option(help="When it ended (with --start).")] = None,
    parent: Annotated[str | None, typer.Option(help="The event this one is part of.")] = None,
    place_precision: PlacePrecisionOption = None,
    latitude: LatitudeOption = None,
    longitude: LongitudeOption = None,
    description: DescriptionOption = None,
    as_json: JsonOption = False,
) -> None:
    """Change an event's fields; the options not given stay as they are."""
    from recount.events.event import edit_event

    with case_context() as case:
        event = edit_event(
            case,
            slug,
            name=name,
            place=place,
            start=start,
            end=end,
            parent=parent,
            place_precision=place_precision,
            latitude=latitude,
            longitude=longitude,
            description=description,
        )
    if as_json:
        print_json(event.to_dict())
    else:
        out.print(f"Updated event {event.slug!r}: {escape(event.name)}")


@event_app.command("link")
def event_link(
    event: Annotated[str, typer.Argument(help="The first event's slug.")],
    kind: Annotated[str, typer.Argument(help="precedes, follows, part-of or caused-by.")],
    other: Annotated[str, typer.Argument(help="The second event's slug.")],
    source: SourceOption = None,
    note: NoteOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Link two events: EVENT precedes|follows|part-of|caused-by OTHER."""
    from recount.events.links import link_events

    with case_context() as case:
        link = link_events(case, event, kind, other, source, note, actor_name(actor))
    if as_json:
        print_json(link.to_dict())
    else:
        out.print(f"Linked: {link.event} {link.kind} {link.other}")


@event_app.command("list")
def event_list(as_json: JsonOption = False) -> None:
    """List the case's events."""
    from recount.events.event import list_events

    with case_context() as case:
        found = list_events(case)
    if as_json:
        print_json([e.to_dict() for e in found])
        return
    table = Table("slug", "name", "place", "from", "to", "precision")
    for e in found:
        table.add_row(
            e.slug,
            escape(e.name),
            escape(e.place or ""),
            e.date_low or "",
            e.date_high or "",
            e.date_precision or "",
        )
    out.print(table if found else "No events yet: `recount event add SLUG --name ..`")


@event_app.command("timeline")
def event_timeline(as_json: JsonOption = False) -> None:
    """The events in date order (undated last), with their links."""
    from recount.events.timeline import timeline

    with case_context() as case:
        entries = timeline(case)
    if as_json:
        print_json([entry.to_dict() for entry in entries])
        return
    table = Table("#", "when", "precision", "event", "place", "links")
    for entry in entries:
        e = entry.event
        table.add_row(
            str(entry.position or "-"),
            e.when or "undated",
            e.date_precision or "",
            f"{e.slug}: {escape(e.name)}",
            escape(_place(e)),
            "; ".join(f"{link.kind} {link.other}" for link in entry.links),
        )
    out.print(table if entries else "No events yet: `recount event add SLUG --name ..`")


@event_app.command("show")
def event_show(
    slug: Annotated[str, typer.Argument(help="The event's slug.")],
    as_json: JsonOption = False,
) -> None:
    """Everything recorded on one event: links, timeline, acts, interventions, counts."""
    from recount.events.timeline import describe_event

    with case_context() as case:
        details = describe_event(case, slug)
    if as_json:
        print_json(details.to_dict())
        return
    _print_details(details)


def _place(event: Event) -> str:
    where = event.place or ""
    if event.latitude is not None:
        where += f" ({event.latitude}, {event.longitude})"
    return f"{where} [{event.place_precision}]" if event.place_precision else where


def _print_details(d: EventDetails) -> None:
    e = d.event
    out.print(f"[bold]{e.slug}[/bold]: {escape(e.name)}")
    out.print(f"  when: {e.when or 'undated'}" + (f" ({e.date_precision})" if e.when else ""))
    out.print(f"  where: {escape(_place(e)) or 'unknown'}")
    if e.description:
        out.print(f"  {escape(e.description)}")
    if d.parent:
        out.print(f"  part of: {d.parent.slug} ({escape(d.parent.name)})")
    if d.children:
        out.print(f"  parts: {', '.join(child.slug for child in d.children)}")
    for link in d.links:
        out.print(f"  {_link_line(link)}")
    place = f"{d.position} of {d.dated_events}" if d.position else "undated"
    out.print(f"  timeline: {place}; before: {d.previous or '-'}; after: {d.next or '-'}")
    c = d.counts
    out.print(
        f"  attached: {c['records']} records ({c['persons']} persons), {c['claims']} "
        f"claims, {c['evidence_items']} evidence items"
    )
    by_type = ", ".join(f"{n} {kind}" for kind, n in d.acts_by_type.items())
    out.print(f"  acts: {len(d.acts)}" + (f" ({by_type})" if by_type else ""))
    for act in d.acts:
        who = "; ".join(f"{p['name']} ({p['degree']})" for p in act.perpetrators)
        out.print(
            f"    #{act.id} {act.act_type}: {escape(act.victim_name or act.victim)} "
            f"(P{act.person_id})" + (f" by {escape(who)}" if who else "")
        )
    out.print(f"  interventions: {len(d.interventions)}")
    for i in d.interventions:
        out.print(
            f"    #{i.id} {i.date_low or 'undated'} {i.kind}: {escape(i.title)}"
            + (f" ({escape(i.party)})" if i.party else "")
        )


def _link_line(link: EventLink) -> str:
    source = f" [source: {link.source}]" if link.source else ""
    return escape(f"{link.kind}: {link.other} ({link.other_name}){source}")
