"""Benchmark: bias and 95% interval coverage of each MSE method on populations of known size.

Each scenario is one simulated population (``recount.simulate.population``: a hidden latent
class, 35% of people, that every list sees less) and four lists drawn from it again and again
with the simulator's capture model (``recount.simulate.lists.capture``: per-class coverage and
list dependence on the log-odds scale). Every replicate's capture table is estimated by each
method through the same interface the CLI uses (``recount.estimate.methods.estimator``).

Per scenario and method: mean estimate, bias, relative bias, RMSE, the share of 95% intervals
that contain the true N (coverage), mean interval width, and seconds per estimate.
Target (issue 3): LCMCR coverage ≥ 0.9.

The scenarios range from what MSE can identify to what it cannot: a hidden class that four lists
seldom see ("heterogeneous", "sparse") leaves too few people on two or more lists for any model
to find it, and every method underestimates there — the benchmark keeps those scenarios so that
the limit stays visible.

``--reference`` adds a row "lcmcr (R)" per scenario: the same replicate tables, settings and
seeds estimated by the R package LCMCR (``reference_lcmcr.py``), so that a shortfall in
coverage can be told apart from a fault of this implementation.

    python benchmarks/mse_coverage.py [--reps 100] [--size 2000] [--methods lcmcr,dga,...]
                                      [--reference]
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import random
import tempfile
import time
from pathlib import Path

import numpy as np

from recount.errors import RecountError
from recount.estimate import methods
from recount.estimate.table import CaptureTable, from_memberships
from recount.simulate.defaults import DEMO_LISTS
from recount.simulate.lists import ListSpec, capture
from recount.simulate.population import make_population
from reference_lcmcr import reference_available, run_reference

HERE = Path(__file__).parent


def spec(slug: str, visible: float, hidden: float, **depends: float) -> ListSpec:
    return ListSpec(
        slug=slug, name=slug, kind="ngo", coverage=(visible, hidden), depends_on=depends
    )


SCENARIOS: dict[str, list[ListSpec]] = {
    # Heterogeneous coverage, lists independent given the class.
    "heterogeneous": [
        spec("A", 0.45, 0.15),
        spec("B", 0.40, 0.10),
        spec("C", 0.30, 0.10),
        spec("D", 0.50, 0.20),
    ],
    # Heterogeneous and dependent: C copies from A; D avoids people B already has.
    "dependent": [
        spec("A", 0.45, 0.15),
        spec("B", 0.40, 0.10),
        spec("C", 0.25, 0.08, A=1.2),
        spec("D", 0.50, 0.20, B=-0.7),
    ],
    # Mild heterogeneity: the hidden class is seen about half as often.
    "mild heterogeneity": [
        spec("A", 0.50, 0.30),
        spec("B", 0.45, 0.25),
        spec("C", 0.35, 0.20),
        spec("D", 0.50, 0.30),
    ],
    # Six lists, as strong heterogeneity as the first scenario: more lists, more information.
    "six lists": [
        spec("A", 0.45, 0.15),
        spec("B", 0.40, 0.10),
        spec("C", 0.30, 0.10),
        spec("D", 0.50, 0.20),
        spec("E", 0.35, 0.12),
        spec("F", 0.25, 0.08),
    ],
    # The demo's four lists: a registry, an NGO, a press list copying the NGO, testimonies.
    "demo lists": list(DEMO_LISTS),
    # Sparse: low coverage everywhere, as for a little-documented event.
    "sparse": [
        spec("A", 0.25, 0.08),
        spec("B", 0.20, 0.06),
        spec("C", 0.15, 0.05),
        spec("D", 0.30, 0.10),
    ],
}

# Shorter than HRDAG's production run so that hundreds of replicates fit in minutes; the
# chains' R-hat and ESS are checked on every replicate (warnings are counted).
METHOD_OPTIONS = {
    "lcmcr": {"classes": 10, "burn_in": 5_000, "samples": 1_000, "thin": 10, "chains": 1},
    "dga": {},
    "loglinear": {},
    "chao": {},
}


def replicate_table(people: list, specs: list[ListSpec], seed: int) -> CaptureTable:
    listed = capture(people, specs, random.Random(seed))
    on_lists: dict[int, set[str]] = {}
    for slug, chosen in listed.items():
        for person in chosen:
            on_lists.setdefault(person.id, set()).add(slug)
    return from_memberships([s.slug for s in specs], on_lists)


def run_scenario(
    name: str,
    specs: list[ListSpec],
    size: int,
    reps: int,
    method_names: list[str],
    reference: bool = False,
) -> list[dict]:
    people = make_population(size, seed=list(SCENARIOS).index(name) + 1)
    truth = len(people)
    tables = [replicate_table(people, specs, seed=rep) for rep in range(reps)]
    rows = []
    for method in method_names:
        try:
            rows.append(method_row(name, method, tables, truth))
        except RecountError as reason:  # e.g. dga on six lists: the method does not apply
            rows.append(
                {"scenario": name, "method": method, "true_n": truth, "not_applicable": str(reason)}
            )
            print(f"{name:<27} {method:<10} not applicable: {reason}")
            continue
        print_row(rows[-1])
    if reference:
        rows.append(reference_row(name, tables, truth))
        print_row(rows[-1])
    return rows


def reference_row(name: str, tables: list[CaptureTable], truth: int) -> dict:
    """The "lcmcr" row's replicates, settings and seeds, run by the R package LCMCR."""
    options = METHOD_OPTIONS["lcmcr"]
    estimates, lows, highs, seconds = [], [], [], 0.0
    with tempfile.TemporaryDirectory() as folder:
        for rep, table in enumerate(tables):
            path = Path(folder) / f"rep-{rep}.csv"
            write_counts(table, path)
            run = run_reference(
                path,
                options["classes"],
                options["burn_in"],
                options["samples"],
                options["thin"],
                seed=1000 + rep,
            )
            estimates.append(run["median"])
            lows.append(run["q025"])
            highs.append(run["q975"])
            seconds += run["wall_seconds"]
    return summary_row(name, "lcmcr (R)", tables, truth, estimates, lows, highs, None, seconds)


