"""Benchmark: LCMCR Gibbs sweeps per second per chain, and Numba compile time apart.

Cases: Kosovo (4 lists, 15 cells, 4,400 people) with K = 10, burn-in 10,000 and 10,000 draws
thinned by 100; the Colombian 20-list table (103 cells, 982 people) with K = 15 at HRDAG's
production length, burn-in 10,000 and 10,000 draws thinned by 500 (5,010,000 sweeps, plus
the 500 warm-up sweeps every chain starts with). Targets per chain: 180,000 sweeps/s on
Kosovo and 18,800 on the 20-list table (twice the reference C++).

Each case runs one chain in this process, ``--repeats`` times with different seeds; both
wall-clock and CPU-time rates are reported (the machine is shared: the CPU rate is what the
kernel does, the wall rate what a user got). ``best_block_cpu`` is the fastest of the
chain's ~0.2-second progress blocks: the closest this shared machine gets to an idle one.
Compile time is measured in fresh processes: once with an empty Numba cache (compile) and
once with the cache filled (load).

``--reference`` also times the reference implementation on the same machine, in turn with
ours (ours, then the reference, for each seed): the R package LCMCR (Manrique-Vallier's C++
sampler with GSL), run through ``Rscript`` with the same table, K, burn-in, samples, thinning
and seed; only its sweeps are timed (``Init_Model``, with its 500 warm-up sweeps, and the
two ``Update`` calls), not R's data preparation. It needs R and LCMCR installed (``R_LIBS``
or ``LCMCR_LIB`` may name the library); the targets are then read as "twice the reference
measured here", not only as the fixed figures above.

    python benchmarks/mse_speed.py [--quick] [--repeats 3] [--reference]
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numba
import numpy as np

from recount.estimate.lcmcr import LcmcrSettings
from recount.estimate.lcmcr_chains import WARM_UP, make_jobs, run_chain, warm_up_kernels
from recount.estimate.table import from_csv
from reference_lcmcr import reference_available, run_reference

HERE = Path(__file__).parent
DATA = HERE.parent / "tests" / "data" / "mse"  # copies of shared/data/mse (see its README)
CASES = {
    "kosovo": (
        "kosovo.csv",
        10,
        180_000,
        LcmcrSettings(classes=10, burn_in=10_000, samples=10_000, thin=100, chains=1),
        LcmcrSettings(classes=10, burn_in=10_000, samples=2_000, thin=100, chains=1),
    ),
    "colombia_20_lists": (
        "verdata_reclutamiento_R1_hombre_1999.csv",
        15,
        18_800,
        LcmcrSettings(classes=15, burn_in=10_000, samples=10_000, thin=500, chains=1),
        LcmcrSettings(classes=15, burn_in=10_000, samples=1_000, thin=100, chains=1),
    ),
}
REFERENCE = {  # median, 2.5%, 97.5% of the reference runs (README of shared/data/mse)
    "kosovo": (10_400, 8_940, 13_900),
    "colombia_20_lists": (2_068, 1_396, 3_062),
}
COMPILE_SNIPPET = (
    "import time; t = time.perf_counter(); from recount.estimate import lcmcr_chains; "
    "t1 = time.perf_counter(); lcmcr_chains.warm_up_kernels(); "
    "print(t1 - t, time.perf_counter() - t1)"
)


def compile_times() -> dict[str, float]:
    """Import, cold compile (empty Numba cache) and cached load, each in a fresh process."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        cold = _run_snippet(env)
        warm = _run_snippet(env)
    return {
        "import_seconds": round(warm[0], 2),
        "compile_seconds": round(cold[1], 2),
        "cache_load_seconds": round(warm[1], 2),
    }


def _run_snippet(env: dict[str, str]) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", COMPILE_SNIPPET], env=env, check=True, capture_output=True, text=True
    ).stdout.split()
    return float(out[0]), float(out[1])


def _record_block(blocks: list[tuple[float, int]], _chain: int, done: int) -> None:
    blocks.append((time.process_time(), done))


