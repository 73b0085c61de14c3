"""Claim and figures commands: ``recount claims add|list|show|accept|reject|extract`` and
``recount figures``.

A thin front over ``recount.claims``: it parses, calls the core and prints. ``claims extract``
without ``--save`` needs no case: it only reads the text.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from recount.claims.model import Claim
from recount.cli.base import (
    ActorOption,
    Commands,
    JsonOption,
    case_context,
    err,
    out,
    print_json,
)
from recount.errors import UsageError

if TYPE_CHECKING:
    from recount.claims.figures import EventFigures
    from recount.claims.save import Found

commands = Commands()

claims_app = typer.Typer(
    help="Figures that sources state, attributed to them.", no_args_is_help=True
)
commands.add_typer(claims_app, name="claims")

EventOption = Annotated[str | None, typer.Option(help="The event the claims are about.")]


@claims_app.command("add")
def claims_add(
    kind: Annotated[
        str, typer.Option(help="killed, injured, detained, missing, displaced, orphaned or other.")
    ],
    source: Annotated[str | None, typer.Option(help="The source that states the figure.")] = None,
    count: Annotated[int | None, typer.Option(help="The figure as stated.")] = None,
    qualifier: Annotated[
        str, typer.Option(help="exact, at least, over, about, up to, fewer than, range.")
    ] = "exact",
    low: Annotated[int | None, typer.Option(help="Range: the lower figure.")] = None,
    high: Annotated[int | None, typer.Option(help="Range: the higher figure.")] = None,
    group: Annotated[str | None, typer.Option(help="civilians, women, children, ...")] = None,
    event: EventOption = None,
    attributed_to: Annotated[
        str | None,
        typer.Option(help="Whom the source attributes the figure to (empty: its own voice)."),
    ] = None,
    place: Annotated[str | None, typer.Option(help="Where, as the source says.")] = None,
    date: Annotated[str | None, typer.Option(help="When: 1992-02-26, 1992-02, 1992.")] = None,
    quote: Annotated[str | None, typer.Option(help="The words the figure is stated in.")] = None,
    note: Annotated[str | None, typer.Option(help="A note for the team.")] = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a figure a source states, by hand (accepted at once)."""
    from recount.claims.model import make_figure
    from recount.claims.store import NewClaim, add_claim
    from recount.evidence.signing import default_actor_name

    if low is not None and high is not None and qualifier == "exact":
        qualifier = "range"
    new = NewClaim(
        kind=kind,
        figure=make_figure(qualifier, count, low, high),
        created_by=actor or default_actor_name(),
        event=event,
        group=group,
        place=place,
        date=date,
        source=source,
        attributed_to=attributed_to,
        quote=quote,
        note=note,
    )
    with case_context() as case:
        claim = add_claim(case, new)
    if as_json:
        print_json(claim.to_dict())
    else:
        out.print(f"Added claim {claim.id}: {escape(_summary(claim))}")


