"""`recount estimate`: the command, its progress bars and how results are printed.

The core (``recount.estimate``) gathers, computes and stores; this module parses and shows.
Every estimate is printed with its method, what was observed, the interval, Chao's lower
bounds, the strata (and why any were skipped), the linkage sensitivity and the warnings.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, nullcontext
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from recount._typing import Progress
from recount.cli.base import (
    Commands,
    JsonOption,
    case_context,
    err,
    out,
    print_json,
    state,
)
from recount.estimate.methods import DEFAULT_METHOD, DEFAULT_SEED, METHODS

if TYPE_CHECKING:
    from recount.case.folder import Case
    from recount.estimate.result import Estimate
    from recount.estimate.run import EstimateReport, EstimateRequest
    from recount.estimate.stored import Rerun, StoredEstimate

# The methods as typer wants them, an enum, made from the one list of them.
Method = StrEnum("Method", {name: name for name in METHODS})
DEFAULT = Method(DEFAULT_METHOD)


commands = Commands()


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip()) if text else ()


@commands.command()
def estimate(
    event: Annotated[str | None, typer.Option(help="Only records of this event.")] = None,
    lists: Annotated[str | None, typer.Option(help="Sources to use as lists: a,b,c.")] = None,
    strata: Annotated[
        str | None,
        typer.Option(
            help="Estimate by stratum and total: sex, age_group, place, fate, event "
            "(with --counts: the file's stratum columns)."
        ),
    ] = None,
    method: Annotated[Method, typer.Option(help="The estimation method.")] = DEFAULT,
    counts: Annotated[
        Path | None,
        typer.Option(help="A CSV of capture histories (0/1 per list and count) instead of a case."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the random draws.")] = DEFAULT_SEED,
    classes: Annotated[
        int | None, typer.Option(help="lcmcr: latent classes K (default min(2^lists - 1, 15)).")
    ] = None,
    burn_in: Annotated[int | None, typer.Option(help="lcmcr: sweeps discarded first.")] = None,
    samples: Annotated[int | None, typer.Option(help="lcmcr, dga: posterior draws kept.")] = None,
    thin: Annotated[int | None, typer.Option(help="lcmcr: sweeps per kept draw.")] = None,
    chains: Annotated[int | None, typer.Option(help="lcmcr: chains, run in parallel.")] = None,
    model: Annotated[
        str | None,
        typer.Option(help="loglinear: a fixed model, e.g. 'A*B*C + A*D' (default: search)."),
    ] = None,
    criterion: Annotated[str | None, typer.Option(help="loglinear: bic or aic.")] = None,
    delta: Annotated[
        float | None, typer.Option(help="dga: Dirichlet pseudo-count per cell.")
    ] = None,
    prior: Annotated[str | None, typer.Option(help="dga: prior on N, 1/N or madigan-york.")] = None,
    linkage_thresholds: Annotated[
        str | None,
        typer.Option(
            help="Also cluster records at these thresholds (0.3,0.7) and pool the estimates, "
            "to carry linkage uncertainty."
        ),
    ] = None,
    chart: Annotated[
        list[Path] | None,
        typer.Option(help="Write the posterior chart here (.png, .svg or .html); repeatable."),
    ] = None,
    show: Annotated[int | None, typer.Option(help="Print a stored estimate.")] = None,
    rerun: Annotated[int | None, typer.Option(help="Re-run a stored estimate, compare.")] = None,
    history: Annotated[bool, typer.Option("--list", help="List stored estimates.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Estimate how many people no list recorded (multiple systems estimation)."""
    if show is not None or rerun is not None or history:
        _estimate_history(show, rerun, history, as_json)
        return
    kept_in = "case" if counts is None else _kept_in()
    from recount.estimate.chart import renderer_process

    # The chart engine starts in a process of its own now, while this one imports and samples.
    with renderer_process() if kept_in or chart else nullcontext():
        with _collector_paused():
            from recount.estimate.methods import settings_class
            from recount.estimate.run import EstimateRequest
            from recount.estimate.stored import save_charts

            settings_class(method.value)  # loads the method's module: for LCMCR, Numba's too
        given = {
            "classes": classes,
            "burn_in": burn_in,
            "samples": samples,
            "thin": thin,
            "chains": chains,
            "model": model,
            "criterion": criterion,
            "delta": delta,
            "prior": prior,
        }
        request = EstimateRequest(
            method=method.value,
            event=event,
            lists=_split(lists),
            strata=_split(strata),
            seed=seed,
            counts_file=str(counts) if counts else None,
            linkage_thresholds=tuple(float(t) for t in _split(linkage_thresholds)),
            options={k: v for k, v in given.items() if v is not None},
        )
        report = _run(request, kept_in)
        report.charts += [str(p) for p in save_charts(report, list(chart or []))]
    _spare_the_final_collections()
    if as_json:
        print_json(report.to_dict())
        return
    print_report(report, out)
    if report.charts:
        out.print(f"  charts: {', '.join(report.charts)}")


