"""Benchmark: import a 1,000,000-row list; report rows per second and peak memory.

Target (issue 1): at most 60 s and 2 GB peak resident memory on a 2-core machine.

The list is canonical CSV built from simulated names (several scripts, as in the demo), with
partial dates, approximate ages and an extra raw column. The import runs in a child process
(`recount import`, exactly as a user runs it) so its peak memory is its own.

    python benchmarks/import_speed.py [--rows N] [--output results/import_speed.json]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from recount.simulate.simulation import simulate

HERE = Path(__file__).parent
AGES = ["{}", "about {}", "{}-{}", "{}?"]
DATES = ["1994-03-1{}", "1{}.03.1994", "1994-03", "1994"]


def make_list(path: Path, rows: int, seed: int = 1) -> None:
    sim = simulate(size=5000, seed=seed)
    names = [
        r.get("full_name") or " ".join(filter(None, (r.get("family_name"), r.get("given_name"))))
        for rows_ in sim.rows.values()
        for _, r in rows_
        if "full_name" in r or "family_name" in r
    ]
    names = [n for n in names if n]
    people = sim.population
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["full_name", "sex", "age", "date", "place", "fate", "source_ref"])
        for i in range(rows):
            person = people[i % len(people)]
            age = person.age
            writer.writerow(
                [
                    names[i % len(names)],
                    person.sex,
                    AGES[i % 4].format(age, age + 4),
                    DATES[i % 4].format(i % 4),
                    person.place,
                    person.fate,
                    f"REF-{i:07d}",
                ]
            )


def run(rows: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = work / "big.csv"
        started = time.perf_counter()
        make_list(data, rows)
        generate_seconds = time.perf_counter() - started
        case = work / "case"
        env = {**os.environ, "RECOUNT_CASE": str(case)}
        cli = [sys.executable, "-m", "recount.cli"]
        subprocess.run([*cli, "init", str(case)], check=True, env=env, capture_output=True)
        subprocess.run(
            [*cli, "source", "add", "big", "--name", "Big list", "--kind", "ngo"],
            check=True,
            env=env,
            capture_output=True,
        )
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        result = subprocess.run(
            [*cli, "import", "big", str(data), "--json"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        seconds = time.perf_counter() - started
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        imported = json.loads(result.stdout)["imported"]
        return {
            "rows": rows,
            "imported": imported,
            "file_mb": round(data.stat().st_size / 1e6, 1),
            "database_mb": round((case / "recount.db").stat().st_size / 1e6, 1),
            "generate_seconds": round(generate_seconds, 1),
            "import_seconds": round(seconds, 1),
            "rows_per_second": round(imported / seconds),
            "peak_memory_mb": round(max(peak_kib, before) / 1024),
            "target_seconds": 60,
            "target_peak_memory_mb": 2048,
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}",
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--output", type=Path, default=HERE / "results" / "import_speed.json")
    args = parser.parse_args()
    result = run(args.rows)
    width = max(map(len, result))
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")
    ok = (
        result["import_seconds"] <= result["target_seconds"]
        and result["peak_memory_mb"] <= result["target_peak_memory_mb"]
    )
    print("within target" if ok else "OUTSIDE TARGET")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
