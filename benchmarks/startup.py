"""Benchmark: the fixed cost of a command, whole process, as a user pays it.

Targets (issue 7): ``recount --help`` under 0.3 s; a tiny ``recount estimate`` under 1 s.

Each command runs ``--runs`` times (default 10) in a fresh process through the installed
``recount`` entry point, after one untimed warm-up run (which fills Numba's on-disk cache and
the OS file cache, as any second use of recount would). The table gives the median, minimum and
maximum wall time; the JSON also keeps every run.

    python benchmarks/startup.py [--runs N] [--output results/startup.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
# A tiny three-list table of capture histories (one 0/1 column per list and a count).
TINY_COUNTS = "a,b,c,count\n1,0,0,40\n0,1,0,35\n0,0,1,30\n1,1,0,12\n1,0,1,10\n0,1,1,9\n1,1,1,5\n"


def recount_command() -> list[str]:
    installed = shutil.which("recount", path=str(Path(sys.executable).parent))
    return [installed] if installed else [sys.executable, "-m", "recount.cli"]


def commands(case: Path, counts: Path) -> dict[str, list[str]]:
    recount = recount_command()
    return {
        "recount --help": [*recount, "--help"],
        "recount status": [*recount, "--case", str(case), "status"],
        "recount estimate (tiny, lcmcr)": [
            *recount,
            "--case",
            str(case),
            "estimate",
            "--counts",
            str(counts),
            "--method",
            "lcmcr",
            "--seed",
            "1",
            "--burn-in",
            "100",
            "--samples",
            "100",
            "--thin",
            "1",
            "--json",
        ],
    }


def time_once(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - started


def run(runs: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        case, counts = work / "case", work / "tiny.csv"
        counts.write_text(TINY_COUNTS, encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k != "RECOUNT_CASE"}
        subprocess.run([*recount_command(), "init", str(case)], check=True, capture_output=True)
        results = {}
        for label, command in commands(case, counts).items():
            time_once(command, env)  # warm-up: Numba's cache, the OS file cache
            seconds = [time_once(command, env) for _ in range(runs)]
            results[label] = {
                "median_s": statistics.median(seconds),
                "min_s": min(seconds),
                "max_s": max(seconds),
                "runs_s": seconds,
            }
    return {
        "benchmark": "startup",
        "runs": runs,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "targets_s": {"recount --help": 0.3, "recount estimate (tiny, lcmcr)": 1.0},
        "results": results,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--output", type=Path, default=HERE / "results" / "startup.json")
    args = parser.parse_args()
    report = run(args.runs)
    print(f"{'command':<34} {'median':>8} {'min':>8} {'max':>8} {'target':>8}")
    for label, row in report["results"].items():
        target = report["targets_s"].get(label)
        shown = f"{target:.2f}" if target else "-"
        print(
            f"{label:<34} {row['median_s']:>7.3f}s {row['min_s']:>7.3f}s {row['max_s']:>7.3f}s "
            f"{shown:>8}"
        )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