def _kept_in() -> str | None:
    """Where an estimate from a counts file is kept: nowhere (no case here), in a case's SQLite
    file ("file") or in a case's PostgreSQL database ("server")."""
    from recount.case.folder import DATABASE_FILE, is_case, resolve_path

    root = resolve_path(state.case_path)
    if not is_case(root):
        return None
    return "file" if (root / DATABASE_FILE).is_file() else "server"


def _run(request: EstimateRequest, kept_in: str | None) -> EstimateReport:
    from recount.estimate.stored import run_estimate

    with sampling_progress(err) as progress:
        if request.counts_file is not None and kept_in != "server":
            # Read from no case, kept in one if there is one: opened once the estimate is
            # computed, while its chart is drawn. A server is reached before sampling instead,
            # so that one out of reach is known before the wait.
            keep_in = _case_opened if kept_in else None
            return run_estimate(None, request, progress, keep_in=keep_in)
        with _case_opened() as case:
            return run_estimate(case, request, progress)


@contextmanager
def _case_opened() -> Iterator[Case]:
    """The case, opened (SQLAlchemy and the store loaded) with the collector paused."""
    with ExitStack() as stack:
        with _collector_paused():
            case = stack.enter_context(case_context())
        yield case


def _estimate_history(show: int | None, rerun: int | None, history: bool, as_json: bool) -> None:
    from recount.estimate.stored import list_estimates, load_estimate, rerun_estimate

    with case_context() as case:
        if history:
            rows = list_estimates(case)
            print_json(rows) if as_json else print_history(rows, out)
        elif show is not None:
            stored = load_estimate(case, show)
            print_json(stored.to_dict()) if as_json else print_stored(stored, out)
        else:
            assert rerun is not None
            with sampling_progress(err) as progress:
                again = rerun_estimate(case, rerun, progress)
            _spare_the_final_collections()
            if as_json:
                print_json(
                    again.report.to_dict()
                    | {"identical": again.identical, "differences": again.differences}
                )
            else:
                print_rerun(again, out)
            if not again.identical:
                raise typer.Exit(1)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Load modules with the garbage collector paused, then freeze what they made.

    Imports (SQLAlchemy, NumPy, Numba's implementations) make hundreds of thousands of objects
    that live as long as the process; the collector would walk them again and again as they
    pile up (about 0.15 s of a tiny estimate). Frozen, later collections pass them by."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _spare_the_final_collections() -> None:
    """Move every object there is to the collector's permanent generation: the command ends
    after printing, and the interpreter's collections at exit would otherwise walk the object
    graphs Numba and SQLAlchemy built (about 0.3 s of CPU, a third of a tiny estimate's)."""
    gc.freeze()


@contextmanager
def sampling_progress(err: Console) -> Iterator[Progress | None]:
    """A bar per stratum or clustering, on standard error, for a person at a terminal."""
    if not err.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, TaskID, TextColumn, TimeRemainingColumn
    from rich.progress import Progress as Bars

    columns = (
        TextColumn("{task.description}"),
        BarColumn(bar_width=None),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeRemainingColumn(),
    )
    tasks: dict[str, TaskID] = {}
    with Bars(*columns, console=err, transient=True) as progress:

        def update(label: str, done: int, total: int | None) -> None:
            if label not in tasks:
                tasks[label] = progress.add_task(f"estimating {label}", total=total)
            progress.update(tasks[label], completed=done, total=total)

        yield update


def print_report(report: EstimateReport, out: Console) -> None:
    result = report.result
    heading = f"Estimate {report.id}" if report.id is not None else "Estimate (not stored)"
    out.print(f"[bold]{heading}[/bold]: {_interval_text(result)}")
    seed = f", seed {result.seed}" if result.seed is not None else ""
    out.print(f"  method {result.method}, lists {', '.join(result.lists)}{seed}")
    model = _model_text(result)
    if model:
        out.print(f"  {model}")
    if result.draws is not None:
        out.print(
            f"  {len(result.draws):,} posterior draws; estimate = posterior median, "
            "interval = 2.5% and 97.5% quantiles"
        )
    bounds = ", ".join(
        f"{k} {v:,.0f}" for k, v in report.lower_bounds.items() if isinstance(v, int | float)
    )
    out.print(f"  lower bounds (Chao): {bounds}")
    _print_linkage(report, out)
    if report.strata:
        _print_strata(report, out)
    for warning in result.warnings:
        out.print(f"  [yellow]warning[/yellow]: {warning}", markup=True)


def _model_text(result: Estimate) -> str:
    """The model behind the number: the log-linear model chosen, dga's most probable graph."""
    diagnostics = result.diagnostics
    if "model" in diagnostics:
        return f"model {diagnostics['model']} (by {diagnostics.get('criterion', 'the user')})"
    if diagnostics.get("top_models"):
        top = diagnostics["top_models"][0]
        graph = top["cliques"] if top["edges"] else "no dependence between lists"
        return (
            f"most probable graph: {graph} (posterior {top['probability']:.2f} "
            f"of {diagnostics['n_models']} models)"
        )
    return ""


def _interval_text(result: Estimate) -> str:
    low, high = result.interval
    return (
        f"{result.estimate:,.0f} people (95% interval {low:,.0f} to {high:,.0f}); "
        f"{result.observed:,} documented on at least one list"
    )


def _print_linkage(report: EstimateReport, out: Console) -> None:
    linkage = report.linkage
    if linkage.get("run_id") is None:
        return
    out.print(
        f"  persons from linkage run {linkage['run_id']} "
        f"(match threshold {linkage['match_threshold']})"
    )
    if len(report.clusterings) > 1:
        table = Table("linkage threshold", "observed", "estimate", "95% interval")
        for c in report.clusterings:
            table.add_row(
                f"{c['threshold']:g}",
                f"{c['observed']:,}",
                f"{c['estimate']:,.0f}",
                f"{c['interval'][0]:,.0f}–{c['interval'][1]:,.0f}",
            )
        out.print(table)
        out.print(
            f"  pooled over thresholds: the interval is "
            f"{100 * linkage['interval_widening']:+.1f}% wider than at the match "
            "threshold alone"
        )


def _print_strata(report: EstimateReport, out: Console) -> None:
    table = Table(*report.request.strata, "observed", "lists", "estimate", "95% interval")
    for s in report.strata:
        values = [s.values[name] for name in report.request.strata]
        if s.estimate is None:
            table.add_row(*values, f"{s.observed:,}", str(len(s.lists)), "skipped", s.skipped or "")
        else:
            e = s.estimate
            table.add_row(
                *values,
                f"{s.observed:,}",
                str(len(s.lists)),
                f"{e.estimate:,.0f}",
                f"{e.interval[0]:,.0f}–{e.interval[1]:,.0f}",
            )
    out.print(table)


def print_history(rows: list[dict[str, Any]], out: Console) -> None:
    if not rows:
        out.print("No estimates yet: `recount estimate`.")
        return
    table = Table("id", "when", "method", "strata", "observed", "estimate", "95% interval")
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["created_at"][:19],
            r["method"],
            ",".join(r["strata"]),
            f"{r['observed']:,}",
            f"{r['estimate']:,.0f}",
            f"{r['interval'][0]:,.0f}–{r['interval'][1]:,.0f}",
        )
    out.print(table)


