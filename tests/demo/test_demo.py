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
    exported = [
        (r["source"], int(r["row_number"])) for r in csv.DictReader(io.StringIO(links.stdout))
    ]
    assert len(exported) == len(set(exported)) == len(truth)
    assert set(exported) == truth
    counts = table_counts(target)
    # Four lists, the family register, the photo archive and the bulletin; two events.
    assert counts["sources"] == 7 and counts["events"] == 2 and counts["imports"] == 5

    status = json.loads(run_cli("status", "--json", case=target).stdout)
    assert status["persons"] < status["records"]  # the demo links its lists
    assert status["persons"] == len(
        {r["person_id"] for r in csv.DictReader(io.StringIO(links.stdout))}
    )
    assert {s["slug"]: s["kind"] for s in status["sources"]} == {
        "registry": "government",
        "ngo": "ngo",
        "press": "media",
        "testimonies": "witness",
        "demo-photo-archive": "media",
        "demo-family-register": "ngo",
        "demo-regional-monitor": "media",
    }
    evidence = json.loads(run_cli("evidence", "verify", "--json", case=target).stdout)
    assert evidence["ok"] is True and evidence["items"] >= 4
    ngo = next(i for i in status["imports"] if i["source"] == "ngo")
    assert ngo["encoding"] == "cp1251"

    records = json.loads(
        run_cli("records", "--source", "ngo", "--limit", "5", "--json", case=target).stdout
    )
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
    # Everyone on a victims' list; relatives known only from the family register are not.
    sources_of: dict[str, set[str]] = {}
    for r in csv.DictReader(io.StringIO(links.stdout)):
        sources_of.setdefault(r["person_id"], set()).add(r["source"])
    assert estimate["observed"] == sum(
        1 for s in sources_of.values() if s != {"demo-family-register"}
    )
    low, high = estimate["interval"]
    assert estimate["observed"] <= low <= estimate["estimate"] <= high
    assert rerun["true_size"] == 2000 and rerun["true_listed"] <= estimate["observed"] * 1.1
    assert all(Path(chart).exists() for chart in estimate["charts"])
    assert table_counts(target)["records"] == len(truth)
    _assert_story(target, rerun["story"])


def _assert_story(target: Path, story: dict) -> None:
    """Events, acts, families, statuses and the bulletin's claims, as the figures show them."""
    assert story["acts"] == 16 and story["interventions"] == 3 and story["relations"] > 50
    tables = {t["event"]: t for t in json.loads(run_cli("figures", "--json", case=target).stdout)}
    rows = {(r["kind"], r["group"]): r for r in tables["vendara-1994"]["rows"]}
    killed = rows[("killed", None)]
    government = next(c for c in killed["claims"] if c["count"] == 2150)
    assert "provincial government" in government["attributed_to"].lower()
    assert government["source"] == "demo-regional-monitor" and government["evidence_item_id"]
    assert killed["documented"] > 500 and len(killed["documented_persons"]) == killed["documented"]
    assert rows[("killed", "families")]["documented"] == 8
    assert rows[("orphaned", "children")]["documented"] >= 10
    earlier = [c["count"] for r in tables["oskelu-1991"]["rows"] for c in r["claims"]]
    assert earlier == [23]  # the bulletin's figure about the 1991 shelling, not the attack
    assert 23 not in [c["count"] for r in rows.values() for c in r["claims"]]


def test_demo_refuses_a_folder_that_is_not_a_demo(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("precious")
    result = run_cli("demo", str(tmp_path))
    assert result.returncode == 1 and "is not an earlier demo case" in result.stderr
    assert (tmp_path / "mine.txt").read_text() == "precious"