def write_counts(table: CaptureTable, path: Path) -> None:
    """The table as ``--counts`` reads it: one 0/1 column per list, then ``count``."""
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*table.lists, "count"])
        for pattern, count in zip(table.patterns, table.counts, strict=True):
            writer.writerow([*(int(x) for x in pattern), int(count)])


def method_row(name: str, method: str, tables: list[CaptureTable], truth: int) -> dict:
    """Bias, RMSE, coverage and width of ``method`` over the replicate tables."""
    estimates, lows, highs, warned, seconds = [], [], [], 0, 0.0
    for rep, table in enumerate(tables):
        estimate = methods.estimator(method, METHOD_OPTIONS[method], seed=1000 + rep)
        started = time.perf_counter()
        result = estimate(table)
        seconds += time.perf_counter() - started
        estimates.append(result.estimate)
        lows.append(result.interval[0])
        highs.append(result.interval[1])
        warned += bool(result.warnings)
    return summary_row(name, method, tables, truth, estimates, lows, highs, warned, seconds)


def summary_row(
    name: str,
    method: str,
    tables: list[CaptureTable],
    truth: int,
    estimates: list[float],
    lows: list[float],
    highs: list[float],
    warned: int | None,
    seconds: float,
) -> dict:
    """Bias, RMSE, coverage and mean width over the replicates."""
    est, low, high = map(np.array, (estimates, lows, highs))
    return {
        "scenario": name,
        "method": method,
        "true_n": truth,
        "reps": len(tables),
        "mean_observed": round(float(np.mean([t.observed for t in tables])), 1),
        "mean_estimate": round(float(est.mean()), 1),
        "bias": round(float(est.mean() - truth), 1),
        "relative_bias": round(float(est.mean() / truth - 1), 4),
        "rmse": round(float(np.sqrt(np.mean((est - truth) ** 2))), 1),
        "coverage": round(float(np.mean((low <= truth) & (truth <= high))), 3),
        "mean_width": round(float(np.mean(high - low)), 1),
        "with_warnings": warned,
        "seconds_per_estimate": round(seconds / len(tables), 3),
    }


def print_row(row: dict) -> None:
    print(
        f"{row['scenario']:<27} {row['method']:<10} {row['true_n']:>6} "
        f"{row['mean_observed']:>9.0f} {row['mean_estimate']:>9.0f} "
        f"{row['relative_bias']:>+8.3f} {row['rmse']:>7.0f} {row['coverage']:>8.3f} "
        f"{row['mean_width']:>8.0f} {row['seconds_per_estimate']:>7.2f}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=100)
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--methods", default="lcmcr,dga,loglinear,chao")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--output", type=Path, default=HERE / "results" / "mse_coverage.json")
    parser.add_argument(
        "--reference", action="store_true", help="also run the R package LCMCR on every replicate"
    )
    args = parser.parse_args()
    if args.reference and (reason := reference_available()):
        parser.error(f"--reference: {reason}")
    logging.basicConfig(level=logging.ERROR)
    method_names = args.methods.split(",")
    print(
        f"{'scenario':<27} {'method':<10} {'true N':>6} {'observed':>9} {'estimate':>9} "
        f"{'rel.bias':>8} {'RMSE':>7} {'coverage':>8} {'width':>8} {'s/est':>7}"
    )
    rows = []
    for name in args.scenarios.split(","):
        rows += run_scenario(
            name, SCENARIOS[name], args.size, args.reps, method_names, args.reference
        )
    args.output.parent.mkdir(exist_ok=True)
    args.output.write_text(
        json.dumps(
            {
                "settings": {"reps": args.reps, "size": args.size, "options": METHOD_OPTIONS},
                "results": rows,
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"written {args.output}")


if __name__ == "__main__":
    main()