def print_stored(stored: StoredEstimate, out: Console) -> None:
    """A stored estimate: what was asked and from what, then the result as it was printed."""
    request = stored.request
    out.print(
        f"[bold]Estimate {stored.id}[/bold], made {stored.created_at[:19]} UTC with "
        f"recount {stored.recount_version} in {stored.seconds:.1f}s"
    )
    source = (
        f"counts file {request.counts_file} (sha256 {stored.inputs.counts_sha256})"
        if request.counts_file
        else f"linkage run {stored.inputs.linkage_run_id}"
    )
    out.print(
        f"  from {source}; event {request.event or 'all'}; lists "
        f"{', '.join(stored.result['lists'])}; strata {', '.join(request.strata) or 'none'}"
    )
    settings = ", ".join(f"{k}={v}" for k, v in stored.result["settings"].items())
    out.print(f"  method {request.method}, seed {request.seed}; {settings}")
    low, high = stored.result["interval"]
    out.print(
        f"  {stored.result['estimate']:,} people (95% interval {low:,} to {high:,}); "
        f"{stored.result['observed']:,} documented"
    )
    for warning in stored.result["warnings"]:
        out.print(f"  [yellow]warning[/yellow]: {warning}")


def print_rerun(again: Rerun, out: Console) -> None:
    print_report(again.report, out)
    if again.identical:
        out.print("Reproduced exactly: every number is identical to the stored estimate.")
    else:
        out.print(f"[red]Not identical[/red]: {', '.join(again.differences)}")
