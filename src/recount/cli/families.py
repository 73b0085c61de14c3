"""`recount relation`, `recount families` and `recount status [add|history|counts]`.

`recount status` alone prints what the case holds (the summary ``cli/case.py`` also prints
after a demo); its subcommands are persons' status over time.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from recount.cli.base import (
    ActorOption,
    Commands,
    JsonOption,
    case_context,
    out,
    print_json,
)

commands = Commands()

status_app = typer.Typer(help="What the case holds (alone); persons' status over time.")
commands.add_typer(status_app, name="status")

relation_app = typer.Typer(
    help="Family relations between persons: add, list, derive from lists.", no_args_is_help=True
)
commands.add_typer(relation_app, name="relation")

PersonArg = Annotated[
    str, typer.Argument(help="A person id (123 or P123) or a record (SOURCE:ROW).")
]
SourceOption = Annotated[str | None, typer.Option(help="The source that states it (slug).")]
NoteOption = Annotated[str | None, typer.Option(help="A note kept with it.")]
EventOption = Annotated[str | None, typer.Option(help="Only persons of this event (slug).")]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Count as the case knew it by the end of this date (2000, 2000-06-30)."
    ),
]
SHOWN_SKIPS = 20


# --- relations ---------------------------------------------------------------------------------


@relation_app.command("add")
def relation_add(
    person: PersonArg,
    kind: Annotated[
        str,
        typer.Argument(
            help="parent, child, spouse or sibling: 'A parent B' means A is B's parent."
        ),
    ],
    other: PersonArg,
    source: SourceOption = None,
    note: NoteOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a family relation between two persons."""
    from recount.families.relations import add_relation

    with case_context() as case:
        relation = add_relation(case, person, kind, other, source, note, actor)
    if as_json:
        print_json(relation.to_dict())
        return
    first = _person(relation.person_id, relation.person_name)
    second = _person(relation.other_person_id, relation.other_name)
    out.print(f"Relation {relation.id}: {first} is {_reads(relation.kind)} {second}")


def _reads(kind: str) -> str:
    return {"parent": "a parent of", "spouse": "the spouse of"}.get(kind, "a sibling of")


def _person(person_id: int, name: str) -> str:
    return f"P{person_id} {name}"


