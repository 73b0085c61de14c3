"""`recount estimate` as a user runs it: on a linked case and on a counts file, in a child process.

The case is the demo's (four simulated lists of a fictional event, linked), once on each engine;
dga keeps these tests fast because its posterior is exact. LCMCR's own numbers are tested in
test_lcmcr.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from recount.case.folder import open_case
from recount.store.tables import estimates
from tests.conftest import ENGINES, MSE_DATA, init_args, run_cli

CONTRACT = {"method", "observed", "estimate", "interval", "seed", "draws"}


@pytest.fixture(scope="module", params=ENGINES)
def demo_case(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """The demo case, built once per engine for the tests of this module."""
    server, database = None, None
    if request.param == "postgresql":
        server = request.getfixturevalue("postgres_server")
        database = server.create_database()
    target = tmp_path_factory.mktemp("estimate") / "demo"
    url = server.url(database) if server and database else None
    result = run_cli("demo", str(target), "--size", "800", *init_args(url), timeout=300)
    assert result.returncode == 0, result.stderr
    yield target
    if server and database:
        server.drop_database(database)


def estimate_json(*args: str, case: Path | None = None, cwd: Path | None = None) -> dict:
    result = run_cli("estimate", *args, "--json", case=case, cwd=cwd, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def stored_count(root: Path) -> int:
    with open_case(root) as case, case.reading() as conn:
        return conn.execute(select(func.count()).select_from(estimates)).scalar_one()


def test_counts_file_without_a_case_follows_the_json_contract(tmp_path: Path) -> None:
    data = estimate_json("--counts", str(MSE_DATA / "kosovo.csv"), "--method", "dga", cwd=tmp_path)
    assert set(data) >= CONTRACT
    assert data["method"] == "dga" and data["observed"] == 4400
    # dga's reference run on Kosovo (prior 1/N, δ = 2^-4): median 12,595, 95% 9,827–16,544.
    assert data["estimate"] == 12595 and data["interval"] == [9827, 16544]
    assert len(data["draws"]) == 1000 and all(isinstance(d, int) for d in data["draws"])
    assert min(data["draws"]) >= 4400
    assert data["id"] is None and not any(tmp_path.iterdir())  # nothing stored, no case
    assert data["lower_bounds"]  # Chao's bounds beside every estimate


def test_an_estimate_from_a_counts_file_is_kept_in_the_case_there(
    tmp_path: Path, database_url: str | None
) -> None:
    root = tmp_path / "case"
    assert run_cli("init", str(root), *init_args(database_url)).returncode == 0
    counts = str(MSE_DATA / "kosovo.csv")
    data = estimate_json("--counts", counts, "--method", "dga", "--seed", "3", case=root)
    assert data["id"] == 1 and stored_count(root) == 1
    png, svg = (Path(p) for p in data["charts"])
    assert png.parent == svg.parent == root / "estimates"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and "<svg" in svg.read_text()[:500]
    shown = json.loads(run_cli("estimate", "--show", "1", "--json", case=root).stdout)
    assert shown["draws"] == data["draws"] and shown["request"]["counts_file"] == counts
    assert estimate_json("--rerun", "1", case=root)["identical"] is True


@pytest.mark.slow  # the demo case, once per engine, takes 20 s
def test_the_demo_estimate_is_stored_with_charts_and_reruns_exactly(demo_case: Path) -> None:
    history = json.loads(run_cli("estimate", "--list", "--json", case=demo_case).stdout)
    assert len(history) == 1 and history[0]["method"] == "lcmcr"  # the demo's own estimate
    data = estimate_json("--method", "dga", "--event", "vendara-1994", case=demo_case)
    png, svg = (Path(p) for p in data["charts"])
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and "<svg" in svg.read_text()[:500]
    shown = json.loads(
        run_cli("estimate", "--show", str(data["id"]), "--json", case=demo_case).stdout
    )
    assert shown["estimate"] == data["estimate"] and shown["draws"] == data["draws"]
    assert shown["request"]["event"] == "vendara-1994"
    rerun = estimate_json("--rerun", str(data["id"]), case=demo_case)
    assert rerun["identical"] is True and rerun["draws"] == data["draws"]


@pytest.mark.slow
def test_a_tampered_stored_result_is_not_reproduced(demo_case: Path) -> None:
    data = estimate_json("--method", "dga", "--seed", "5", case=demo_case)
    with open_case(demo_case) as case, case.writing() as conn:
        row = estimates.c.id == data["id"]
        stored = json.loads(conn.execute(select(estimates.c.result).where(row)).scalar_one())
        stored["estimate"] += 100
        conn.execute(update(estimates).where(row).values(result=json.dumps(stored)))
    result = run_cli("estimate", "--rerun", str(data["id"]), case=demo_case)
    assert result.returncode == 1
    assert "Not identical" in result.stdout and "estimate" in result.stdout


@pytest.mark.slow
def test_strata_are_estimated_apart_and_summed(demo_case: Path) -> None:
    data = estimate_json("--method", "dga", "--strata", "sex", case=demo_case)
    strata = {s["stratum"]["sex"]: s for s in data["strata"]}
    assert {"M", "F"} <= set(strata)
    assert data["observed"] == sum(s["observed"] for s in data["strata"])
    estimated = [s for s in data["strata"] if s["skipped"] is None]
    skipped_observed = sum(s["observed"] for s in data["strata"] if s["skipped"])
    summed = [
        sum(draws) + skipped_observed
        for draws in zip(*(s["draws"] for s in estimated), strict=True)
    ]
    assert data["draws"] == summed


@pytest.mark.slow
def test_linkage_thresholds_are_pooled_and_the_widening_reported(demo_case: Path) -> None:
    data = estimate_json("--method", "dga", "--linkage-thresholds", "0.1,0.95", case=demo_case)
    by_threshold = {c["threshold"]: c for c in data["clusterings"]}
    assert set(by_threshold) == {0.1, 0.5, 0.95}
    # A lower threshold joins more records into fewer persons.
    assert (
        by_threshold[0.1]["observed"]
        <= by_threshold[0.5]["observed"]
        <= by_threshold[0.95]["observed"]
    )
    assert len(data["draws"]) == 3 * 1000  # an equal-weight mixture of the three posteriors
    reference = by_threshold[0.5]["interval"]
    widening = (data["interval"][1] - data["interval"][0]) / (reference[1] - reference[0]) - 1
    assert data["linkage"]["interval_widening"] == pytest.approx(widening, abs=1e-3)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lists", "registry,nowhere"], "no records from list(s) nowhere"),
        (["--method", "dga", "--classes", "5"], "--classes do(es) not apply to dga"),
        (["--strata", "religion"], "unknown stratum field(s) religion"),
        (["--lists", "registry"], "at least 2 lists"),
        (["--event", "no-such-event"], "no event 'no-such-event'"),
        (["--show", "999"], "no estimate 999"),
    ],
)
def test_bad_requests_say_why_and_store_nothing(
    demo_case: Path, args: list[str], message: str
) -> None:
    before = stored_count(demo_case)
    result = run_cli("estimate", *args, case=demo_case)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert stored_count(demo_case) == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a,b,c,n\n1,0,0,3\n", "no 'count' column"),
        ("a,b,c,count\n1,0,0,3\n0,1,0,2\n0,0,1,4\n", "no one is on more than one list"),
        ("a,b,c,count\n1,0,0,3\n1,1,0,2\n0,0,0,0\n", "no records: c"),
        ("a,b,c,count\n1,0,0,3\n1,1,2,2\n", "row 2, line 3, column 'c': value '2'"),
    ],
)
def test_bad_counts_files_are_refused_with_the_reason(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "counts.csv"
    path.write_text(text, encoding="utf-8")
    result = run_cli("estimate", "--counts", str(path), "--method", "chao", cwd=tmp_path)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
