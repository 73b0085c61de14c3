"""Benchmark: many writers and readers on one case at once, on SQLite and on PostgreSQL.

Issue 7: 8 concurrent writers (review decisions, status changes, imports) and 8 readers for
60 s against one case: operations per second, p95 latency, and zero lost or failed writes.

Each writer and reader is its own process with its own open case, calling the same domain
functions the CLI and the web app call. Writers cycle through three operations: a review label
on a pair of records, a dated status change on a person, and the import of a small list (20
rows, each file different). Every write carries a unique token; after the run, every write a
worker saw succeed is looked for in the case. *Failed* counts writes that raised (a "database is
locked" would be one); *lost* counts writes reported done but not found. Readers cycle through
a page of the persons list, a person search by name, and the case summary.

PostgreSQL: give ``--database-url`` for a server of your own (the database must be empty), or
let the benchmark start a throwaway cluster with Debian's binaries, as the tests do.

    python benchmarks/store_load.py [--seconds 60] [--writers 8] [--readers 8]
                                    [--engines sqlite,postgresql] [--database-url URL]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))  # tests/postgres.py: the throwaway cluster of the tests

from recount.case.folder import init_case, open_case  # noqa: E402
from recount.case.sources import add_source  # noqa: E402
from recount.case.summary import summarise  # noqa: E402
from recount.families.status import add_status  # noqa: E402
from recount.ingest.importer import import_file  # noqa: E402
from recount.linkage.review import add_label  # noqa: E402
from recount.persons.search import PersonFilter, search_persons  # noqa: E402
from recount.store.tables import imports, review_labels, status_changes  # noqa: E402

SEED_ROWS = 2000
BATCH_ROWS = 20
STATUS_WORDS = ("missing", "detained", "released", "found alive")


def seed_list(path: Path, rows: int, tag: str) -> Path:
    lines = ["full_name,sex,age,place,fate"]
    lines += [
        f"Person {tag} {i:05d},{'mf'[i % 2]},{20 + i % 60},Village {i % 17},missing"
        for i in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def prepare(root: Path, database_url: str | None) -> int:
    case = init_case(root / "case", database=database_url)
    try:
        add_source(case, "registry", "A registry", "government")
        add_source(case, "load", "Lists imported under load", "ngo")
        import_file(case, "registry", seed_list(root / "seed.csv", SEED_ROWS, "seed"))
    finally:
        case.close()
    return SEED_ROWS


def write_once(case, kind: str, token: str, n: int, scratch: Path) -> None:
    if kind == "label":
        left, right = 1 + (n * 7) % SEED_ROWS, 1 + (n * 13 + 1) % SEED_ROWS
        if left == right:
            right = 1 + right % SEED_ROWS
        add_label(case, left, right, "unsure", "load-benchmark", note=token)
    elif kind == "status":
        day = 1 + n % 28
        word = STATUS_WORDS[n % len(STATUS_WORDS)]
        add_status(case, f"registry:{1 + n % SEED_ROWS}", word, f"1994-02-{day:02d}", note=token)
    else:
        path = seed_list(scratch / f"{token}.csv", BATCH_ROWS, token)
        import_file(case, "load", path)
        path.unlink()


def writer(case_root: str, worker: int, seconds: float, out: str) -> None:
    scratch = Path(out).parent / f"w{worker}"
    scratch.mkdir(exist_ok=True)
    done, failed, latencies = [], [], []
    with open_case(case_root) as case:
        deadline, n = time.monotonic() + seconds, 0
        while time.monotonic() < deadline:
            kind = ("label", "status", "import")[n % 3]
            token = f"w{worker}-{n}"
            started = time.perf_counter()
            try:
                write_once(case, kind, token, worker * 100_003 + n, scratch)
                done.append([kind, token])
            except Exception as exc:  # every failure is counted and shown, none hidden
                failed.append([kind, token, f"{type(exc).__name__}: {exc}"[:300]])
            latencies.append(time.perf_counter() - started)
            n += 1
    Path(out).write_text(json.dumps({"done": done, "failed": failed, "lat": latencies}))


def reader(case_root: str, worker: int, seconds: float, out: str) -> None:
    failed, latencies = [], []
    with open_case(case_root) as case:
        deadline, n = time.monotonic() + seconds, 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                if n % 3 == 0:
                    search_persons(case, PersonFilter(), page=1 + n % 20)
                elif n % 3 == 1:
                    search_persons(case, PersonFilter(q=f"Person seed {n % SEED_ROWS:05d}"))
                else:
                    summarise(case)
            except Exception as exc:
                failed.append(f"{type(exc).__name__}: {exc}"[:300])
            latencies.append(time.perf_counter() - started)
            n += 1
    Path(out).write_text(json.dumps({"done": n - len(failed), "failed": failed, "lat": latencies}))


def lost_writes(case_root: Path, done: list[list[str]]) -> list[str]:
    with open_case(case_root) as case, case.reading() as conn:
        labels = set(conn.execute(select(review_labels.c.note)).scalars())
        statuses = set(conn.execute(select(status_changes.c.note)).scalars())
        files = set(conn.execute(select(imports.c.file_name)).scalars())
        rows = conn.execute(select(func.count()).select_from(imports)).scalar_one()
    found = {"label": labels, "status": statuses, "import": {Path(f).stem for f in files}}
    lost = [token for kind, token in done if token not in found[kind]]
    imported = sum(1 for kind, _ in done if kind == "import")
    if rows != imported + 1:  # the seed list, then one import per successful import write
        lost.append(f"imports table has {rows} rows; expected {imported + 1}")
    return lost


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values, default=0)


def run_engine(engine: str, args: argparse.Namespace, url: str | None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        prepare(root, url)
        case_root = str(root / "case")
        context = multiprocessing.get_context("spawn")
        jobs = [(writer, i, root / f"writer-{i}.json") for i in range(args.writers)] + [
            (reader, i, root / f"reader-{i}.json") for i in range(args.readers)
        ]
        processes = [
            context.Process(target=fn, args=(case_root, i, args.seconds, str(out)))
            for fn, i, out in jobs
        ]
        started = time.perf_counter()
        for process in processes:
            process.start()
        for process in processes:
            process.join()
        wall = time.perf_counter() - started
        written = [json.loads((root / f"writer-{i}.json").read_text()) for i in range(args.writers)]
        read = [json.loads((root / f"reader-{i}.json").read_text()) for i in range(args.readers)]
        done = [d for w in written for d in w["done"]]
        lost = lost_writes(root / "case", done)
    write_lat = [x for w in written for x in w["lat"]]
    read_lat = [x for r in read for x in r["lat"]]
    failed = [f for w in written for f in w["failed"]]
    return {
        "engine": engine,
        "seconds": args.seconds,
        "wall_s": wall,
        "writes_ok": len(done),
        "writes_by_kind": {
            k: sum(1 for d in done if d[0] == k) for k in ("label", "status", "import")
        },
        "writes_failed": len(failed),
        "failures": failed[:20],
        "writes_lost": len(lost),
        "lost": lost[:20],
        "reads_ok": sum(r["done"] for r in read),
        "reads_failed": sum(len(r["failed"]) for r in read),
        "write_ops_per_s": len(done) / args.seconds,
        "read_ops_per_s": sum(r["done"] for r in read) / args.seconds,
        "write_p95_ms": 1000 * p95(write_lat),
        "read_p95_ms": 1000 * p95(read_lat),
        "write_median_ms": 1000 * statistics.median(write_lat) if write_lat else 0.0,
        "read_median_ms": 1000 * statistics.median(read_lat) if read_lat else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--database-url", help="an empty PostgreSQL database of your own")
    parser.add_argument("--output", type=Path, default=HERE / "results" / "store_load.json")
    args = parser.parse_args()
    results = []
    for engine in args.engines.split(","):
        if engine == "sqlite":
            results.append(run_engine(engine, args, None))
        elif args.database_url:
            results.append(run_engine(engine, args, args.database_url))
        else:
            from tests import postgres

            server = postgres.start(Path(tempfile.mkdtemp(prefix="recount-pg-bench-")))
            try:
                results.append(run_engine(engine, args, server.url(server.create_database())))
            finally:
                postgres.stop(server)
    header = (
        f"{'engine':<11} {'writes/s':>9} {'reads/s':>9} {'write p95':>10} {'read p95':>10} "
        f"{'writes':>7} {'failed':>7} {'lost':>5}"
    )
    print(header)
    for r in results:
        print(
            f"{r['engine']:<11} {r['write_ops_per_s']:>9.1f} {r['read_ops_per_s']:>9.1f} "
            f"{r['write_p95_ms']:>8.0f}ms {r['read_p95_ms']:>8.0f}ms {r['writes_ok']:>7} "
            f"{r['writes_failed']:>7} {r['writes_lost']:>5}"
        )
        for failure in r["failures"][:3] + r["lost"][:3]:
            print(f"    {failure}")
    report = {
        "benchmark": "store_load",
        "writers": args.writers,
        "readers": args.readers,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "results": results,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
