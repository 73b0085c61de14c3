"""The demo, run as a new user runs it: a case from four simulated sources, end to end."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

from tests.conftest import run_cli, table_counts


def test_demo_builds_a_case_that_matches_the_simulated_truth(tmp_path: Path) -> None:
    target = tmp_path / "demo"
    started = time.monotonic()
    result = run_cli("demo", str(target))
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert elapsed < 120  # includes Numba compiling the sampler on a fresh machine
    assert "fictional" in result.stdout and "Try next" in result.stdout
    assert "The simulated truth, 2,000, is" in result.stdout
    assert f"recount --case {target} status" in result.stdout

    with (target / "demo-lists" / "truth.csv").open(encoding="utf-8") as handle:
        truth = {(r["source"], int(r["row_number"])) for r in csv.DictReader(handle)}
    links = run_cli("export", "links", "--format", "csv", case=target)
    exported = [(r["source"], int(r["row_number"]))
                for r in csv.DictReader(io.StringIO(links.stdout))]
    assert len(exported) == len(set(exported)) == len(truth)
    assert set(exported) == truth
    counts = table_counts(target)
    # Four lists and the photo archive that the demo's evidence comes from.
    assert counts["sources"] == 5 and counts["events"] == 1 and counts["imports"] == 4

    status = json.loads(run_cli("status", "--json", case=target).stdout)
    assert status["persons"] < status["records"]  # the demo links its lists
    assert status["persons"] == len({r["person_id"] for r in csv.DictReader(
        io.StringIO(links.stdout))})
    assert {s["slug"]: s["kind"] for s in status["sources"]} == {
        "registry": "government", "ngo": "ngo", "press": "media", "testimonies": "witness",
        "demo-photo-archive": "media"}
    evidence = json.loads(run_cli("evidence", "verify", "--json", case=target).stdout)
    assert evidence["ok"] is True and evidence["items"] >= 4
    ngo = next(i for i in status["imports"] if i["source"] == "ngo")
    assert ngo["encoding"] == "cp1251"

    records = json.loads(run_cli("records", "--source", "ngo", "--limit", "5", "--json",
                                 case=target).stdout)
    assert len(records) == 5 and all(r["sex"] in ("M", "F", None) for r in records)
    assert any("\u0400" <= ch <= "\u04ff" for ch in records[0]["family_name"])

    # Run again: the earlier demo case is replaced, not duplicated.
    again = run_cli("demo", str(target), "--json")
    assert again.returncode == 0, again.stderr
    rerun = json.loads(again.stdout)
    assert rerun["summary"]["records"] == len(truth)
    # The estimate of the whole event, stored with its chart, beside the simulated truth.
    estimate = rerun["estimate"]
    assert estimate["method"] == "lcmcr" and estimate["event"] == "vendara-1994"
    assert estimate["observed"] == rerun["summary"]["persons"]
    low, high = estimate["interval"]
    assert estimate["observed"] <= low <= estimate["estimate"] <= high
    assert rerun["true_size"] == 2000 and rerun["true_listed"] <= estimate["observed"] * 1.1
    assert all(Path(chart).exists() for chart in estimate["charts"])
    assert table_counts(target)["records"] == len(truth)


def test_demo_refuses_a_folder_that_is_not_a_demo(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("precious")
    result = run_cli("demo", str(tmp_path))
    assert result.returncode == 1 and "is not an earlier demo case" in result.stderr
    assert (tmp_path / "mine.txt").read_text() == "precious"