@claims_app.command("list")
def claims_list(
    event: EventOption = None,
    status: Annotated[str | None, typer.Option(help="proposed, accepted or rejected.")] = None,
    kind: Annotated[str | None, typer.Option(help="Only this kind of harm.")] = None,
    source: Annotated[str | None, typer.Option(help="Only this source's claims.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List claims: who says what, with qualifier, date and status."""
    from recount.claims.store import list_claims

    with case_context() as case:
        found = list_claims(case, event, status, kind, source)
    if as_json:
        print_json([c.to_dict() for c in found])
        return
    table = Table("#", "event", "kind", "group", "figure", "says", "date", "status")
    for c in found:
        table.add_row(
            str(c.id),
            c.event or "",
            c.kind,
            c.group or "",
            c.figure.label(),
            escape(c.speaker),
            c.date or "",
            c.status,
        )
    out.print(
        table
        if found
        else "No claims yet: `recount claims add` or "
        "`recount claims extract FILE --source S --save`"
    )


@claims_app.command("show")
def claims_show(
    claim_id: Annotated[int, typer.Argument(help="The claim's number.")],
    as_json: JsonOption = False,
) -> None:
    """One claim with its quote, evidence item and review."""
    from recount.claims.store import show_claim

    with case_context() as case:
        claim = show_claim(case, claim_id)
    if as_json:
        print_json(claim.to_dict())
        return
    out.print(f"[bold]Claim {claim.id}[/bold]: {escape(_summary(claim))}")
    for label, value in (
        ("event", claim.event),
        ("place", claim.place),
        ("date", claim.date),
        ("quote", claim.quote),
        ("evidence item", claim.evidence_item_id),
        ("origin", claim.origin),
        ("added", f"{claim.created_at[:19]} by {claim.created_by}"),
        ("status", claim.status),
        ("reviewed", claim.reviewed_at and f"{claim.reviewed_at[:19]} by {claim.reviewed_by}"),
        ("note", claim.note),
    ):
        if value:
            out.print(f"  {label}: {escape(str(value))}")


def _review(
    claim_ids: list[int], status: str, actor: str | None, note: str | None, as_json: bool
) -> None:
    from recount.claims.store import review_claim
    from recount.evidence.signing import default_actor_name

    with case_context() as case:
        done = [
            review_claim(case, i, status, actor or default_actor_name(), note) for i in claim_ids
        ]
    if as_json:
        print_json([c.to_dict() for c in done])
    else:
        out.print(f"Marked {status}: " + ", ".join(f"claim {c.id}" for c in done))


ClaimIds = Annotated[list[int], typer.Argument(help="Claim numbers.")]
ReviewNote = Annotated[str | None, typer.Option(help="Why.")]


@claims_app.command("accept")
def claims_accept(
    claim_ids: ClaimIds,
    note: ReviewNote = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Accept proposed claims after reading them against their quote."""
    _review(claim_ids, "accepted", actor, note, as_json)


@claims_app.command("reject")
def claims_reject(
    claim_ids: ClaimIds,
    note: ReviewNote = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Reject claims that the extractor misread (they are kept, marked rejected)."""
    _review(claim_ids, "rejected", actor, note, as_json)


@claims_app.command("extract")
def claims_extract(
    file: Annotated[Path, typer.Argument(help="An English text (UTF-8) or a PDF.")],
    source: Annotated[str | None, typer.Option(help="The source that published the text.")] = None,
    event: EventOption = None,
    save: Annotated[
        bool,
        typer.Option(
            "--save", help="Save the figures as proposed claims; the file becomes evidence."
        ),
    ] = False,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Find the figures about people harmed in a text, with whom it attributes them to."""
    from recount.claims.extract import extract_claims
    from recount.claims.reading import read_text

    if save and not source:
        raise UsageError("--save needs --source: the source that published the text")
    found = extract_claims(read_text(file))
    if not save:
        if as_json:
            print_json([f.to_dict() for f in found])
        else:
            _print_found(found)
        return
    from recount.claims.save import save_found

    with case_context() as case:
        result = save_found(case, file, found, source or "", event, actor)
    if as_json:
        print_json({**result.to_dict(), "claims": [f.to_dict() for f in found]})
        return
    _print_found(found)
    out.print(
        f"Saved {len(result.saved)} proposed claims (evidence item "
        f"{result.evidence_item_id}); {result.already} were already saved."
    )
    for claim_id, why in result.not_attached.items():
        err.print(f"  claim {claim_id}: {why}", markup=False)
    if result.saved:
        out.print(
            "Review them: `recount claims list --status proposed`, then "
            "`recount claims accept ID...`"
        )


def _print_found(found: list[Found]) -> None:
    table = Table("figure", "kind", "group", "says", "place", "date", "quote")
    for f in found:
        figure = (
            f"{f.low:,}–{f.high:,}"
            if f.qualifier == "range"
            else f"{f.qualifier} {f.count:,}".replace("exact ", "")
        )
        table.add_row(
            figure,
            f.kind,
            f.group or "",
            escape(f.attributed_to or "(the text)"),
            escape(f.place or ""),
            f.date or "",
            escape(_short(f.quote)),
        )
    out.print(table if found else "No figures about people harmed found in the text.")


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _summary(claim: Claim) -> str:
    group = f" {claim.group}" if claim.group else ""
    return f"{claim.figure.label()}{group} {claim.kind}, says {claim.speaker}" + (
        f" ({claim.event})" if claim.event else ""
    )


@commands.command()
def figures(
    event: Annotated[str | None, typer.Argument(help="One event (default: every event).")] = None,
    as_of: Annotated[str | None, typer.Option(help="Documented counts as of this date.")] = None,
    chart: Annotated[
        Path | None,
        typer.Option(help="Also draw the figures of EVENT to this file (.png, .svg or .html)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Claims, documented count and estimate side by side, per event, kind and group."""
    from recount.claims.figures import all_figures, event_figures
    from recount.claims.store import claim_date

    day = claim_date(as_of).high if as_of else None
    if chart is not None and event is None:
        raise UsageError("--chart draws one event's figures: name the EVENT")
    with case_context() as case:
        tables = [event_figures(case, event, day)] if event else all_figures(case, day)
    if chart is not None:
        from recount.claims.chart import figures_spec
        from recount.estimate.chart import save_chart

        save_chart(figures_spec(tables[0]), chart)
    if as_json:
        print_json([t.to_dict() for t in tables])
        return
    for figures_of in tables:
        _print_figures(figures_of)
    if chart is not None:
        err.print(f"Chart written to {chart}")


def _print_figures(figures_of: EventFigures) -> None:
    e = figures_of.event
    dates = " – ".join(d for d in (e.date_low, e.date_high) if d)
    table = Table(
        "kind",
        "group",
        "figure",
        "says",
        "date",
        "status",
        title=(
            f"{e.name} ({e.slug}{', ' + e.place if e.place else ''}{', ' + dates if dates else ''})"
            + (f", documented as of {figures_of.as_of}" if figures_of.as_of else "")
        ),
    )
    for row in figures_of.rows:
        for c in row.claims:
            table.add_row(
                row.kind,
                row.group or "all",
                c.figure.label(),
                escape(c.speaker),
                c.date or "",
                c.status,
            )
        if row.documented:
            table.add_row(
                row.kind,
                row.group or "all",
                f"{row.documented:,}",
                f"documented: {row.unit} the case lists",
                "",
                "",
            )
        if row.estimate:
            low, high = row.estimate["interval"]
            upper = f"{high:,.0f}" if high is not None else "unbounded"
            table.add_row(
                row.kind,
                row.group or "all",
                f"{row.estimate['estimate']:,.0f} (95% {low:,.0f}–{upper})",
                f"estimate #{row.estimate['id']} ({row.estimate['method']})",
                "",
                "",
            )
    out.print(table if figures_of.rows else f"{e.name}: no claims, records or estimates yet")