@relation_app.command("list")
def relation_list(
    person: Annotated[str | None, typer.Option(help="Only this person's relations.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List relations between persons."""
    from recount.families.relations import list_relations

    with case_context() as case:
        found = list_relations(case, person)
    if as_json:
        print_json([r.to_dict() for r in found])
        return
    table = Table("id", "person", "relation", "other", "origin", "source", "records")
    for r in found:
        table.add_row(
            str(r.id),
            _person(r.person_id, r.person_name),
            r.kind,
            _person(r.other_person_id, r.other_name),
            r.origin,
            r.source or "",
            f"{r.record} → {r.other_record}",
        )
    out.print(table)
    out.print(f"{len(found)} relation(s)")


@relation_app.command("derive")
def relation_derive(
    source: Annotated[str | None, typer.Option(help="Only this source's imports.")] = None,
    import_id: Annotated[int | None, typer.Option("--import", help="Only this import.")] = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Derive relations from imported lists (household_id/household_role, father_name,
    mother_name columns). Running it again adds nothing."""
    from recount.families.derive import derive_relations

    with case_context() as case:
        result = derive_relations(case, import_id, source, actor)
    if as_json:
        print_json(result.to_dict())
        return
    added = ", ".join(f"{n} from {origin}" for origin, n in sorted(result.added.items()))
    out.print(
        f"Relations derived from {len(result.imports)} import(s): "
        f"{sum(result.added.values())} added{f' ({added})' if added else ''}, "
        f"{result.already} already recorded, {len(result.skipped)} not derived."
    )
    for skip in result.skipped[:SHOWN_SKIPS]:
        out.print(f"  {skip['record']} ({skip['rule']}): {skip['reason']}", markup=False)
    if len(result.skipped) > SHOWN_SKIPS:
        out.print(f"  … and {len(result.skipped) - SHOWN_SKIPS} more (--json lists them all)")


# --- families ----------------------------------------------------------------------------------


@commands.command()
def families(
    event: EventOption = None, as_of: AsOfOption = None, as_json: JsonOption = False
) -> None:
    """Families with no survivor, children who lost both parents or one, and who they are."""
    from recount.families.counts import family_counts

    with case_context() as case:
        result = family_counts(case, event, as_of)
    if as_json:
        print_json(result.to_dict())
        return
    scope = f" in event {event}" if event else ""
    out.print(f"{result.families} families{scope}, as of {result.as_of or 'all dates'}.")
    labels = {
        "no_survivor": "Families with no survivor (every member known dead)",
        "no_known_survivor": "Families with no known survivor (some missing or unknown)",
        "lost_both": "Children who lost both parents",
        "lost_one": "Children who lost one parent",
        "age_unknown": "Lost a parent, age at the event unknown or disputed",
        "parent_fate_unknown": "Children with a parent missing or of unknown fate",
    }
    for name, label in labels.items():
        items = getattr(result, name)
        out.print(f"\n[bold]{label}: {len(items)}[/bold]")
        for item in items:
            out.print(
                f"  {_family_line(item) if hasattr(item, 'members') else _orphan(item)}",
                markup=False,
            )
    for note in result.notes:
        out.print(f"note: {note}", markup=False)


def _state(state: Any) -> str:
    return f"P{state.person_id} {state.name} ({state.status})"


def _family_line(family: Any) -> str:
    return f"family {family.id}: " + "; ".join(_state(m) for m in family.members)


def _orphan(orphan: Any) -> str:
    parents = "; ".join(_state(p) for p in orphan.parents)
    return f"{_state(orphan.child)}, age {orphan.age}: parents {parents}"


# --- status over time --------------------------------------------------------------------------


@status_app.callback(invoke_without_command=True)
def status(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Alone: what the case holds (sources, imports, records, persons). With add, history,
    counts: persons' status over time."""
    if ctx.invoked_subcommand is not None:
        return
    from recount.case.summary import summarise

    with case_context() as case:
        summary = summarise(case)
    if as_json:
        print_json(summary.to_dict())
        return
    from recount.cli.case import print_summary

    print_summary(summary)


@status_app.command("add")
def status_add(
    person: PersonArg,
    status: Annotated[
        str,
        typer.Argument(
            help="missing, found alive, remains identified, "
            "detained, released, died in detention, ..."
        ),
    ],
    date: Annotated[str, typer.Option(help="When (1992, 1992-02, 2005-03-14).")],
    source: SourceOption = None,
    note: NoteOption = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a dated change of a person's status."""
    from recount.families.status import add_status

    with case_context() as case:
        change = add_status(case, person, status, date, source, note, actor)
    if as_json:
        print_json(change.to_dict())
        return
    out.print(
        f"Status change {change.id}: person P{change.person_id} {change.status} from "
        f"{change.date_low} ({change.date_precision})"
        + (f", source {change.source}" if change.source else "")
    )


@status_app.command("history")
def status_history(person: PersonArg, as_json: JsonOption = False) -> None:
    """What each list says of a person, its dated status changes, and its status now."""
    from recount.families.status import status_history as history

    with case_context() as case:
        result = history(case, person)
    if as_json:
        print_json(result.to_dict())
        return
    out.print(f"[bold]P{result.person_id} {result.name}[/bold]")
    table = Table("date", "status", "from", "note", "by")
    for rec in result.records:
        table.add_row(rec["date"] or "", rec["fate"] or "", f"list {rec['record']}", "", "")
    for change in result.changes:
        table.add_row(
            change.date_low
            if change.date_precision == "day"
            else f"{change.date_low}/{change.date_high}",
            change.status,
            change.source or "",
            change.note or "",
            change.created_by,
        )
    out.print(table)
    out.print(f"Now: {_current(result.current)}", markup=False)


def _current(state: Any) -> str:
    text = f"{state.status} ({state.basis}{', ' + state.date if state.date else ''})"
    if state.conflicts:
        text += "; sources disagree: " + "; ".join(
            f"{c.get('source') or '?'} says {c['status']}" for c in state.conflicts
        )
    return text


@status_app.command("counts")
def status_counts(
    event: EventOption = None,
    as_of: AsOfOption = None,
    persons: Annotated[
        bool, typer.Option("--persons", help="List the persons behind each number.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Persons by status as of a date ("missing" as of it = still missing then)."""
    from recount.families.status import status_counts as counts

    with case_context() as case:
        result = counts(case, event, as_of)
    if as_json:
        print_json(result.to_dict())
        return
    out.print(
        f"{result.persons} persons{f' in event {event}' if event else ''}, "
        f"as of {result.as_of or 'all dates'}"
    )
    table = Table("status", "persons")
    for status, n in result.counts().items():
        table.add_row(status, f"{n:,}")
    out.print(table)
    if persons:
        for status, people in result.by_status.items():
            out.print(f"\n[bold]{status}: {len(people)}[/bold]")
            for state in people:
                out.print(f"  P{state.person_id} {state.name} — {_current(state)}", markup=False)
