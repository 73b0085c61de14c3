"""Commands for who did what to whom: ``recount act|actor|instrument|intervention``.

A thin front over ``recount.events.acts``, ``recount.events.actors``,
``recount.events.instruments`` and ``recount.events.interventions``; registered on the shared app
when ``cli_events`` imports it.
"""

from __future__ import annotations

from typing import Annotated

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
from recount.cli.events import ActorOption, NoteOption, SourceOption, actor_name
from recount.errors import InvalidValueError

commands = Commands()

act_app = typer.Typer(help="Acts: who did what to whom, in which event.", no_args_is_help=True)
actor_app = typer.Typer(help="Alleged perpetrators named in acts.", no_args_is_help=True)
instrument_app = typer.Typer(help="Legal instruments that acts cite.", no_args_is_help=True)
intervention_app = typer.Typer(
    help="Court decisions, resolutions, inquiries, campaigns.", no_args_is_help=True
)
commands.add_typer(act_app, name="act")
commands.add_typer(actor_app, name="actor")
commands.add_typer(instrument_app, name="instrument")
commands.add_typer(intervention_app, name="intervention")

DateOption = Annotated[str | None, typer.Option(help="When: 1992-02-26, 1992-02, 1992, ranges.")]


@act_app.command("add")
def act_add(
    event: Annotated[str, typer.Argument(help="The event's slug.")],
    act_type: Annotated[str, typer.Option("--type", help="killing, injury, torture, ...")],
    victim: Annotated[str, typer.Option(help="Person id (123, P123) or record SOURCE:ROW.")],
    perpetrator: Annotated[
        list[str] | None,
        typer.Option(help="An alleged perpetrator (a person or a group); repeat for several."),
    ] = None,
    perpetrator_kind: Annotated[
        list[str] | None,
        typer.Option(help="person or group, for each new perpetrator in order (or once for all)."),
    ] = None,
    degree: Annotated[
        list[str] | None,
        typer.Option(
            help="Degree of involvement for each perpetrator in order (or once for all): "
            "directly carried out, gave orders, planned, ... (default: unknown)."
        ),
    ] = None,
    source: SourceOption = None,
    date: DateOption = None,
    place: Annotated[str | None, typer.Option(help="Where the act happened.")] = None,
    instrument: Annotated[
        list[str] | None,
        typer.Option(
            help="A legal instrument the act is cited under (see `recount instrument list`)."
        ),
    ] = None,
    note: NoteOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record an act: its type, the victim, alleged perpetrators, source and instruments."""
    from recount.events.acts import add_act

    named = _perpetrators(perpetrator or [], perpetrator_kind or [], degree or [])
    with case_context() as case:
        act = add_act(
            case,
            event,
            act_type,
            victim,
            named,
            source,
            date,
            place,
            instrument or [],
            note,
            actor_name(actor),
        )
    if as_json:
        print_json(act.to_dict())
    else:
        out.print(
            f"Added act {act.id}: {act.act_type} of {escape(act.victim_name or act.victim)}"
            f" (P{act.person_id}) in {act.event}"
        )


def _perpetrators(names: list[str], kinds: list[str], degrees: list[str]) -> list:
    """Pair each --perpetrator with its kind and degree, by position (or one for all)."""
    from recount.events.acts import Perpetrator

    def spread(values: list[str], option: str) -> list[str | None]:
        if not values:
            return [None] * len(names)
        if not names:
            raise InvalidValueError(f"{option} needs a --perpetrator")
        if len(values) == 1:
            return values * len(names)
        if len(values) != len(names):
            raise InvalidValueError(
                f"{len(names)} --perpetrator but {len(values)} {option}: "
                "give one for each, in order, or one for all"
            )
        return list(values)

    return [
        Perpetrator(name, kind, level or "unknown")
        for name, kind, level in zip(
            names, spread(kinds, "--perpetrator-kind"), spread(degrees, "--degree"), strict=True
        )
    ]


@act_app.command("list")
def act_list(
    event: Annotated[str | None, typer.Option(help="Only acts in this event.")] = None,
    person: Annotated[
        str | None,
        typer.Option(help="Only acts whose victim is this person (123, P123 or SOURCE:ROW)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List acts, of one event or one victim."""
    from recount.events.acts import list_acts

    with case_context() as case:
        found = list_acts(case, event, person)
    if as_json:
        print_json([act.to_dict() for act in found])
        return
    table = Table("#", "event", "type", "victim", "person", "perpetrators", "date", "source")
    for act in found:
        who = "; ".join(f"{p['name']} ({p['degree']})" for p in act.perpetrators)
        table.add_row(
            str(act.id),
            act.event,
            act.act_type,
            escape(f"{act.victim_name or ''} [{act.victim}]".strip()),
            f"P{act.person_id}",
            escape(who),
            act.date_low or "",
            act.source or "",
        )
    out.print(table if found else "No acts: `recount act add EVENT --type .. --victim ..`")


@act_app.command("show")
def act_show(
    act_id: Annotated[int, typer.Argument(help="The act's number.")],
    as_json: JsonOption = False,
) -> None:
    """One act with its perpetrators, source and instruments."""
    from recount.events.acts import get_act
    from recount.events.event import format_when

    with case_context() as case:
        act = get_act(case, act_id)
    if as_json:
        print_json(act.to_dict())
        return
    out.print(f"[bold]Act {act.id}[/bold]: {act.act_type} in {act.event}")
    out.print(
        f"  victim: {escape(act.victim_name or '(no name)')} — record {act.victim}, "
        f"person P{act.person_id}"
    )
    for p in act.perpetrators:
        out.print(f"  alleged perpetrator: {escape(p['name'])} ({p['kind']}), {p['degree']}")
    when = format_when(act.date_low, act.date_high, act.date_precision)
    for label, value in (
        ("date", when),
        ("place", act.place),
        ("source", act.source),
        ("instruments", ", ".join(act.instruments)),
        ("note", act.note),
    ):
        if value:
            out.print(f"  {label}: {escape(value)}")
    out.print(f"  recorded by {escape(act.created_by)} at {act.created_at[:19]}")


@actor_app.command("list")
def actor_list(as_json: JsonOption = False) -> None:
    """The alleged perpetrators named in acts, with how many acts name each."""
    from recount.events.actors import list_actors

    with case_context() as case:
        found = list_actors(case)
    if as_json:
        print_json([a.to_dict() for a in found])
        return
    table = Table("#", "name", "kind", "acts")
    for a in found:
        table.add_row(str(a.id), escape(a.name), a.kind, str(a.acts))
    out.print(table if found else "No actors yet: `recount act add .. --perpetrator NAME`")


@instrument_app.command("list")
def instrument_list(as_json: JsonOption = False) -> None:
    """The legal instruments acts can cite."""
    from recount.events.instruments import list_instruments

    with case_context() as case:
        found = list_instruments(case)
    if as_json:
        print_json([i.to_dict() for i in found])
        return
    table = Table("slug", "name", "acts")
    for i in found:
        table.add_row(i.slug, escape(i.name), str(i.acts))
    out.print(table)


@instrument_app.command("add")
def instrument_add(
    slug: Annotated[str, typer.Argument(help="Short id, e.g. rome-statute.")],
    name: Annotated[str, typer.Option(help="The instrument's full name.")],
    as_json: JsonOption = False,
) -> None:
    """Add a legal instrument to the case's list."""
    from recount.events.instruments import add_instrument

    with case_context() as case:
        added = add_instrument(case, slug, name)
    if as_json:
        print_json(added.to_dict())
    else:
        out.print(f"Added instrument {added.slug!r}: {escape(added.name)}")


@intervention_app.command("add")
def intervention_add(
    event: Annotated[str, typer.Argument(help="The event's slug.")],
    kind: Annotated[
        str,
        typer.Option(
            help="court decision, indictment, parliamentary "
            "resolution, inquiry, investigation, campaign, other."
        ),
    ],
    title: Annotated[str, typer.Option(help="Its title, e.g. the judgment's name.")],
    party: Annotated[
        str | None, typer.Option(help="Who intervened: a court, a parliament.")
    ] = None,
    date: DateOption = None,
    source: SourceOption = None,
    note: NoteOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a court decision, resolution, inquiry or campaign about an event."""
    from recount.events.interventions import add_intervention

    with case_context() as case:
        added = add_intervention(
            case, event, kind, title, party, date, source, note, actor_name(actor)
        )
    if as_json:
        print_json(added.to_dict())
    else:
        out.print(
            f"Added intervention {added.id} ({added.kind}) to {added.event}: {escape(added.title)}"
        )


@intervention_app.command("list")
def intervention_list(
    event: Annotated[str | None, typer.Option(help="Only this event's interventions.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Interventions in date order, undated last."""
    from recount.events.interventions import list_interventions

    with case_context() as case:
        found = list_interventions(case, event)
    if as_json:
        print_json([i.to_dict() for i in found])
        return
    table = Table("#", "event", "date", "kind", "title", "party", "source")
    for i in found:
        table.add_row(
            str(i.id),
            i.event,
            i.date_low or "",
            i.kind,
            escape(i.title),
            escape(i.party or ""),
            i.source or "",
        )
    out.print(table if found else "No interventions: `recount intervention add EVENT ..`")