def run_case(name: str, quick: bool, repeats: int, reference: bool) -> dict:
    filename, K, target, full, short = CASES[name]
    table = from_csv(DATA / filename)
    reference_runs = []
    settings = short if quick else full
    sweeps = settings.sweeps_per_chain()
    runs = []
    for seed in range(repeats):
        job = make_jobs(
            table, LcmcrSettings(**{**settings.__dict__, "seed": settings.seed + seed})
        )[0]
        blocks: list[tuple[float, int]] = []
        wall, cpu = time.perf_counter(), time.process_time()
        draws = run_chain(job, functools.partial(_record_block, blocks))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        block_rates = [
            (d1 - d0) / (t1 - t0)
            for (t0, d0), (t1, d1) in itertools.pairwise(blocks[1:])
            if t1 > t0 and d1 - d0 >= 5_000
        ]
        low, median, high = np.quantile(draws, [0.025, 0.5, 0.975])
        runs.append(
            {
                "seed": job.settings.seed,
                "wall_seconds": round(wall, 2),
                "cpu_seconds": round(cpu, 2),
                "sweeps_per_second_wall": round(sweeps / wall),
                "sweeps_per_second_cpu": round(sweeps / cpu),
                "best_block_cpu": round(max(block_rates)) if block_rates else None,
                "median": float(median),
                "q025": float(low),
                "q975": float(high),
            }
        )
        print(json.dumps({"case": name, **runs[-1]}), flush=True)
        if reference:
            reference_runs.append(
                run_reference(
                    DATA / filename,
                    K,
                    settings.burn_in,
                    settings.samples,
                    settings.thin,
                    job.settings.seed,
                )
            )
            print(json.dumps({"case": name, "reference": reference_runs[-1]}), flush=True)
    wall_rates = [r["sweeps_per_second_wall"] for r in runs]
    cpu_rates = [r["sweeps_per_second_cpu"] for r in runs]
    return {
        "case": name,
        "lists": table.n_lists,
        "cells": int(table.counts.size),
        "observed": table.observed,
        "classes": K,
        "quick": quick,
        "sweeps_per_chain": sweeps,
        "warm_up": WARM_UP,
        "burn_in": settings.burn_in,
        "samples": settings.samples,
        "thin": settings.thin,
        "target_sweeps_per_second": target,
        "best_wall": max(wall_rates),
        "median_wall": round(statistics.median(wall_rates)),
        "best_cpu": max(cpu_rates),
        "median_cpu": round(statistics.median(cpu_rates)),
        "best_block_cpu": max(r["best_block_cpu"] or 0 for r in runs),
        "reference_median_q025_q975": REFERENCE[name],
        "runs": runs,
        **(_against_reference(runs, reference_runs) if reference else {}),
    }


def _against_reference(runs: list[dict], reference_runs: list[dict]) -> dict:
    """The reference's rates measured here, and ours over its, seed by seed (median)."""
    cpu = [r["sweeps_per_second_cpu"] for r in reference_runs]
    ratios = [
        ours["sweeps_per_second_cpu"] / ref["sweeps_per_second_cpu"]
        for ours, ref in zip(runs, reference_runs, strict=True)
    ]
    return {
        "reference_median_cpu": round(statistics.median(cpu)),
        "reference_best_cpu": max(cpu),
        "speedup_over_reference": round(statistics.median(ratios), 2),
        "reference_runs": reference_runs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short chains (about a minute)")
    parser.add_argument("--repeats", type=int, default=3, help="chains per case (seeds)")
    parser.add_argument("--cases", nargs="+", default=list(CASES), choices=list(CASES))
    parser.add_argument("--output", type=Path, default=HERE / "results" / "mse_speed.json")
    parser.add_argument(
        "--reference",
        action="store_true",
        help="also time the R package LCMCR here, in turn with ours",
    )
    args = parser.parse_args()
    if args.reference and (reason := reference_available()):
        parser.error(f"--reference: {reason}")
    started = os.getloadavg()
    compile_info = compile_times()
    print(json.dumps(compile_info), flush=True)
    warm_up_kernels()  # the timed runs never include compiling or loading the kernels
    results = [run_case(name, args.quick, args.repeats, args.reference) for name in args.cases]
    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "numba": numba.__version__,
            "numpy": np.__version__,
            "load_average_start": started,
            "load_average_end": os.getloadavg(),
        },
        **compile_info,
        "cases": results,
    }
    columns = [
        "case",
        "sweeps_per_chain",
        "target_sweeps_per_second",
        "best_wall",
        "median_wall",
        "best_cpu",
        "median_cpu",
        "best_block_cpu",
    ]
    if args.reference:
        columns += ["reference_median_cpu", "speedup_over_reference"]
    print()
    print(
        f"Numba: import {compile_info['import_seconds']} s, compile (empty cache) "
        f"{compile_info['compile_seconds']} s, load from cache "
        f"{compile_info['cache_load_seconds']} s"
    )
    print("  ".join(columns))
    for row in results:
        print("  ".join(str(row[c]).rjust(len(c)) for c in columns))
    for row in results:
        for run in row["runs"]:
            print(
                f"{row['case']} seed {run['seed']}: median {run['median']:,.0f} "
                f"(95% {run['q025']:,.0f}–{run['q975']:,.0f}); reference "
                "{:,} ({:,}–{:,})".format(*row["reference_median_q025_q975"])
            )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
