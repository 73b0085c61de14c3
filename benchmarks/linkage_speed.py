"""Benchmark: linkage speed and memory on four simulated lists (100,000 and 1,000,000 records).

Target (issue 2): train + predict + cluster ≤ 10 minutes and ≤ 12 GB peak for 1,000,000
records on a 2-core machine. `recount link` runs in a child process, as a user runs it, so its
peak resident memory is its own. The number of compared pairs is estimated separately with
Splink's blocking analysis on a 5% record sample.

    python benchmarks/linkage_speed.py [--records 100000 1000000]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from recount.case.folder import init_case
from recount.case.sources import add_source
from recount.demo.run import linkage_accuracy
from recount.ingest.importer import import_file
from recount.simulate.simulation import simulate, write_simulation

HERE = Path(__file__).parent
RECORDS_PER_PERSON = 1.76  # what the demo lists give per simulated person


def compared_pairs(case_root: Path) -> int:
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    from recount.case.folder import open_case
    from recount.linkage.features import cap_common_keys, load_features
    from recount.linkage.model import make_db_api, register
    from recount.linkage.settings import LinkageSettings, blocking_rules

    case = open_case(case_root)
    features = [f for f in load_features(case) if f["name_keys"]]
    settings = LinkageSettings()
    cap_common_keys(features, settings.block_key_cap, settings.pair_cap)
    db_api = make_db_api("duckdb")
    tables, link_type = register(db_api, features)
    counts = count_comparisons_from_blocking_rules(
        tables, blocking_rules=blocking_rules(), link_type=link_type, record_sample_proportion=0.05
    )
    case.close()
    last = counts[-1]
    return int(
        last["cumulative_comparison_count"]
        if isinstance(last, dict)
        else last.cumulative_comparison_count
    )


def run(records: int, seed: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        sim = simulate(size=round(records / RECORDS_PER_PERSON), seed=seed)
        files = write_simulation(sim, work / "lists")
        simulate_seconds = time.perf_counter() - started
        case = init_case(work / "case")
        started = time.perf_counter()
        for spec in sim.specs:
            add_source(case, spec.slug, spec.name, spec.kind)
            import_file(
                case, spec.slug, files.lists[spec.slug], mapping_path=files.mappings.get(spec.slug)
            )
        import_seconds = time.perf_counter() - started
        case.close()
        env = {**os.environ, "RECOUNT_CASE": str(work / "case")}
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "recount.cli", "link", "--json"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        link_seconds = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if result.returncode != 0:
            return {
                "records": records,
                "failed": True,
                "link_seconds": round(link_seconds, 1),
                "peak_memory_mb": round(peak_mb),
                "error": result.stderr[-2000:],
            }
        report = json.loads(result.stdout)
        pairs = compared_pairs(work / "case")
        from recount.case.folder import open_case

        case = open_case(work / "case")
        accuracy = linkage_accuracy(case, files.truth)
        case.close()
        return {
            "records": report["records"],
            "persons_found": report["persons"],
            "persons_true": len(sim.listed),
            "simulate_seconds": round(simulate_seconds, 1),
            "import_seconds": round(import_seconds, 1),
            "link_seconds": round(link_seconds, 1),
            "records_per_second": round(report["records"] / link_seconds),
            "compared_pairs_estimate": pairs,
            "compared_pairs_per_second": round(pairs / link_seconds),
            "pairs_kept": report["pairs"],
            "peak_memory_mb": round(peak_mb),
            "f1": accuracy.to_dict()["f1"],
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--output", type=Path, default=HERE / "results" / "linkage_speed.json")
    args = parser.parse_args()
    logging.getLogger("splink").setLevel(logging.ERROR)
    results = []
    for records in args.records:
        results.append(run(records, args.seed))
        print(json.dumps(results[-1]), flush=True)
    columns = list(max(results, key=len))
    print("  ".join(columns))
    for r in results:
        print("  ".join(str(r.get(c, "")).rjust(len(c)) for c in columns))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
